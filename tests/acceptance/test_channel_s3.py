"""Issue 13 (lsms_channel bullet): a channel whose destination is an S3 bucket.

MediaLive writes the HLS ladder to s3ssl://<bucket>/<stream_path> with the
HLS S3 CDN settings and no canned ACL; the managed role may put and get
objects only under the stream's folder of that bucket (and list only that
prefix). The destination moves between a MediaStore container and a bucket
in place, the role's policy following it. Bad destinations are refused at
plan, on the attribute, before any AWS call.

Checked with boto3 against the emulator: the channel's destination and CDN
settings, the role's inline policy, the calls made (the emulator's request
log), and that destroy leaves no channel, input, security group, role or
parameter (the bucket and the container are the test's own).
"""

import json
import time

import pytest

from harness import PROVIDER_BLOCK, provider_for_emulator
from test_channel import check_gone, emulator_with_container, medialive_calls, record

CONTAINER = "acc-s3-move-origin"
POLICY_NAME = "lsms-medialive"


@pytest.fixture(scope="module")
def emulator():
    # A real container for the moves between MediaStore and S3 (the channel
    # limits its role to the container with that endpoint).
    emu = emulator_with_container(CONTAINER)
    try:
        yield emu
    finally:
        emu.stop()


def make_bucket(emulator, name):
    emulator.client("s3").create_bucket(Bucket=name)
    return name


def channel_hcl(emulator, name, destination, start=False, extra=""):
    """A RTMP push channel; `destination` is the HCL line naming it."""
    return PROVIDER_BLOCK + provider_for_emulator(emulator.url) + f"""
resource "lsms_channel" "live" {{
  name          = "{name}"
  input_type    = "RTMP_PUSH"
  input_cidr    = ["203.0.113.0/24"]
  {destination}
  channel_start = {"true" if start else "false"}
  {extra}
}}
"""


def bucket_line(bucket):
    return f'destination_bucket = "{bucket}"'


def container_line(emulator):
    return f'container_endpoint = "{emulator.endpoint}"'


def role_policy(emulator, role_arn):
    doc = emulator.client("iam").get_role_policy(
        RoleName=role_arn.rsplit("/", 1)[1], PolicyName=POLICY_NAME)["PolicyDocument"]
    return doc if isinstance(doc, dict) else json.loads(doc)


def storage_statements(policy):
    """The statements granting MediaStore or S3 actions (the destination)."""
    def actions(s):
        a = s["Action"]
        return a if isinstance(a, list) else [a]
    return [s for s in policy["Statement"]
            if any(a.startswith(("s3:", "mediastore:")) for a in actions(s))]


def assert_role_limited_to_bucket(emulator, role_arn, bucket, folder="stream"):
    stmts = sorted(storage_statements(role_policy(emulator, role_arn)), key=lambda s: s["Sid"])
    assert stmts == [
        {"Sid": "S3Output", "Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject",
                                                          "s3:DeleteObject"],
         "Resource": f"arn:aws:s3:::{bucket}/{folder}/*"},
        {"Sid": "S3OutputList", "Effect": "Allow", "Action": "s3:ListBucket",
         "Resource": f"arn:aws:s3:::{bucket}",
         "Condition": {"StringLike": {"s3:prefix": [f"{folder}/*"]}}},
    ], stmts


def assert_role_limited_to_container(emulator, role_arn):
    (stmt,) = storage_statements(role_policy(emulator, role_arn))
    assert all(a.startswith("mediastore:") for a in stmt["Action"]), stmt
    assert stmt["Resource"] == [emulator.container_arn, emulator.container_arn + "/*"]


def hls_group(channel):
    (group,) = channel["EncoderSettings"]["OutputGroups"]
    return group["OutputGroupSettings"]["HlsGroupSettings"]


def destination_urls(channel):
    (dest,) = channel["Destinations"]
    return [s["Url"] for s in dest["Settings"]]


