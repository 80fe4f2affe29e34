"""Writes the seeds of fuzz_list_pages and fuzz_push_target from real answers
of the emulator (tests/emulator: moto plus our strict layer), as the list
resources and actions receive them:

- corpus/fuzz_list_pages: ListBuckets (whole, and a first page of one bucket
  with its ContinuationToken and BucketRegion), ListObjectsV2 of a stream's
  bucket with a player (whole, and a truncated first page with
  NextContinuationToken), ListDistributions (whole, and
  a truncated first page with NextMarker), the Invalidation documents of
  CreateInvalidation and GetInvalidation (InProgress, then Completed), and an
  empty ListDistributions; each reader also gets the others' answers.
- corpus/fuzz_push_target: the push endpoints DescribeInput reports for an
  RTMP_PUSH input (two destinations, the STANDARD pair) and an RTP_PUSH
  input, plus the endpoint shapes MediaLive documents that the emulator does
  not produce (rtmps://, a host name, an IPv6 address).

Run: $(tests/tools/venv) tests/fuzz/seed_lists.py   (starts and stops its own emulator)
"""
import hashlib
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "emulator"))
sys.path.insert(0, str(HERE.parent / "acceptance"))

from fixture import Emulator  # noqa: E402
from test_query import distribution_config  # noqa: E402

CORPUS = HERE / "corpus"


class Answers:
    """Keeps the raw body of every answer a boto3 client receives."""

    def __init__(self, client):
        self.bodies = {}
        client.meta.events.register("after-call", self.keep)

    def keep(self, http_response, model, **_):
        self.bodies.setdefault(model.name, []).append(http_response.content)

    def last(self, operation):
        return self.bodies[operation][-1]


def write(target, name, data):
    """corpus/<target>/<name>, unless a seed there has the same bytes."""
    data = data if isinstance(data, bytes) else data.encode()
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    same = [p.name for p in d.iterdir() if p.name != name and p.read_bytes() == data]
    if same:
        print(f"{target}/{name}: same bytes as {same[0]}, not written")
        return
    (d / name).write_bytes(data)
    print(f"{target}/{name}: {len(data)} bytes, sha1 {hashlib.sha1(data).hexdigest()[:12]}")


def list_answers(emu):
    s3 = emu.client("s3")
    s3_answers = Answers(s3)
    for name in ("seed-origin", "seed-origin-2", "seed-logs"):
        s3.create_bucket(Bucket=name)
    s3.list_buckets()
    write("fuzz_list_pages", "list-buckets", s3_answers.last("ListBuckets"))
    s3.list_buckets(MaxBuckets=1)
    write("fuzz_list_pages", "list-buckets-page-1-of-3", s3_answers.last("ListBuckets"))
    # A bucket as lsms_player's list walks it: the stream's segments and a
    # player's objects.
    for key in ("player/index.html", "player/hls-1.7.4.light.min.js",
                "player/hls.js-LICENSE.txt", "stream/index.m3u8", "stream/index_720p.m3u8",
                "stream/index_720p_00001.ts"):
        s3.put_object(Bucket="seed-origin", Key=key, Body=b"x")
    s3.list_objects_v2(Bucket="seed-origin")
    write("fuzz_list_pages", "list-objects-v2", s3_answers.last("ListObjectsV2"))
    s3.list_objects_v2(Bucket="seed-origin", MaxKeys=2)
    write("fuzz_list_pages", "list-objects-v2-page-1-of-3", s3_answers.last("ListObjectsV2"))

    cf = emu.client("cloudfront")
    cf_answers = Answers(cf)
    cf.list_distributions()
    write("fuzz_list_pages", "list-distributions-empty", cf_answers.last("ListDistributions"))
    oac = cf.create_origin_access_control(OriginAccessControlConfig={
        "Name": "seed-oac", "SigningProtocol": "sigv4", "SigningBehavior": "always",
        "OriginAccessControlOriginType": "s3"})["OriginAccessControl"]["Id"]
    ids = [cf.create_distribution(DistributionConfig=distribution_config(
        b, oac, f"seed-{b}"))["Distribution"]["Id"] for b in ("seed-origin", "seed-origin-2")]
    cf.list_distributions()
    write("fuzz_list_pages", "list-distributions", cf_answers.last("ListDistributions"))
    cf.list_distributions(MaxItems="1")
    write("fuzz_list_pages", "list-distributions-page-1-of-2", cf_answers.last("ListDistributions"))

    cf.create_invalidation(DistributionId=ids[0], InvalidationBatch={
        "Paths": {"Quantity": 2, "Items": ["/stream/index.m3u8", "/player/*"]},
        "CallerReference": "seed-invalidation"})
    write("fuzz_list_pages", "create-invalidation", cf_answers.last("CreateInvalidation"))
    inv = cf.list_invalidations(DistributionId=ids[0])["InvalidationList"]["Items"][0]["Id"]
    for _ in range(10):
        status = cf.get_invalidation(DistributionId=ids[0], Id=inv)["Invalidation"]["Status"]
        write("fuzz_list_pages", f"get-invalidation-{status.lower()}",
              cf_answers.last("GetInvalidation"))
        if status == "Completed":
            break


def push_endpoints(emu):
    ml = emu.client("medialive")
    group = ml.create_input_security_group(WhitelistRules=[{"Cidr": "0.0.0.0/0"}])
    group_id = group["SecurityGroup"]["Id"]
    rtmp = ml.create_input(Name="seed-rtmp", Type="RTMP_PUSH", InputSecurityGroups=[group_id],
                           Destinations=[{"StreamName": "live/stream-a"},
                                         {"StreamName": "live/stream-b"}])["Input"]
    rtp = ml.create_input(Name="seed-rtp", Type="RTP_PUSH", InputSecurityGroups=[group_id])["Input"]
    for inp, kind in ((rtmp, "rtmp"), (rtp, "rtp")):
        described = ml.describe_input(InputId=inp["Id"])
        for i, d in enumerate(described["Destinations"]):
            write("fuzz_push_target", f"describe-input-{kind}-{i}", d["Url"])
    # Shapes of the MediaLive user guide ("Setting up an RTMP push input")
    # that the emulator does not produce.
    write("fuzz_push_target", "doc-rtmps-host", "rtmps://live.example.com:443/app/stream")
    write("fuzz_push_target", "doc-rtmp-ipv6", "rtmp://[2001:db8::1]:1935/live/stream")
    write("fuzz_push_target", "doc-rtp-ip", "rtp://198.51.100.20:5000")


def main():
    emu = Emulator()
    try:
        list_answers(emu)
        push_endpoints(emu)
    finally:
        emu.stop()


if __name__ == "__main__":
    main()
