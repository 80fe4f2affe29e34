"""Issue 13: lsms_distribution with an S3 origin (origin_bucket).

Through the real tofu (and terraform) binaries against the emulator, every
fact checked with boto3: the distribution reads the bucket through an Origin
Access Control (s3, always, sigv4) on the bucket's regional domain; the
bucket policy gains exactly one statement that lets only this distribution
read objects, and every other statement stays; a second plan is empty;
import gives an empty plan; drift of the statement or of the OAC shows in the
plan and apply repairs it; a MediaStore origin moves to a bucket (and to
another bucket, and back) in place, keeping the distribution and its domain;
two distributions on one bucket keep both statements even when their policy
edits race; a failure halfway through create leaves nothing untracked; bad
input fails at plan without an AWS call; destroy leaves no distribution, no
OAC and no statement.

The buckets are made with boto3, not lsms_bucket.
"""

import json
import os
import re
import sys
import time
from collections import Counter

import pytest
from botocore.exceptions import ClientError

from fixture import Emulator
from harness import PROVIDER_BLOCK, provider_for_emulator
from test_least_privilege import ALLOW_ALL, NO_RETRY, actions_of, moto_policy

HERE = os.path.dirname(os.path.abspath(__file__))
for sub in ("reliability", "tools"):
    sys.path.insert(0, os.path.join(HERE, "..", sub))
from stack import Proxy  # noqa: E402  (tests/reliability: the faultproxy driver)

ADDR = "lsms_distribution.cdn"
ORIGIN_HOST = "abc123.data.mediastore.us-east-1.amazonaws.com"
SECRET = "ua-secret-5d1e0c"
ERROR_CODES = [400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504]

# A statement someone else put in the bucket policy: it must survive.
OTHER_STATEMENT_SID = "DenyInsecureTransport"


def other_statement(bucket):
    return {"Sid": OTHER_STATEMENT_SID, "Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}


def config(url, body):
    return PROVIDER_BLOCK + provider_for_emulator(url) + body


def bucket_hcl(bucket, extra="", name="cdn"):
    return f"""
resource "lsms_distribution" "{name}" {{
  origin_bucket        = "{bucket}"
  comment              = "s3 live"
  manifest_ttl_seconds = 3
  segment_ttl_seconds  = 600
{extra}
}}
"""


def endpoint_hcl(extra=""):
    return f"""
resource "lsms_distribution" "cdn" {{
  origin_endpoint      = "https://{ORIGIN_HOST}"
  origin_secret        = "{SECRET}"
  comment              = "s3 live"
  manifest_ttl_seconds = 3
  segment_ttl_seconds  = 600
{extra}
}}
"""


def make_bucket(emulator, prefix, with_other=False, region="us-east-1"):
    """A fresh bucket (unique name), optionally with a policy holding a
    statement of someone else's."""
    bucket = f"{prefix}-{time.monotonic_ns() % 10**12}"
    s3 = emulator.client("s3", region_name=region)
    if region == "us-east-1":
        s3.create_bucket(Bucket=bucket)
    else:
        s3.create_bucket(Bucket=bucket,
                         CreateBucketConfiguration={"LocationConstraint": region})
    if with_other:
        s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(
            {"Version": "2012-10-17", "Statement": [other_statement(bucket)]}))
    return bucket


def policy_of(emulator, bucket):
    """The bucket policy as a dict, or None when the bucket has none."""
    try:
        return json.loads(emulator.client("s3").get_bucket_policy(Bucket=bucket)["Policy"])
    except ClientError as e:
        assert e.response["Error"]["Code"] == "NoSuchBucketPolicy", e.response
        return None


def statements(policy):
    st = (policy or {}).get("Statement", [])
    return st if isinstance(st, list) else [st]


def grants(emulator, bucket):
    """The bucket's statements that grant CloudFront, by SourceArn."""
    out = {}
    for s in statements(policy_of(emulator, bucket)):
        if s.get("Principal") == {"Service": "cloudfront.amazonaws.com"}:
            arn = s["Condition"]["StringEquals"]["AWS:SourceArn"]
            out[arn] = s
    return out


def assert_grant(emulator, bucket, arn, dist_id):
    """Exactly one statement, for this distribution only, reading objects only."""
    found = grants(emulator, bucket)
    assert list(found) == [arn], found
    s = found[arn]
    assert s == {"Sid": f"LsmsCloudFront{dist_id}", "Effect": "Allow",
                 "Principal": {"Service": "cloudfront.amazonaws.com"},
                 "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*",
                 "Condition": {"StringEquals": {"AWS:SourceArn": arn}}}, s


def oacs(emulator):
    cf = emulator.client("cloudfront")
    return {o["Id"]: o for o in
            cf.list_origin_access_controls()["OriginAccessControlList"].get("Items") or []}