def timed(fn, *args):
    t0 = time.monotonic()
    r = fn(*args)
    return r, time.monotonic() - t0


def test_bucket_destination_lifecycle(client, workspace_factory, emulator):
    name = f"acc-s3-{client[0]}"
    bucket = make_bucket(emulator, f"acc-s3-dest-{client[0]}")
    ws = workspace_factory(client)
    ws.write("main.tf", channel_hcl(emulator, name, bucket_line(bucket)))
    ws.init()

    mark = len(emulator.request_log())
    _, secs = timed(ws.apply)
    calls = medialive_calls(emulator, mark)
    record(f"create S3 destination ({client[0]})", calls, secs)
    # The role is limited to the bucket by name: no MediaStore lookup.
    assert "mediastore:ListContainers" not in calls, calls
    values = ws.resource_values("lsms_channel.live")
    assert values["destination_bucket"] == bucket and values["container_endpoint"] is None
    assert values["stream_path"] == "stream/index"

    ml = emulator.client("medialive")
    ch = ml.describe_channel(ChannelId=values["id"])
    assert destination_urls(ch) == [f"s3ssl://{bucket}/stream/index"]
    # HLS S3 settings, without a canned ACL (the bucket enforces its owner).
    assert hls_group(ch)["HlsCdnSettings"] == {"HlsS3Settings": {}}
    assert ch["RoleArn"] == values["role_arn"]
    assert_role_limited_to_bucket(emulator, values["role_arn"], bucket)

    code, result = ws.plan_exitcode()
    assert code == 0, result.stdout
    mark = len(emulator.request_log())
    _, secs = timed(ws.plan)
    record(f"read (plan) S3 destination ({client[0]})", medialive_calls(emulator, mark), secs)

    # Import by channel id: the destination comes back as the bucket.
    ws.reset_state()
    ws.import_("lsms_channel.live", values["id"])
    imported = ws.resource_values("lsms_channel.live")
    assert imported["destination_bucket"] == bucket and imported["container_endpoint"] is None
    code, result = ws.plan_exitcode()
    assert code == 0, result.stdout

    mark = len(emulator.request_log())
    _, secs = timed(ws.destroy)
    record(f"delete S3 destination ({client[0]})", medialive_calls(emulator, mark), secs)
    check_gone(emulator, name, values)
    emulator.client("s3").delete_bucket(Bucket=bucket)


