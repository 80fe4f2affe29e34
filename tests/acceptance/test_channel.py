"""Issue: lsms_channel creates, updates in place, imports and destroys a
MediaLive input (with its security group or pull-password parameter), the
role MediaLive assumes, and the channel encoding the HLS ladder.

Everything is checked independently with boto3 against the emulator:
what exists after apply, what changed after an update, and that nothing is
left after destroy (moto keeps deleted channels and inputs listed as
DELETED: that counts as gone).
"""

import collections
import json
import os
import sys

import pytest

from harness import PROVIDER_BLOCK, name_per_client, provider_for_emulator

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "emulator"))
from fixture import Emulator  # noqa: E402

CONTAINER = "acc-channel-origin"
# The channel whose first CreateChannel the emulator refuses: one per client.
FAULT_NAMES = name_per_client("acc-fault")
PASSWORD = "Pw-9f3c1e7a-never-in-logs"
RUNGS = {"HD-1080p": 6, "HD-720p": 5, "SD-540p": 4}
BITRATES = [400000, 800000, 1200000, 1800000, 2700000, 4100000]
MEASURED = os.environ.get("LSMS_CHANNEL_MEASURE_FILE")


@pytest.fixture(scope="module")
def emulator():
    # One emulator for the module, with the first CreateChannel of each of
    # FAULT_NAMES refused, and one real MediaStore container the channels
    # write to: the channel limits its role to the container with that
    # endpoint, so the endpoint must be a container of the account
    # (emu.endpoint, emu.container_arn).
    emu = emulator_with_container(CONTAINER, env={
        "LSMS_EMULATOR_MEDIALIVE_FAIL_CREATE_CHANNEL": ",".join(FAULT_NAMES.values())})
    try:
        yield emu
    finally:
        emu.stop()


def emulator_with_container(name, env=None):
    """A started emulator holding the MediaStore container `name`, its
    endpoint and ARN in emu.endpoint and emu.container_arn. The caller stops
    it."""
    emu = Emulator(env=env)
    try:
        ms = emu.client("mediastore")
        ms.create_container(ContainerName=name)
        container = ms.describe_container(ContainerName=name)["Container"]
        assert container["Status"] == "ACTIVE"
        emu.endpoint, emu.container_arn = container["Endpoint"], container["ARN"]
    except BaseException:
        emu.stop()
        raise
    return emu


def channel_hcl(emulator, name, input_type, profile="HD-720p", cidr="203.0.113.0/24", start=False,
                extra=""):
    args = {
        "RTP_PUSH": f'input_cidr = ["{cidr}"]',
        "RTMP_PUSH": f'input_cidr = ["{cidr}"]',
        "URL_PULL": f'pull_url = "https://example.com/{name}/index.m3u8"\n'
                    f'  pull_user = "viewer"\n  pull_pass = "{PASSWORD}"',
        "INPUT_DEVICE": 'input_device_id = "hd-1234567890abcdef"',
    }[input_type]
    return PROVIDER_BLOCK + provider_for_emulator(emulator.url) + f"""
resource "lsms_channel" "live" {{
  name               = "{name}"
  input_type         = "{input_type}"
  {args}
  encoding_profile   = "{profile}"
  container_endpoint = "{emulator.endpoint}"
  channel_start      = {"true" if start else "false"}
  tags               = {{ Project = "acc" }}
  {extra}
}}
"""


def medialive_calls(emulator, since):
    """{operation: count} of the AWS calls after request-log position `since`."""
    log = emulator.request_log()[since:]
    return dict(collections.Counter(
        f'{r["service"]}:{r["operation"]}' for r in log if r["service"] != "moto-api"))


def record(name, counts, seconds):
    total = sum(counts.values())
    line = {"phase": name, "calls": total, "seconds": round(seconds, 2), "detail": counts}
    print(json.dumps(line))
    if MEASURED:
        with open(MEASURED, "a") as f:
            f.write(json.dumps(line) + "\n")


def live(items, key="State"):
    return [i for i in items if i.get(key) != "DELETED"]


def find_channel(ml, name):
    return [c for c in live(ml.list_channels()["Channels"]) if c["Name"] == name]


def check_gone(emulator, name, ids):
    ml = emulator.client("medialive")
    assert find_channel(ml, name) == []
    inputs = [i for i in live(ml.list_inputs()["Inputs"]) if i["Name"] == name]
    assert inputs == []
    groups = ml.list_input_security_groups()["InputSecurityGroups"]
    assert [g for g in live(groups) if g["Id"] == ids.get("input_security_group_id")] == []
    roles = emulator.client("iam").list_roles()["Roles"]
    assert [r for r in roles if r["RoleName"].startswith(f"lsms-ml-{name}")] == []
    params = emulator.client("ssm").describe_parameters()["Parameters"]
    assert [p for p in params if p["Name"].startswith(f"/lsms/channel/{name}/")] == []


