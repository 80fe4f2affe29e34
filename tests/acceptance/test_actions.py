"""Issue 22: the actions, invoked by Terraform 1.16.4 against the emulator.

- lsms_channel_start / lsms_channel_stop with `terraform apply -invoke`:
  boto3 then reads the channel RUNNING / IDLE, and the invocation reported
  the states it saw. The configuration wins over them: after a start, the
  plan of a channel with channel_start = false (the default) shows it stopped
  again; with `lifecycle { ignore_changes = [channel_start] }` the plan is
  empty.
- lsms_distribution_invalidate with -invoke: boto3 then reads a Completed
  invalidation of exactly those paths; the invocation reported InProgress,
  then Completed.
- From a resource's lifecycle: a channel created with an action_trigger
  (after_create) is RUNNING when the apply ends; a terraform_data whose input
  changes triggers an invalidation (after_update).
- A failure mid-wait (the fault proxy fails a DescribeChannel poll, a
  GetInvalidation poll) fails the apply with a diagnostic saying what
  happened and the state the object was left in; so does a channel the
  emulator's media plane fails (its role cannot be assumed: back to IDLE,
  with MediaLive's alert quoted).

Only Terraform 1.14+ has actions.
"""

import os
import sys

import pytest

from harness import PROVIDER_BLOCK, name_per_client, provider_for_emulator

HERE = os.path.dirname(os.path.abspath(__file__))
for sub in ("reliability", "tools"):
    sys.path.insert(0, os.path.join(HERE, "..", sub))
from stack import Proxy  # noqa: E402  (tests/reliability: the faultproxy driver)

NAMES = name_per_client("b2act")


def stream_hcl(name, channel_lifecycle=""):
    return f"""
resource "lsms_bucket" "origin" {{
  name = "{name}-origin"
}}

resource "lsms_channel" "live" {{
  name               = "{name}-live"
  input_type         = "RTMP_PUSH"
  input_cidr         = ["198.51.100.0/24"]
  destination_bucket = lsms_bucket.origin.name
  {channel_lifecycle}
}}

resource "lsms_distribution" "cdn" {{
  origin_bucket = lsms_bucket.origin.name
}}

action "lsms_channel_start" "go_live" {{
  config {{
    channel_id = lsms_channel.live.id
  }}
}}

action "lsms_channel_stop" "off_air" {{
  config {{
    channel_id = lsms_channel.live.id
  }}
}}

action "lsms_distribution_invalidate" "manifests" {{
  config {{
    distribution_id = lsms_distribution.cdn.id
    paths           = ["/stream/index.m3u8", "/stream/*"]
  }}
}}
"""


def channel_state(emulator, channel_id):
    return emulator.client("medialive").describe_channel(ChannelId=channel_id)["State"]


@pytest.mark.clients("actions")
def test_start_stop_and_invalidate_by_invoke(client, workspace_factory, emulator):
    name = NAMES[client.name]
    provider = PROVIDER_BLOCK + provider_for_emulator(emulator.url)
    ws = workspace_factory(client)
    ws.write("main.tf", provider + stream_hcl(name))
    ws.init()
    ws.apply()
    channel_id = ws.resource_values("lsms_channel.live")["id"]
    assert channel_state(emulator, channel_id) == "IDLE"

    r = ws.apply("-invoke=action.lsms_channel_start.go_live")
    assert "Actions: 1 invoked" in r.stdout, r.stdout
    assert f"Channel {channel_id} is IDLE." in r.stdout and \
        f"Channel {channel_id} is RUNNING" in r.stdout, r.stdout
    assert channel_state(emulator, channel_id) == "RUNNING"
    # The configuration wins: channel_start defaults to false, so the plan
    # stops the channel again ...
    code, plan = ws.plan_exitcode()
    assert code == 2 and "channel_start           = true -> false" in plan.stdout, plan.stdout
    # ... unless the configuration leaves the running state to the actions.
    ws.write("main.tf", provider + stream_hcl(
        name, "lifecycle {\n    ignore_changes = [channel_start]\n  }"))
    code, plan = ws.plan_exitcode()
    assert code == 0, plan.stdout

    r = ws.apply("-invoke=action.lsms_channel_stop.off_air")
    assert "StopChannel accepted; waiting for IDLE." in r.stdout, r.stdout
    assert channel_state(emulator, channel_id) == "IDLE"

    distribution_id = ws.resource_values("lsms_distribution.cdn")["id"]
    r = ws.apply("-invoke=action.lsms_distribution_invalidate.manifests")
    assert "is InProgress" in r.stdout and "is Completed" in r.stdout, r.stdout
    cf = emulator.client("cloudfront")
    (summary,) = cf.list_invalidations(DistributionId=distribution_id)["InvalidationList"]["Items"]
    inv = cf.get_invalidation(DistributionId=distribution_id, Id=summary["Id"])["Invalidation"]
    assert inv["Status"] == "Completed"
    assert inv["InvalidationBatch"]["Paths"]["Items"] == ["/stream/index.m3u8", "/stream/*"]