def origin_of(emulator, dist_id):
    cf = emulator.client("cloudfront")
    return cf.get_distribution_config(Id=dist_id)["DistributionConfig"]["Origins"]["Items"][0]


def calls(emulator, before):
    """Counter of "service Operation status" since `before` (not counting
    the provider's sts:GetCallerIdentity at configure)."""
    return Counter(f"{r['service']} {r['operation']} {r['status']}"
                   for r in emulator.request_log()[before:]
                   if r["service"] not in ("moto-api", "sts"))


def ops(emulator, before, service=None):
    return [r["operation"] for r in emulator.request_log()[before:]
            if r["service"] != "moto-api" and (service is None or r["service"] == service)]


def no_distributions(emulator):
    cf = emulator.client("cloudfront")
    return cf.list_distributions()["DistributionList"].get("Items", []) == []


def test_s3_origin_lifecycle(client, workspace_factory, emulator):
    cf = emulator.client("cloudfront")
    bucket = make_bucket(emulator, "life", with_other=True)
    ws = workspace_factory(client)
    ws.write("main.tf", config(emulator.url, bucket_hcl(bucket)))
    ws.init()
    oacs_before = set(oacs(emulator))

    before = len(emulator.request_log())
    t0 = time.monotonic()
    ws.apply()
    apply_s = time.monotonic() - t0
    create_calls = calls(emulator, before)
    state = ws.resource_values(ADDR)
    dist_id, arn, oac_id = state["id"], state["arn"], state["origin_access_control_id"]
    assert state["origin_bucket"] == bucket and state["origin_endpoint"] is None
    assert state["grant_bucket_read"] is True and state["status"] == "Deployed"
    assert state["live_stream_url"] == f"https://{state['domain_name']}/stream/index.m3u8"
    # Created in order: where the bucket is, the OAC, the distribution, then
    # the statement naming its ARN.
    create_ops = ops(emulator, before)
    assert create_ops.index("HeadBucket") < create_ops.index("CreateOriginAccessControl") < \
        create_ops.index("CreateDistributionWithTags") < create_ops.index("PutBucketPolicy")

    # The origin: the bucket's regional domain, signed by the OAC.
    dc = cf.get_distribution_config(Id=dist_id)["DistributionConfig"]
    origin = dc["Origins"]["Items"][0]
    assert dc["Origins"]["Quantity"] == 1
    assert origin["DomainName"] == f"{bucket}.s3.us-east-1.amazonaws.com"
    assert origin["OriginAccessControlId"] == oac_id
    assert origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}
    assert "CustomOriginConfig" not in origin and origin["CustomHeaders"]["Quantity"] == 0
    # The rest of the solution's behaviour, as with a container origin.
    default = dc["DefaultCacheBehavior"]
    assert default["TargetOriginId"] == origin["Id"]
    assert default["ViewerProtocolPolicy"] == "redirect-to-https"
    assert (default["DefaultTTL"], default["MaxTTL"]) == (600, 600)
    assert set(default["ForwardedValues"]["Headers"]["Items"]) == {
        "Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"}
    manifest = dc["CacheBehaviors"]["Items"][0]
    assert manifest["PathPattern"] == "*.m3u8" and manifest["DefaultTTL"] == 3
    assert manifest["ViewerProtocolPolicy"] == "redirect-to-https"
    assert sorted(e["ErrorCode"] for e in dc["CustomErrorResponses"]["Items"]) == ERROR_CODES

    # The OAC: s3, always, sigv4, a name of at most 64 characters.
    new_oacs = set(oacs(emulator)) - oacs_before
    assert new_oacs == {oac_id}
    oac = cf.get_origin_access_control(Id=oac_id)["OriginAccessControl"]
    oac_config = oac["OriginAccessControlConfig"]
    assert (oac_config["OriginAccessControlOriginType"], oac_config["SigningBehavior"],
            oac_config["SigningProtocol"]) == ("s3", "always", "sigv4")
    assert oac_config["Name"].startswith(bucket) and len(oac_config["Name"]) <= 64

    # The bucket policy: the other statement untouched, one statement granting
    # only this distribution.
    policy = policy_of(emulator, bucket)
    assert statements(policy)[0] == other_statement(bucket)
    assert len(statements(policy)) == 2
    assert_grant(emulator, bucket, arn, dist_id)

    # Second plan: nothing to do.
    before = len(emulator.request_log())
    code, r = ws.plan_exitcode()
    assert code == 0, r.output
    read_calls = calls(emulator, before)

    # Import into an empty state: the S3 origin is recognised, the plan is empty.
    ws.reset_state()
    ws.import_(ADDR, dist_id)
    imported = ws.resource_values(ADDR)
    assert imported["origin_bucket"] == bucket and imported["origin_endpoint"] is None
    assert imported["origin_access_control_id"] == oac_id
    assert imported["grant_bucket_read"] is True
    code, r = ws.plan_exitcode()
    assert code == 0, r.output

    # Drift: the statement removed behind Terraform's back.
    emulator.client("s3").put_bucket_policy(Bucket=bucket, Policy=json.dumps(
        {"Version": "2012-10-17", "Statement": [other_statement(bucket)]}))
    code, r = ws.plan_exitcode()
    assert code == 2 and re.search(r"grant_bucket_read\s+= false -> true", r.stdout), r.stdout
    before = len(emulator.request_log())
    ws.apply()
    # Only the policy is touched, not the distribution.
    assert "UpdateDistribution" not in ops(emulator, before)
    assert_grant(emulator, bucket, arn, dist_id)
    assert statements(policy_of(emulator, bucket))[0] == other_statement(bucket)
    code, r = ws.plan_exitcode()
    assert code == 0, r.output

    # Drift: the statement altered (a wider action) is put back exactly.
    policy = policy_of(emulator, bucket)
    for s in statements(policy):
        if s.get("Sid", "").startswith("LsmsCloudFront"):
            s["Action"] = "s3:*"
    emulator.client("s3").put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
    code, r = ws.plan_exitcode()
    assert code == 2 and "grant_bucket_read" in r.stdout, r.stdout
    before = len(emulator.request_log())
    t0 = time.monotonic()
    ws.apply()
    update_s = time.monotonic() - t0
    update_calls = calls(emulator, before)
    assert_grant(emulator, bucket, arn, dist_id)

    # Drift: the OAC detached and deleted behind Terraform's back (it cannot
    # be deleted while in use): the plan shows a new one, apply attaches it.
    got = cf.get_distribution_config(Id=dist_id)
    dc = got["DistributionConfig"]
    del dc["Origins"]["Items"][0]["OriginAccessControlId"]
    cf.update_distribution(Id=dist_id, IfMatch=got["ETag"], DistributionConfig=dc)
    cf.delete_origin_access_control(Id=oac_id,
                                    IfMatch=cf.get_origin_access_control(Id=oac_id)["ETag"])
    code, r = ws.plan_exitcode()
    assert code == 2 and re.search(r"origin_access_control_id\s+= .*\(known after apply\)",
                                   r.stdout), r.stdout
    ws.apply()
    state = ws.resource_values(ADDR)
    new_oac = state["origin_access_control_id"]
    assert new_oac and new_oac != oac_id
    assert origin_of(emulator, dist_id)["OriginAccessControlId"] == new_oac
    assert set(oacs(emulator)) - oacs_before == {new_oac}
    code, r = ws.plan_exitcode()
    assert code == 0, r.output

    # Drift: the OAC's settings changed (requests no longer signed): the
    # same OAC gets them back (UpdateOriginAccessControl with its ETag).
    got = cf.get_origin_access_control(Id=new_oac)
    changed = got["OriginAccessControl"]["OriginAccessControlConfig"]
    changed["SigningBehavior"] = "never"
    cf.update_origin_access_control(Id=new_oac, IfMatch=got["ETag"],
                                    OriginAccessControlConfig=changed)
    code, r = ws.plan_exitcode()
    assert code == 2 and "origin_access_control_id" in r.stdout, r.stdout
    before = len(emulator.request_log())
    ws.apply()
    assert "UpdateOriginAccessControl" in ops(emulator, before)
    assert ws.resource_values(ADDR)["origin_access_control_id"] == new_oac
    assert cf.get_origin_access_control(Id=new_oac)["OriginAccessControl"][
        "OriginAccessControlConfig"]["SigningBehavior"] == "always"
    assert set(oacs(emulator)) - oacs_before == {new_oac}
    code, r = ws.plan_exitcode()
    assert code == 0, r.output

    # Drift: the OAC detached but not deleted: it is attached again, not
    # replaced (no orphan), since its name is the distribution's.
    got = cf.get_distribution_config(Id=dist_id)
    dc = got["DistributionConfig"]
    del dc["Origins"]["Items"][0]["OriginAccessControlId"]
    cf.update_distribution(Id=dist_id, IfMatch=got["ETag"], DistributionConfig=dc)
    code, r = ws.plan_exitcode()
    assert code == 2, r.stdout
    ws.apply()
    assert ws.resource_values(ADDR)["origin_access_control_id"] == new_oac
    assert origin_of(emulator, dist_id)["OriginAccessControlId"] == new_oac
    assert set(oacs(emulator)) - oacs_before == {new_oac}

    # Destroy: no distribution, no OAC, no statement; the other statement stays.
    before = len(emulator.request_log())
    t0 = time.monotonic()
    ws.destroy()
    destroy_s = time.monotonic() - t0
    delete_calls = calls(emulator, before)
    delete_ops = ops(emulator, before)
    assert delete_ops.index("PutBucketPolicy") < delete_ops.index("DeleteDistribution") < \
        delete_ops.index("DeleteOriginAccessControl")
    assert no_distributions(emulator)
    assert set(oacs(emulator)) == oacs_before
    assert statements(policy_of(emulator, bucket)) == [other_statement(bucket)]

    print(f"\nMEASURE {client[0]} apply {apply_s:.1f}s update {update_s:.1f}s "
          f"destroy {destroy_s:.1f}s")
    print(f"MEASURE create calls {dict(create_calls)}")
    print(f"MEASURE plan (read) calls {dict(read_calls)}")
    print(f"MEASURE update (statement repair) calls {dict(update_calls)}")
    print(f"MEASURE delete calls {dict(delete_calls)}")