def timed(fn, *args):
    import time
    t0 = time.monotonic()
    r = fn(*args)
    return r, time.monotonic() - t0


@pytest.mark.parametrize("input_type", ["RTP_PUSH", "RTMP_PUSH", "URL_PULL", "INPUT_DEVICE"])
def test_channel_lifecycle_per_input_type(client, workspace_factory, emulator, input_type):
    name = "acc-" + input_type.lower().replace("_", "-") + f"-{client[0]}"
    start = input_type in ("RTMP_PUSH", "URL_PULL")
    ws = workspace_factory(client)
    ws.write("main.tf", channel_hcl(emulator, name, input_type, start=start))
    ws.init()

    # Plan shows the ladder before anything exists.
    plan = ws.plan()
    assert '"_1280x720"' in plan.stdout and '"_1920x1080"' not in plan.stdout

    mark = len(emulator.request_log())
    _, secs = timed(ws.apply)
    record(f"[{client[0]}] create {input_type}", medialive_calls(emulator, mark), secs)
    values = ws.resource_values("lsms_channel.live")

    ml = emulator.client("medialive")
    ch = ml.describe_channel(ChannelId=values["id"])
    assert ch["State"] == ("RUNNING" if start else "IDLE")
    assert values["state"] == ch["State"]
    assert ch["Name"] == name
    videos = ch["EncoderSettings"]["VideoDescriptions"]
    assert len(videos) == RUNGS["HD-720p"]
    assert sorted(v["CodecSettings"]["H264Settings"]["Bitrate"] for v in videos) == BITRATES[:5]
    url = ch["Destinations"][0]["Settings"][0]["Url"]
    assert url == "mediastoressl://" + emulator.endpoint.split("://", 1)[1] + "/stream/index"
    assert ch["InputAttachments"][0]["InputId"] == values["input_id"]
    assert [r["name"] for r in values["renditions"]] == [
        "_512x288", "_640x360", "_768x432", "_960x540", "_1280x720"]

    inp = ml.describe_input(InputId=values["input_id"])
    assert inp["Type"] == input_type and inp["State"] == "ATTACHED"
    if input_type in ("RTP_PUSH", "RTMP_PUSH"):
        group = ml.describe_input_security_group(
            InputSecurityGroupId=values["input_security_group_id"])
        assert [r["Cidr"] for r in group["WhitelistRules"]] == ["203.0.113.0/24"]
        assert inp["SecurityGroups"] == [values["input_security_group_id"]]
        assert values["input_endpoints"] and all(
            e == d["Url"] for e, d in zip(values["input_endpoints"], inp["Destinations"]))
    else:
        assert values["input_security_group_id"] is None and values["input_endpoints"] == []
    if input_type == "RTMP_PUSH":
        assert values["input_endpoints"][0].endswith(f"/{name}/stream")
    if input_type == "URL_PULL":
        src = inp["Sources"][0]
        assert src["Url"] == f"https://example.com/{name}/index.m3u8"
        assert src["Username"] == "viewer"
        param = emulator.client("ssm").get_parameter(Name=src["PasswordParam"],
                                                     WithDecryption=True)["Parameter"]
        assert param["Type"] == "SecureString" and param["Value"] == PASSWORD
        assert ch["InputAttachments"][0]["InputSettings"]["SourceEndBehavior"] == "LOOP"
    if input_type == "INPUT_DEVICE":
        assert inp["InputDevices"][0]["Id"] == "hd-1234567890abcdef"

    role_name = values["role_arn"].rsplit("/", 1)[1]
    assert ch["RoleArn"] == values["role_arn"]
    iam = emulator.client("iam")
    trust = iam.get_role(RoleName=role_name)["Role"]["AssumeRolePolicyDocument"]
    trust = trust if isinstance(trust, dict) else json.loads(trust)
    assert trust["Statement"][0]["Principal"]["Service"] == "medialive.amazonaws.com"
    policy = iam.get_role_policy(RoleName=role_name, PolicyName="lsms-medialive")["PolicyDocument"]
    policy = policy if isinstance(policy, dict) else json.loads(policy)
    # The role may touch the one container and what lies in it, nothing else.
    (store,) = [s for s in policy["Statement"]
                if any(a.startswith("mediastore:") for a in s["Action"])]
    assert store["Resource"] == [emulator.container_arn, emulator.container_arn + "/*"]
    assert ml.list_tags_for_resource(ResourceArn=ch["Arn"])["Tags"] == {"Project": "acc"}

    code, result = ws.plan_exitcode()
    assert code == 0, result.stdout

    mark = len(emulator.request_log())
    _, secs = timed(ws.plan)
    record(f"[{client[0]}] read (plan) {input_type}", medialive_calls(emulator, mark), secs)

    # Update in place: the ladder (and the security group for push inputs).
    ws.write("main.tf", channel_hcl(emulator, name, input_type, profile="HD-1080p",
                                    cidr="198.51.100.0/24", start=start).replace(
                                        "hd-1234567890abcdef", "hd-fedcba0987654321"))
    plan = ws.plan()
    assert "0 to add, 1 to change, 0 to destroy" in plan.stdout
    assert '"_1920x1080"' in plan.stdout
    mark = len(emulator.request_log())
    _, secs = timed(ws.apply)
    calls = medialive_calls(emulator, mark)
    record(f"[{client[0]}] update {input_type}", calls, secs)
    after = ws.resource_values("lsms_channel.live")
    assert after["id"] == values["id"]
    ch = ml.describe_channel(ChannelId=values["id"])
    videos = ch["EncoderSettings"]["VideoDescriptions"]
    assert len(videos) == 6
    assert sorted(v["CodecSettings"]["H264Settings"]["Bitrate"] for v in videos) == BITRATES
    assert ch["State"] == ("RUNNING" if start else "IDLE")
    if start:
        assert calls.get("medialive:StopChannel") == 1 and calls.get("medialive:StartChannel") == 1
    else:
        assert "medialive:StartChannel" not in calls
    if input_type in ("RTP_PUSH", "RTMP_PUSH"):
        group = ml.describe_input_security_group(
            InputSecurityGroupId=values["input_security_group_id"])
        assert [r["Cidr"] for r in group["WhitelistRules"]] == ["198.51.100.0/24"]
        assert calls.get("medialive:UpdateInputSecurityGroup") == 1
    if input_type == "INPUT_DEVICE":
        inp = ml.describe_input(InputId=values["input_id"])
        assert inp["InputDevices"][0]["Id"] == "hd-fedcba0987654321"
        assert after["input_id"] == values["input_id"]
    assert ws.plan_exitcode()[0] == 0

    # Import by channel id: the plan is empty again.
    ws.reset_state()
    ws.import_("lsms_channel.live", values["id"])
    code, result = ws.plan_exitcode()
    assert code == 0, result.stdout

    mark = len(emulator.request_log())
    _, secs = timed(ws.destroy)
    record(f"[{client[0]}] delete {input_type}", medialive_calls(emulator, mark), secs)
    check_gone(emulator, name, values)


