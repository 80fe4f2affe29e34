"""A create whose answer is lost after MediaLive acted makes no second resource.

The fault proxy forwards the first CreateChannel (or CreateInput) of an
`apply` of one lsms_channel to the emulator, which creates the channel,
then resets the client's connection (fault `drop`): the provider sees a
connection error and resends the same request, with the same requestId. The
emulator honours MediaLive's requestId idempotency token and answers the
resend with the channel the first call made. Checked with boto3 straight
against the emulator: exactly one channel and one input exist and they are the
ones in the state; nothing is left unreferenced; a plan is empty; and
destroy leaves nothing. With each client found (OpenTofu, and Terraform when
it is on PATH), each with a stack of its own.
"""

import pytest

import harness
from stack import Stack, unknown_to_state

NAME = "lost-answer"
CONFIG = harness.PROVIDER_BLOCK + f"""
provider "lsms" {{
  region = "us-east-1"
}}

resource "lsms_channel" "live" {{
  name               = "{NAME}"
  input_type         = "RTP_PUSH"
  input_cidr         = ["203.0.113.0/24"]
  encoding_profile   = "HD-720p"
  destination_bucket = "lost-answer-origin"
  channel_start      = false
}}
"""


@pytest.fixture(scope="module")
def stack(client, tfrc, tmp_path_factory):
    s = Stack(client, tfrc, tmp_path_factory.mktemp("lost-answer"), example=None)
    s.ws.write("main.tf", CONFIG)
    s.ws.init()
    yield s
    s.close()


def live(items):
    return [x["Id"] for x in items if x.get("State") != "DELETED"]


@pytest.mark.parametrize("operation", ["CreateChannel", "CreateInput"])
def test_create_resent_after_lost_answer_makes_one_resource(stack, operation):
    ws = stack.ws
    stack.reset_emulator()
    ws.reset_state()
    stack.proxy.set_rules({"faults": [{"operation": operation, "occurrence": 1, "fault": "drop"}]})
    stack.proxy.reset()
    try:
        r = ws.apply(check=False)
        calls = [c for c in stack.proxy.calls() if c["operation"] == operation]
    finally:
        stack.proxy.set_rules({})
    assert r.returncode == 0, r.output
    # The emulator acted on the first request (201), its answer was lost, and
    # the provider's resend got a 201 as well.
    assert [c["status"] for c in calls] == ["drop(201)", 201], calls

    values = ws.resource_values("lsms_channel.live")
    ml = stack.emulator.client("medialive")
    assert live(ml.list_channels()["Channels"]) == [values["id"]]
    assert live(ml.list_inputs()["Inputs"]) == [values["input_id"]]
    assert ml.describe_channel(ChannelId=values["id"])["InputAttachments"][0]["InputId"] == \
        values["input_id"]
    assert unknown_to_state(stack.inventory(), ws.state()) == {}

    code, plan = ws.plan_exitcode()
    assert code == 0, plan.output
    ws.destroy()
    assert not any(stack.inventory().values()), stack.inventory()