def test_migration_between_origins_in_place(client, workspace_factory, emulator):
    """MediaStore -> bucket -> another bucket -> MediaStore, in place: the
    distribution and its domain name stay; the OAC and the statement follow."""
    first = make_bucket(emulator, "mig-a")
    second = make_bucket(emulator, "mig-b", with_other=True)
    ws = workspace_factory(client)
    ws.write("main.tf", config(emulator.url, endpoint_hcl()))
    ws.init()
    ws.apply()
    start = ws.resource_values(ADDR)
    dist_id, domain, arn = start["id"], start["domain_name"], start["arn"]
    assert start["origin_access_control_id"] is None
    oacs_before = set(oacs(emulator))

    # MediaStore -> bucket.
    ws.write("main.tf", config(emulator.url, bucket_hcl(first)))
    code, r = ws.plan_exitcode()
    assert code == 2 and "update in-place" in r.stdout and "must be replaced" not in r.stdout
    before = len(emulator.request_log())
    t0 = time.monotonic()
    ws.apply()
    migrate_s = time.monotonic() - t0
    migrate_calls = calls(emulator, before)
    state = ws.resource_values(ADDR)
    assert (state["id"], state["domain_name"]) == (dist_id, domain)
    oac_a = state["origin_access_control_id"]
    origin = origin_of(emulator, dist_id)
    assert origin["DomainName"] == f"{first}.s3.us-east-1.amazonaws.com"
    assert origin["OriginAccessControlId"] == oac_a
    assert "CustomOriginConfig" not in origin and origin["CustomHeaders"]["Quantity"] == 0
    assert_grant(emulator, first, arn, dist_id)
    # The statement came before the distribution pointed to the bucket.
    migrate_ops = ops(emulator, before)
    assert migrate_ops.index("PutBucketPolicy") < migrate_ops.index("UpdateDistribution")
    code, r = ws.plan_exitcode()
    assert code == 0, r.output

    # Bucket A -> bucket B: the statement moves (A had only ours: its policy
    # goes), B keeps its other statement; A's OAC is replaced by B's.
    ws.write("main.tf", config(emulator.url, bucket_hcl(second)))
    code, r = ws.plan_exitcode()
    assert code == 2 and "must be replaced" not in r.stdout
    before = len(emulator.request_log())
    ws.apply()
    state = ws.resource_values(ADDR)
    assert (state["id"], state["domain_name"]) == (dist_id, domain)
    oac_b = state["origin_access_control_id"]
    assert oac_b != oac_a
    assert origin_of(emulator, dist_id)["OriginAccessControlId"] == oac_b
    assert policy_of(emulator, first) is None
    assert_grant(emulator, second, arn, dist_id)
    assert other_statement(second) in statements(policy_of(emulator, second))
    assert set(oacs(emulator)) - oacs_before == {oac_b}
    move_ops = ops(emulator, before)
    assert move_ops.index("UpdateDistribution") < move_ops.index("DeleteBucketPolicy")
    assert move_ops.index("UpdateDistribution") < move_ops.index("DeleteOriginAccessControl")
    code, r = ws.plan_exitcode()
    assert code == 0, r.output

    # Back to MediaStore: the secret header returns, the OAC and statement go.
    ws.write("main.tf", config(emulator.url, endpoint_hcl()))
    ws.apply()
    state = ws.resource_values(ADDR)
    assert (state["id"], state["domain_name"]) == (dist_id, domain)
    assert state["origin_access_control_id"] is None and state["origin_bucket"] is None
    origin = origin_of(emulator, dist_id)
    assert origin["DomainName"] == ORIGIN_HOST
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    assert origin["CustomHeaders"]["Items"] == [{"HeaderName": "User-Agent", "HeaderValue": SECRET}]
    assert "OriginAccessControlId" not in origin and "S3OriginConfig" not in origin
    assert statements(policy_of(emulator, second)) == [other_statement(second)]
    assert set(oacs(emulator)) == oacs_before
    code, r = ws.plan_exitcode()
    assert code == 0, r.output
    ws.destroy()
    assert no_distributions(emulator)
    print(f"\nMEASURE {client[0]} MediaStore->bucket update {migrate_s:.1f}s "
          f"calls {dict(migrate_calls)}")