@pytest.mark.clients("actions")
def test_actions_triggered_from_a_lifecycle(client, workspace_factory, emulator):
    name = NAMES[client.name] + "-t"
    trigger = """lifecycle {
    ignore_changes = [channel_start]
    action_trigger {
      events  = [after_create]
      actions = [action.lsms_channel_start.go_live]
    }
  }"""
    release = """
resource "terraform_data" "release" {
  input = var.release
  lifecycle {
    action_trigger {
      events  = [after_update]
      actions = [action.lsms_distribution_invalidate.manifests]
    }
  }
}

variable "release" {
  type = string
}
"""
    ws = workspace_factory(client)
    ws.write("main.tf", PROVIDER_BLOCK + provider_for_emulator(emulator.url) +
             stream_hcl(name, trigger) + release)
    ws.init()
    ws.apply("-var=release=1")
    channel_id = ws.resource_values("lsms_channel.live")["id"]
    distribution_id = ws.resource_values("lsms_distribution.cdn")["id"]
    assert channel_state(emulator, channel_id) == "RUNNING"
    cf = emulator.client("cloudfront")
    assert cf.list_invalidations(DistributionId=distribution_id)["InvalidationList"]["Quantity"] == 0
    code, plan = ws.plan_exitcode("-var=release=1")
    assert code == 0, plan.stdout

    ws.apply("-var=release=2")
    items = cf.list_invalidations(DistributionId=distribution_id)["InvalidationList"]["Items"]
    assert [i["Status"] for i in items] == ["Completed"]


@pytest.mark.clients("actions")
def test_a_channel_that_cannot_start_fails_the_action_with_its_alerts(client, workspace_factory,
                                                                      emulator):
    """The emulator's media plane fails the channel: its role does not exist,
    so MediaLive cannot assume it, raises an alert and the channel goes back
    to IDLE. The action says so, quoting the alert."""
    name = NAMES[client.name] + "-n"
    hcl = stream_hcl(name).replace(
        "destination_bucket = lsms_bucket.origin.name",
        "destination_bucket = lsms_bucket.origin.name\n"
        f'  role_arn           = "arn:aws:iam::123456789012:role/{name}-no-such-role"')
    ws = workspace_factory(client)
    ws.write("main.tf", PROVIDER_BLOCK + provider_for_emulator(emulator.url) + hcl)
    ws.init()
    ws.apply()
    channel_id = ws.resource_values("lsms_channel.live")["id"]
    r = ws.apply("-invoke=action.lsms_channel_start.go_live", check=False)
    text = " ".join(r.output.split())
    assert r.returncode != 0 and "Cannot start the MediaLive channel" in text, r.output
    assert "went back to IDLE" in text and "The channel is now IDLE" in text, r.output
    alerts = emulator.client("medialive").list_alerts(ChannelId=channel_id, StateFilter="SET")
    assert alerts["Alerts"], alerts
    assert "MediaLive alerts: " + alerts["Alerts"][0]["Message"].split()[0] in text, r.output
    assert channel_state(emulator, channel_id) == "IDLE"


@pytest.fixture
def proxied(emulator, tmp_path):
    proxy = Proxy(emulator.url, str(tmp_path / "proxy.jsonl"), max_seconds=600)
    try:
        yield proxy
    finally:
        proxy.stop()


@pytest.mark.clients("actions")
def test_a_failure_mid_wait_fails_the_action_and_says_what_is_left(client, workspace_factory,
                                                                   emulator, proxied):
    name = NAMES[client.name] + "-f"
    ws = workspace_factory(client)
    ws.write("main.tf", PROVIDER_BLOCK + provider_for_emulator(proxied.url) + stream_hcl(name))
    ws.init()
    ws.apply()
    channel_id = ws.resource_values("lsms_channel.live")["id"]
    distribution_id = ws.resource_values("lsms_distribution.cdn")["id"]

    # Without refresh, the action's calls alone: DescribeChannel 1 the state
    # before, StartChannel, DescribeChannel 2 the first poll of the wait.
    proxied.reset()
    proxied.set_rules({"faults": [{"operation": "DescribeChannel", "occurrence": 2,
                                   "fault": "error"}]})
    r = ws.apply("-refresh=false", "-invoke=action.lsms_channel_start.go_live", check=False)
    text = " ".join(r.output.split())
    assert r.returncode != 0 and "Cannot start the MediaLive channel" in text, r.output
    assert "The channel is now RUNNING" in text, r.output
    assert channel_state(emulator, channel_id) == "RUNNING"
    assert [c["operation"] for c in proxied.calls() if c["service"] == "medialive"][:3] == \
        ["DescribeChannel", "StartChannel", "DescribeChannel"]

    proxied.reset()
    proxied.set_rules({"faults": [{"operation": "GetInvalidation", "occurrence": 1,
                                   "fault": "error"}]})
    r = ws.apply("-refresh=false", "-invoke=action.lsms_distribution_invalidate.manifests",
                 check=False)
    text = " ".join(r.output.split())
    assert r.returncode != 0 and "The invalidation did not complete" in text, r.output
    assert "was last seen InProgress" in text, r.output
    (summary,) = emulator.client("cloudfront").list_invalidations(
        DistributionId=distribution_id)["InvalidationList"]["Items"]
    assert summary["Id"] in text