def test_destination_moves_between_container_and_bucket_in_place(client, workspace_factory,
                                                                 emulator):
    name = f"acc-s3-move-{client[0]}"
    bucket = make_bucket(emulator, f"acc-s3-move-{client[0]}")
    ws = workspace_factory(client)
    ws.write("main.tf", channel_hcl(emulator, name, container_line(emulator), start=True))
    ws.init()
    ws.apply()
    values = ws.resource_values("lsms_channel.live")
    ml = emulator.client("medialive")
    assert_role_limited_to_container(emulator, values["role_arn"])

    # Container -> bucket: an update in place, nothing replaced.
    ws.write("main.tf", channel_hcl(emulator, name, bucket_line(bucket), start=True))
    ws.plan("-out=move.plan")
    plan = json.loads(ws.run("show", "-json", "move.plan").stdout)
    (change,) = [c for c in plan["resource_changes"] if c["address"] == "lsms_channel.live"]
    assert change["change"]["actions"] == ["update"]
    assert not change["change"].get("replace_paths")
    mark = len(emulator.request_log())
    _, secs = timed(ws.apply, "move.plan")
    calls = medialive_calls(emulator, mark)
    record(f"update container -> bucket ({client[0]})", calls, secs)
    after = ws.resource_values("lsms_channel.live")
    assert (after["id"], after["input_id"], after["role_arn"]) == \
        (values["id"], values["input_id"], values["role_arn"])
    ch = ml.describe_channel(ChannelId=values["id"])
    assert destination_urls(ch) == [f"s3ssl://{bucket}/stream/index"]
    assert hls_group(ch)["HlsCdnSettings"] == {"HlsS3Settings": {}}
    assert ch["State"] == "RUNNING"
    # The role follows the destination; the running channel was stopped for
    # the edit and started again; nothing was created or deleted.
    assert_role_limited_to_bucket(emulator, values["role_arn"], bucket)
    for op, n in (("iam:PutRolePolicy", 1), ("medialive:UpdateChannel", 1),
                  ("medialive:StopChannel", 1), ("medialive:StartChannel", 1)):
        assert calls.get(op) == n, (op, calls)
    for op in ("medialive:CreateChannel", "medialive:DeleteChannel", "medialive:CreateInput",
               "iam:CreateRole", "iam:DeleteRole"):
        assert op not in calls, (op, calls)
    assert ws.plan_exitcode()[0] == 0

    # And back, with another stream path: the role is the container's again.
    ws.write("main.tf", channel_hcl(emulator, name, container_line(emulator), start=True,
                                    extra='stream_path = "live/main"'))
    mark = len(emulator.request_log())
    ws.apply()
    calls = medialive_calls(emulator, mark)
    ch = ml.describe_channel(ChannelId=values["id"])
    host_path = emulator.endpoint.split("://", 1)[1]
    assert destination_urls(ch) == [f"mediastoressl://{host_path}/live/main"]
    assert "HlsS3Settings" not in hls_group(ch).get("HlsCdnSettings", {})
    assert_role_limited_to_container(emulator, values["role_arn"])
    assert calls.get("iam:PutRolePolicy") == 1 and "medialive:CreateChannel" not in calls
    assert ws.plan_exitcode()[0] == 0

    ws.destroy()
    check_gone(emulator, name, values)
    emulator.client("s3").delete_bucket(Bucket=bucket)


BAD_DESTINATIONS = [
    # (id, destination lines, attribute the error points at, words in the detail)
    ("mediastore-endpoint-as-bucket",
     'destination_bucket = "abcdefghijklmn.data.mediastore.us-east-1.amazonaws.com"',
     "destination_bucket", ["MediaStore container endpoint", "container_endpoint"]),
    ("mediastore-url-as-bucket",
     'destination_bucket = "https://abcdefghijklmn.data.mediastore.us-east-1.amazonaws.com"',
     "destination_bucket", ["MediaStore container endpoint"]),
    ("dotted-bucket", 'destination_bucket = "live.example.com"', "destination_bucket",
     ["contains a dot", "MediaLive"]),
    ("both",
     'container_endpoint = "https://abcdefghijklmn.data.mediastore.us-east-1.amazonaws.com"\n'
     '  destination_bucket = "live-origin"',
     "destination_bucket", ["not both"]),
    ("neither", "", None, ["destination_bucket", "container_endpoint"]),
]


@pytest.mark.parametrize("destination,attribute,words",
                         [c[1:] for c in BAD_DESTINATIONS], ids=[c[0] for c in BAD_DESTINATIONS])
def test_bad_destination_refused_at_plan_without_aws_calls(client, workspace_factory, emulator,
                                                           destination, attribute, words):
    ws = workspace_factory(client)
    text = channel_hcl(emulator, "acc-s3-bad", destination)
    ws.write("main.tf", text)
    ws.init()
    mark = len(emulator.request_log())
    r = ws.plan(check=False)
    assert r.returncode == 1, r.output
    if attribute:
        lines = text.splitlines()
        line_no = next(i + 1 for i, line in enumerate(lines)
                       if line.strip().startswith(attribute))
        assert f"on main.tf line {line_no}" in r.output, r.output
    else:
        # Nothing to point at: the diagnostic names both arguments, on the block.
        assert 'resource "lsms_channel" "live"' in r.output, r.output
    flat = " ".join(r.output.split())  # the detail is wrapped to the terminal
    for word in words:
        assert word in flat, r.output
    assert emulator.request_log()[mark:] == []