def test_migration_keeps_an_endpoint_port_path_and_protocol(client, workspace_factory,
                                                            emulator):
    """An emulator's container endpoint (plain http, a port, a path) -> bucket
    -> the endpoint again, in place: the bucket origin has no OriginPath and
    no CustomOriginConfig, the way back restores OriginPath, the port and
    http-only; every step plans empty afterwards, and an import after the
    way back reads the endpoint in the URL form it was written in."""
    port = int(emulator.url.rsplit(":", 1)[1])
    endpoint = f"http://127.0.0.1:{port}/_mediastore/migrate"
    endpoint_cfg = config(emulator.url, f"""
resource "lsms_distribution" "cdn" {{
  origin_endpoint = "{endpoint}"
  origin_secret   = "{SECRET}"
}}
""")
    bucket = make_bucket(emulator, "mig-port")
    oacs_before = set(oacs(emulator))
    ws = workspace_factory(client)
    ws.write("main.tf", endpoint_cfg)
    ws.init()
    ws.apply()
    dist_id = ws.resource_values(ADDR)["id"]

    def assert_endpoint_origin():
        origin = origin_of(emulator, dist_id)
        assert origin["DomainName"] == "127.0.0.1"
        assert origin["OriginPath"] == "/_mediastore/migrate"
        custom = origin["CustomOriginConfig"]
        assert (custom["HTTPPort"], custom["HTTPSPort"]) == (port, 443)
        assert custom["OriginProtocolPolicy"] == "http-only"
        assert "OriginAccessControlId" not in origin and "S3OriginConfig" not in origin

    assert_endpoint_origin()
    code, r = ws.plan_exitcode()
    assert code == 0, r.output

    ws.write("main.tf", config(emulator.url, f"""
resource "lsms_distribution" "cdn" {{
  origin_bucket = "{bucket}"
}}
"""))
    ws.apply()
    state = ws.resource_values(ADDR)
    assert state["id"] == dist_id and state["origin_endpoint"] is None
    origin = origin_of(emulator, dist_id)
    assert origin["DomainName"] == f"{bucket}.s3.us-east-1.amazonaws.com"
    assert origin.get("OriginPath", "") == ""
    assert "CustomOriginConfig" not in origin
    assert origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}
    assert origin["OriginAccessControlId"] == state["origin_access_control_id"]
    code, r = ws.plan_exitcode()
    assert code == 0, r.output

    ws.write("main.tf", endpoint_cfg)
    ws.apply()
    state = ws.resource_values(ADDR)
    assert state["id"] == dist_id and state["origin_endpoint"] == endpoint
    assert state["origin_bucket"] is None and state["origin_access_control_id"] is None
    assert_endpoint_origin()
    assert policy_of(emulator, bucket) is None
    assert set(oacs(emulator)) == oacs_before
    code, r = ws.plan_exitcode()
    assert code == 0, r.output

    ws.reset_state()
    ws.import_(ADDR, dist_id)
    assert ws.resource_values(ADDR)["origin_endpoint"] == endpoint
    code, r = ws.plan_exitcode()
    assert code == 0, r.output
    ws.destroy()
    assert no_distributions(emulator)
    assert set(oacs(emulator)) == oacs_before