def test_channel_start_flips_without_replacement(client, workspace_factory, emulator):
    name = f"acc-flip-{client[0]}"
    ws = workspace_factory(client)
    ws.write("main.tf", channel_hcl(emulator, name, "RTP_PUSH", start=True))
    ws.init()
    ws.apply()
    values = ws.resource_values("lsms_channel.live")
    ml = emulator.client("medialive")
    assert ml.describe_channel(ChannelId=values["id"])["State"] == "RUNNING"
    # Stop it and change its tags in the same apply, in place.
    ws.write("main.tf", channel_hcl(emulator, name, "RTP_PUSH", start=False).replace(
        'Project = "acc"', 'Project = "acc2", Team = "video"'))
    assert "0 to add, 1 to change, 0 to destroy" in ws.plan().stdout
    ws.apply()
    assert ws.resource_values("lsms_channel.live")["id"] == values["id"]
    ch = ml.describe_channel(ChannelId=values["id"])
    assert ch["State"] == "IDLE"
    want = {"Project": "acc2", "Team": "video"}
    assert ml.list_tags_for_resource(ResourceArn=ch["Arn"])["Tags"] == want
    inp = ml.describe_input(InputId=values["input_id"])
    assert ml.list_tags_for_resource(ResourceArn=inp["Arn"])["Tags"] == want
    assert ws.plan_exitcode()[0] == 0
    ws.write("main.tf", channel_hcl(emulator, name, "RTP_PUSH", start=True).replace(
        'Project = "acc"', 'Project = "acc2", Team = "video"'))
    ws.apply()
    assert ml.describe_channel(ChannelId=values["id"])["State"] == "RUNNING"
    # A class change is an update in place (MediaLive's UpdateChannelClass,
    # unlike aws_medialive_channel's ForceNew); the plan says so and nothing
    # is touched until apply (the switch itself: test_channel_class.py).
    ws.write("main.tf", channel_hcl(emulator, name, "RTP_PUSH", start=True,
                                    extra='channel_class = "STANDARD"'))
    ws.plan("-out=class.plan")
    plan = json.loads(ws.run("show", "-json", "class.plan").stdout)
    (change,) = [c for c in plan["resource_changes"] if c["address"] == "lsms_channel.live"]
    assert change["change"]["actions"] == ["update"]
    assert not change["change"].get("replace_paths")
    ch = ml.describe_channel(ChannelId=values["id"])
    assert ch["ChannelClass"] == "SINGLE_PIPELINE" and ch["State"] == "RUNNING"
    ws.write("main.tf", channel_hcl(emulator, name, "RTP_PUSH", start=True).replace(
        'Project = "acc"', 'Project = "acc2", Team = "video"'))
    ws.destroy()
    check_gone(emulator, name, values)


