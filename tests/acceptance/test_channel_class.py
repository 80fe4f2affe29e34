"""Issue 14: STANDARD channels (two pipelines) and changing the class in place.

A STANDARD channel has a standard-class input (two push endpoints where AWS
gives two, two pull sources) and writes both pipelines from its one HLS
output group: one destination with two URLs, pipeline 0 at stream_path and
pipeline 1 beside it. The class changes in place with MediaLive's
UpdateChannelClass while the channel is idle; with channel_start = true the
channel is stopped, changed and started again.

What exists is read back with boto3 from the emulator, which derives input
classes, serves UpdateChannelClass and refuses a channel whose inputs or
destinations do not fit its class (tests/emulator/README.md); the calls made
are counted from its request log.
"""

import json
import time

import pytest

from harness import PROVIDER_BLOCK, provider_for_emulator
from test_channel import check_gone, emulator_with_container, medialive_calls, record

CONTAINER = "acc-class-origin"
BUCKET = "acc-class-origin"


@pytest.fixture(scope="module")
def emulator():
    emu = emulator_with_container(CONTAINER)
    try:
        emu.client("s3").create_bucket(Bucket=BUCKET)
        yield emu
    finally:
        emu.stop()


INPUTS = {
    "RTMP_PUSH": 'input_cidr = ["203.0.113.0/24"]',
    "RTP_PUSH": 'input_cidr = ["203.0.113.0/24"]',
    "URL_PULL": 'pull_url = "https://example.com/a/index.m3u8"\n'
                '  pull_url_pipeline1 = "https://example.org/b/index.m3u8"',
}


def channel_hcl(emulator, name, input_type, cls, start=False, bucket=False):
    destination = (f'destination_bucket = "{BUCKET}"' if bucket
                   else f'container_endpoint = "{emulator.endpoint}"')
    return PROVIDER_BLOCK + provider_for_emulator(emulator.url) + f"""
resource "lsms_channel" "live" {{
  name          = "{name}"
  input_type    = "{input_type}"
  {INPUTS[input_type]}
  {destination}
  channel_class = "{cls}"
  channel_start = {"true" if start else "false"}
}}
"""


def output_urls(emulator, bucket):
    if bucket:
        base = f"s3ssl://{BUCKET}/stream"
    else:
        base = "mediastoressl://" + emulator.endpoint.split("://", 1)[1] + "/stream"
    return [f"{base}/index", f"{base}/pipeline1/index"]


def check_class(emulator, values, cls, bucket=False):
    """boto3's view of the channel and its input for class `cls`."""
    ml = emulator.client("medialive")
    ch = ml.describe_channel(ChannelId=values["id"])
    assert ch["ChannelClass"] == cls
    standard = cls == "STANDARD"
    (dest,) = ch["Destinations"]
    urls = [s["Url"] for s in dest["Settings"]]
    assert urls == output_urls(emulator, bucket)[:2 if standard else 1]
    # The HLS output group writes to that destination: both pipelines' URLs.
    (group,) = ch["EncoderSettings"]["OutputGroups"]
    hls = group["OutputGroupSettings"]["HlsGroupSettings"]
    assert hls["Destination"]["DestinationRefId"] == dest["Id"]
    inp = ml.describe_input(InputId=values["input_id"])
    assert ch["InputAttachments"][0]["InputId"] == inp["Id"]
    if inp["Type"] == "RTP_PUSH":
        assert inp["InputClass"] == "STANDARD"  # RTP is standard-class only
    else:
        assert inp["InputClass"] == cls
    if inp["Type"] in ("RTMP_PUSH", "RTP_PUSH"):
        pushes = 2 if standard or inp["Type"] == "RTP_PUSH" else 1
        assert len(inp["Destinations"]) == pushes
        assert values["input_endpoints"] == [d["Url"] for d in inp["Destinations"]]
    if inp["Type"] == "URL_PULL":
        sources = [s["Url"] for s in inp["Sources"]]
        assert sources == ["https://example.com/a/index.m3u8",
                           "https://example.org/b/index.m3u8"][:2 if standard else 1]
    return ch


def timed(fn, *args):
    t0 = time.monotonic()
    r = fn(*args)
    return r, time.monotonic() - t0


@pytest.mark.parametrize("input_type,bucket", [("RTMP_PUSH", False), ("RTP_PUSH", True),
                                               ("URL_PULL", True)],
                         ids=["RTMP_PUSH-container", "RTP_PUSH-bucket", "URL_PULL-bucket"])