def test_bucket_in_another_region(client, workspace_factory, emulator):
    bucket = make_bucket(emulator, "euro", region="eu-west-1")
    ws = workspace_factory(client)
    ws.write("main.tf", config(emulator.url, bucket_hcl(bucket)))
    ws.init()
    ws.apply()
    state = ws.resource_values(ADDR)
    assert origin_of(emulator, state["id"])["DomainName"] == \
        f"{bucket}.s3.eu-west-1.amazonaws.com"
    assert_grant(emulator, bucket, state["arn"], state["id"])
    code, r = ws.plan_exitcode()
    assert code == 0, r.output
    ws.destroy()
    assert no_distributions(emulator) and policy_of(emulator, bucket) is None


def test_grant_bucket_read_false_leaves_the_policy_alone(client, workspace_factory, emulator):
    bucket = make_bucket(emulator, "nogrant", with_other=True)
    ws = workspace_factory(client)
    ws.write("main.tf", config(emulator.url, bucket_hcl(bucket)))
    ws.init()
    ws.apply()
    state = ws.resource_values(ADDR)
    assert_grant(emulator, bucket, state["arn"], state["id"])
    # Turned off: the statement this resource added goes, the OAC stays.
    ws.write("main.tf", config(emulator.url, bucket_hcl(bucket, "grant_bucket_read = false")))
    ws.apply()
    assert grants(emulator, bucket) == {}
    assert statements(policy_of(emulator, bucket)) == [other_statement(bucket)]
    assert origin_of(emulator, state["id"])["OriginAccessControlId"] == \
        state["origin_access_control_id"]
    code, r = ws.plan_exitcode()
    assert code == 0, r.output
    # retain_on_delete keeps the distribution, its OAC and (with the grant)
    # its statement.
    ws.write("main.tf", config(emulator.url, bucket_hcl(
        bucket, "retain_on_delete = true")))
    ws.apply()
    assert_grant(emulator, bucket, state["arn"], state["id"])
    ws.destroy()
    cf = emulator.client("cloudfront")
    assert cf.get_distribution(Id=state["id"])["Distribution"]["DistributionConfig"][
        "Enabled"] is False
    assert state["origin_access_control_id"] in oacs(emulator)
    assert_grant(emulator, bucket, state["arn"], state["id"])
    # Clean up what was retained, by hand.
    got = cf.get_distribution(Id=state["id"])
    cf.delete_distribution(Id=state["id"], IfMatch=got["ETag"])
    oac_id = state["origin_access_control_id"]
    cf.delete_origin_access_control(Id=oac_id,
                                    IfMatch=cf.get_origin_access_control(Id=oac_id)["ETag"])