def test_failed_create_leaves_nothing_behind(client, workspace_factory, emulator):
    # Each client's channel has its own name, refused once by the emulator.
    fault_name = FAULT_NAMES[client[0]]
    ws = workspace_factory(client)
    ws.write("main.tf", channel_hcl(emulator, fault_name, "RTMP_PUSH"))
    ws.init()
    result = ws.apply(check=False)
    assert result.returncode != 0
    assert "UnprocessableEntityException" in result.output
    assert ws.resource_values("lsms_channel.live") is None
    ml = emulator.client("medialive")
    assert [i for i in live(ml.list_inputs()["Inputs"]) if i["Name"] == fault_name] == []
    groups = live(ml.list_input_security_groups()["InputSecurityGroups"])
    assert [g for g in groups if g.get("Tags", {}).get("Project") == "acc" and not g["Inputs"]
            and g["WhitelistRules"][0]["Cidr"] == "203.0.113.0/24"] == []
    check_gone(emulator, fault_name, {})
    # The emulator refuses only once: the next apply creates everything.
    ws.apply()
    values = ws.resource_values("lsms_channel.live")
    assert values["id"]
    ws.destroy()
    check_gone(emulator, fault_name, values)


@pytest.mark.older_clients
@pytest.mark.clients("write_only")
def test_pull_password_is_secret_and_write_only_rotates(client, workspace_factory, emulator,
                                                         tmp_path):
    channel = f"acc-secret-{client[0]}"
    log_file = tmp_path / f"{client[0]}.log"
    ws = workspace_factory(client, env={"TF_LOG": "trace", "TF_LOG_PATH": str(log_file)})
    ws.write("main.tf", channel_hcl(emulator, channel, "URL_PULL"))
    ws.init()
    plan = ws.plan()
    assert PASSWORD not in plan.output and "(sensitive value)" in plan.stdout
    ws.apply()
    # A new source URL updates the input in place (the running channel is
    # stopped for the edit and started again).
    ws.write("main.tf", channel_hcl(emulator, channel, "URL_PULL").replace(
        f"{channel}/index.m3u8", f"{channel}/other.m3u8"))
    ws.apply()
    values = ws.resource_values("lsms_channel.live")
    src = emulator.client("medialive").describe_input(InputId=values["input_id"])["Sources"][0]
    assert src["Url"].endswith("/other.m3u8") and src["Username"] == "viewer"
    assert src["PasswordParam"] == f"/lsms/channel/{channel}/pull-password"
    assert ws.plan_exitcode()[0] == 0
    ws.destroy()

    # pull_pass_wo: stored at create, never in state, rotated by the version.
    wo = PASSWORD + "-wo1"
    hcl = channel_hcl(emulator, channel, "URL_PULL").replace(
        f'pull_pass = "{PASSWORD}"', f'pull_pass_wo = "{wo}"\n  pull_pass_wo_version = 1')
    ws.write("main.tf", hcl)
    ws.apply()
    ssm = emulator.client("ssm")
    param = f"/lsms/channel/{channel}/pull-password"
    assert ssm.get_parameter(Name=param, WithDecryption=True)["Parameter"]["Value"] == wo
    state = json.dumps(ws.state())
    assert wo not in state
    assert ws.plan_exitcode()[0] == 0
    ws.write("main.tf", hcl.replace(wo, PASSWORD + "-wo2").replace("version = 1", "version = 2"))
    ws.apply()
    assert ssm.get_parameter(Name=param, WithDecryption=True)["Parameter"]["Value"] == \
        PASSWORD + "-wo2"
    values = ws.resource_values("lsms_channel.live")
    ws.destroy()
    check_gone(emulator, channel, values)

    text = log_file.read_text()
    assert "AmazonSSM.PutParameter" in text or "PutParameter" in text
    assert PASSWORD not in text
    with open(os.path.join(ws.path, "terraform.tfstate")) as f:
        assert PASSWORD + "-wo2" not in f.read()