def test_standard_channel_lifecycle(client, workspace_factory, emulator, input_type, bucket):
    name = f"acc-std-{input_type.lower().replace('_', '-')}-{client[0]}"
    ws = workspace_factory(client)
    ws.write("main.tf", channel_hcl(emulator, name, input_type, "STANDARD", bucket=bucket))
    ws.init()
    mark = len(emulator.request_log())
    _, secs = timed(ws.apply)
    record(f"create STANDARD {input_type} ({client[0]})", medialive_calls(emulator, mark), secs)
    values = ws.resource_values("lsms_channel.live")
    assert values["channel_class"] == "STANDARD"
    ch = check_class(emulator, values, "STANDARD", bucket)
    # Idle: no pipeline runs (PipelinesRunningCount, "the number of currently
    # healthy pipelines"); the class is in ChannelClass and the destinations.
    assert ch["State"] == "IDLE" and ch["PipelinesRunningCount"] == 0

    code, result = ws.plan_exitcode()
    assert code == 0, result.stdout
    ws.reset_state()
    ws.import_("lsms_channel.live", values["id"])
    imported = ws.resource_values("lsms_channel.live")
    assert imported["channel_class"] == "STANDARD"
    code, result = ws.plan_exitcode()
    assert code == 0, result.stdout

    mark = len(emulator.request_log())
    _, secs = timed(ws.destroy)
    record(f"delete STANDARD {input_type} ({client[0]})", medialive_calls(emulator, mark), secs)
    check_gone(emulator, name, values)


CLASS_OPS = ("medialive:StopChannel", "medialive:UpdateChannelClass", "medialive:StartChannel")


def switch(ws, emulator, hcl, label):
    """Applies `hcl` (a class change) in place; returns the calls made."""
    ws.write("main.tf", hcl)
    ws.plan("-out=class.plan")
    plan = json.loads(ws.run("show", "-json", "class.plan").stdout)
    (change,) = [c for c in plan["resource_changes"] if c["address"] == "lsms_channel.live"]
    assert change["change"]["actions"] == ["update"]
    assert not change["change"].get("replace_paths")
    mark = len(emulator.request_log())
    _, secs = timed(ws.apply, "class.plan")
    calls = medialive_calls(emulator, mark)
    record(label, calls, secs)
    assert ws.plan_exitcode()[0] == 0
    return calls


def test_class_switches_in_place_idle_and_running(client, workspace_factory, emulator):
    name = f"acc-class-{client[0]}"
    ws = workspace_factory(client)
    ws.write("main.tf", channel_hcl(emulator, name, "RTMP_PUSH", "SINGLE_PIPELINE"))
    ws.init()
    ws.apply()
    values = ws.resource_values("lsms_channel.live")
    check_class(emulator, values, "SINGLE_PIPELINE")
    ml = emulator.client("medialive")

    for start in (False, True):
        if start:
            ws.write("main.tf", channel_hcl(emulator, name, "RTMP_PUSH", "SINGLE_PIPELINE",
                                            start=True))
            ws.apply()
        state = "RUNNING" if start else "IDLE"
        for cls in ("STANDARD", "SINGLE_PIPELINE"):
            calls = switch(ws, emulator,
                           channel_hcl(emulator, name, "RTMP_PUSH", cls, start=start),
                           f"update to {cls}, {state} ({client[0]})")
            after = ws.resource_values("lsms_channel.live")
            assert (after["id"], after["input_id"]) == (values["id"], values["input_id"])
            assert after["channel_class"] == cls
            ch = check_class(emulator, after, cls)
            assert ch["State"] == state
            # Changed in place: one UpdateChannelClass; a running channel is
            # stopped first and started again after.
            want = {"medialive:UpdateChannelClass": 1}
            if start:
                want.update({"medialive:StopChannel": 1, "medialive:StartChannel": 1})
            assert {op: calls.get(op) for op in CLASS_OPS if op in calls} == want, calls
            for op in ("medialive:CreateChannel", "medialive:DeleteChannel",
                       "medialive:CreateInput", "medialive:DeleteInput"):
                assert op not in calls, (op, calls)
        assert ml.describe_channel(ChannelId=values["id"])["State"] == state

    ws.destroy()
    check_gone(emulator, name, values)