@pytest.fixture
def proxied():
    """An emulator of its own behind tests/tools/faultproxy.py."""
    emu = Emulator()
    proxy = None
    try:
        proxy = Proxy(emu.url, os.path.join(emu.state_dir, "proxy.jsonl"), max_seconds=900)
        emu.proxy = proxy
        yield emu
    finally:
        if proxy:
            proxy.stop()
        emu.stop()


def test_two_distributions_on_one_bucket(client, workspace_factory, proxied):
    """Both statements survive although the two creates (and the two
    destroys) edit the policy at the same time: every GetBucketPolicy is held
    1.5 s by the proxy, so without the provider's per-bucket lock both
    would read the same policy and the second write would drop the first
    statement."""
    emulator = proxied
    bucket = make_bucket(emulator, "shared", with_other=True)
    emulator.proxy.set_rules({"faults": [
        {"operation": "GetBucketPolicy", "fault": "slow", "delay_ms": 1500}]})
    ws = workspace_factory(client)
    ws.write("main.tf", config(emulator.proxy.url,
                               bucket_hcl(bucket, name="cdn") + bucket_hcl(bucket, name="cdn2")))
    ws.init()
    ws.apply()
    one = ws.resource_values("lsms_distribution.cdn")
    two = ws.resource_values("lsms_distribution.cdn2")
    found = grants(emulator, bucket)
    assert set(found) == {one["arn"], two["arn"]}, found
    assert other_statement(bucket) in statements(policy_of(emulator, bucket))
    assert one["origin_access_control_id"] != two["origin_access_control_id"]
    # The policy edits were really concurrent: the two creates overlapped.
    log = emulator.proxy.calls()
    assert sum(1 for c in log if c["operation"] == "GetBucketPolicy") >= 2
    code, r = ws.plan_exitcode()
    assert code == 0, r.output
    ws.destroy()
    assert no_distributions(emulator)
    assert oacs(emulator) == {}
    assert statements(policy_of(emulator, bucket)) == [other_statement(bucket)]
    emulator.proxy.set_rules({})


FAULTS = [
    # (operation, occurrence, fault, what must follow)
    ("CreateDistributionWithTags", 1, "error", "no distribution: the OAC is deleted again"),
    ("PutBucketPolicy", 1, "error", "distribution tracked (tainted), replaced by the next apply"),
    ("CreateOriginAccessControl", 1, "drop", "the lost answer's OAC is found by name and used"),
]


@pytest.mark.parametrize("operation,occurrence,fault,why", FAULTS, ids=[f[0] for f in FAULTS])
def test_failed_create_orphans_nothing(client, workspace_factory, proxied, operation,
                                       occurrence, fault, why):
    emulator = proxied
    bucket = make_bucket(emulator, "fault", with_other=True)
    emulator.proxy.set_rules({"faults": [{"operation": operation, "occurrence": occurrence,
                                          "fault": fault}]})
    emulator.proxy.reset()
    ws = workspace_factory(client)
    ws.write("main.tf", config(emulator.proxy.url, bucket_hcl(bucket)))
    ws.init()
    r = ws.apply(check=False)
    injected = [c for c in emulator.proxy.calls() if c["fault"]]
    emulator.proxy.set_rules({})
    assert len(injected) == 1 and injected[0]["operation"] == operation, injected
    tracked = ws.resource_values(ADDR)
    cf = emulator.client("cloudfront")
    dists = [d["Id"] for d in cf.list_distributions()["DistributionList"].get("Items") or []]
    if operation == "CreateDistributionWithTags":
        assert r.returncode != 0, r.output
        assert tracked is None and dists == [] and oacs(emulator) == {}, r.output
        assert grants(emulator, bucket) == {}
    elif operation == "PutBucketPolicy":
        assert r.returncode != 0, r.output
        assert "grant_bucket_read" in r.output
        assert tracked is not None and dists == [tracked["id"]], (tracked, dists)
        assert "tainted" in ws.run("state", "show", "-no-color", ADDR).stdout
        assert set(oacs(emulator)) == {tracked["origin_access_control_id"]}
    else:
        assert r.returncode == 0, r.output
        assert dists == [tracked["id"]]
        assert set(oacs(emulator)) == {tracked["origin_access_control_id"]}
        assert [c["status"] for c in emulator.proxy.calls()
                if c["operation"] == "CreateOriginAccessControl"][-1] == 409
    # The next apply converges and the plan is empty; destroy leaves nothing.
    ws.apply()
    state = ws.resource_values(ADDR)
    assert [d["Id"] for d in cf.list_distributions()["DistributionList"].get("Items")] == \
        [state["id"]]
    assert set(oacs(emulator)) == {state["origin_access_control_id"]}
    assert_grant(emulator, bucket, state["arn"], state["id"])
    code, plan = ws.plan_exitcode()
    assert code == 0, plan.output
    ws.destroy()
    assert no_distributions(emulator) and oacs(emulator) == {}
    assert statements(policy_of(emulator, bucket)) == [other_statement(bucket)]


def test_failed_migration_orphans_nothing(client, workspace_factory, proxied):
    """MediaStore -> bucket where UpdateDistribution fails: the OAC and the
    statement made for the bucket are taken back, the distribution keeps its
    container origin and the state says so; the next apply migrates."""
    emulator = proxied
    bucket = make_bucket(emulator, "migfail", with_other=True)
    ws = workspace_factory(client)
    ws.write("main.tf", config(emulator.proxy.url, endpoint_hcl()))
    ws.init()
    ws.apply()
    dist_id = ws.resource_values(ADDR)["id"]
    ws.write("main.tf", config(emulator.proxy.url, bucket_hcl(bucket)))
    emulator.proxy.set_rules({"faults": [{"operation": "UpdateDistribution", "occurrence": 1,
                                          "fault": "error"}]})
    emulator.proxy.reset()
    r = ws.apply(check=False)
    emulator.proxy.set_rules({})
    assert r.returncode != 0 and "Cannot update the CloudFront distribution" in r.output, r.output
    # Both were made, then undone (the statement removed by a second write,
    # since the bucket's other statement stays; the OAC deleted).
    made = [(c["operation"], c["status"]) for c in emulator.proxy.calls() if c["operation"] in (
        "CreateOriginAccessControl", "PutBucketPolicy", "UpdateDistribution",
        "DeleteOriginAccessControl")]
    assert made == [("CreateOriginAccessControl", 201), ("PutBucketPolicy", 200),
                    ("UpdateDistribution", 400), ("PutBucketPolicy", 200),
                    ("DeleteOriginAccessControl", 204)], made
    assert oacs(emulator) == {}
    assert grants(emulator, bucket) == {}
    assert statements(policy_of(emulator, bucket)) == [other_statement(bucket)]
    assert origin_of(emulator, dist_id)["DomainName"] == ORIGIN_HOST
    state = ws.resource_values(ADDR)
    assert state["origin_endpoint"] and state["origin_bucket"] is None
    ws.apply()
    state = ws.resource_values(ADDR)
    assert state["id"] == dist_id and set(oacs(emulator)) == {state["origin_access_control_id"]}
    assert_grant(emulator, bucket, state["arn"], dist_id)
    ws.destroy()
    assert no_distributions(emulator) and oacs(emulator) == {}
    assert statements(policy_of(emulator, bucket)) == [other_statement(bucket)]


BAD = [
    ('origin_endpoint = "h.example"\n  origin_bucket = "live-origin"', "origin_bucket",
     "Conflicting arguments"),
    ('comment = "no origin"', None, "Missing origin"),
    ('origin_bucket = "live-origin"\n  origin_secret = "s"', "origin_secret",
     "Argument not allowed with origin_bucket"),
    ('origin_bucket = "Live_Origin"', "origin_bucket", "Invalid value"),
    ('origin_bucket = "live.origin"', "origin_bucket", "Invalid value"),
    ('origin_bucket = "xn--live"', "origin_bucket", "Invalid value"),
]


@pytest.mark.parametrize("attrs,attr,summary", BAD, ids=[b[2] + "-" + str(i) for i, b in
                                                          enumerate(BAD)])
def test_bad_origin_fails_at_plan(client, workspace_factory, emulator, attrs, attr, summary):
    ws = workspace_factory(client)
    ws.write("main.tf", config(emulator.url, f"""
resource "lsms_distribution" "cdn" {{
  {attrs}
}}
"""))
    ws.init()
    before = len(emulator.request_log())
    r = ws.plan(check=False)
    assert r.returncode == 1
    assert summary in r.output, r.output
    if attr:
        # The diagnostic points at the attribute's line in main.tf.
        assert re.search(rf"on main\.tf line \d+, in resource \"lsms_distribution\" \"cdn\":\n"
                         rf"\s*\d+:\s*{attr}\s*=", r.output), r.output
    assert calls(emulator, before) == Counter()


def iam_actions(*files):
    actions = set()
    for name in files:
        with open(os.path.join(HERE, "..", "..", "examples", name, "iam-actions.txt")) as f:
            actions.update(l.strip() for l in f if l.strip() and not l.startswith("#"))
    return actions


@pytest.fixture
def auth_emulator():
    """An emulator in moto's auth mode: every request must be signed by an
    IAM user and allowed by its policy."""
    emu = Emulator(env={"INITIAL_NO_AUTH_ACTION_COUNT": "3"})
    try:
        emu.admin = emu.session(*emu.create_user("admin", ALLOW_ALL))
        yield emu
    finally:
        emu.stop()


def deployer_config(emu, keys, body):
    return PROVIDER_BLOCK + provider_for_emulator(
        emu.url, keys=keys, services=("cloudfront", "s3", "sts")) + body


@pytest.mark.parametrize("removed", [None, "s3:PutBucketPolicy",
                                     "cloudfront:CreateOriginAccessControl"])
def test_listed_iam_actions_are_enough(client, workspace_factory, auth_emulator, removed):
    """examples/resources/lsms_distribution/iam-actions.txt (with the
    provider's) is enough for an S3-origin distribution's apply, plan and
    destroy, every call maps to a listed action; without one of the new
    actions the step that needs it fails with AccessDenied naming it."""
    emu = auth_emulator
    listed = iam_actions("provider", os.path.join("resources", "lsms_distribution"))
    actions = listed - {removed}
    admin_iam = emu.client("iam", session=emu.admin, config=NO_RETRY)
    user = f"deployer-{len(actions)}"
    admin_iam.create_user(UserName=user)
    admin_iam.put_user_policy(UserName=user, PolicyName="lsms", PolicyDocument=moto_policy(actions))
    key = admin_iam.create_access_key(UserName=user)["AccessKey"]
    keys = (key["AccessKeyId"], key["SecretAccessKey"])
    s3 = emu.client("s3", session=emu.admin, config=NO_RETRY)
    bucket = f"auth-{time.monotonic_ns() % 10**12}"
    s3.create_bucket(Bucket=bucket)
    ws = workspace_factory(client)
    ws.write("main.tf", deployer_config(emu, keys, bucket_hcl(bucket)))
    ws.init()
    start = len(emu.request_log())
    if removed:
        r = ws.apply(check=False)
        assert r.returncode != 0 and "AccessDenied" in r.output, r.output
        operation = removed.split(":")[1]
        assert operation in r.output, r.output
        # Whatever was made is tracked, so destroy with every action cleans up.
        admin_iam.put_user_policy(UserName=user, PolicyName="lsms",
                                  PolicyDocument=moto_policy(listed))
        ws.destroy()
    else:
        ws.apply()
        code, plan = ws.plan_exitcode()
        assert code == 0, plan.output
        ws.destroy()
        seen = {(r["service"], r["operation"], r["status"])
                for r in emu.request_log()[start:] if r["service"] != "moto-api"}
        assert not {x for x in seen if x[2] in (401, 403)}, seen
        called = {a for svc, op, _ in seen for a in actions_of(svc, op)}
        assert called <= listed, called - listed
    cf = emu.client("cloudfront", session=emu.admin, config=NO_RETRY)
    assert not cf.list_distributions()["DistributionList"].get("Items")
    assert not cf.list_origin_access_controls()["OriginAccessControlList"].get("Items")
