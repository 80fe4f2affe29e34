"""Regression tests for orphans the step-by-step fault test found: a failure
at one named call of `apply` of examples/complete (the n-th call of an
operation) must leave everything that exists tracked by the state, and a
second apply must converge. With each client found (OpenTofu, and Terraform
when it is on PATH), each with a stack of its own.
"""

import pytest

from stack import Stack, state_resources, unknown_to_state

CASES = [
    # (operation, occurrence, why): the call fails with a non-retryable 400.
    # lsms_channel's create read the new channel back (then DescribeChannel
    # #2, DescribeInput #2) and returned an error without state when that
    # read failed: channel, input and role were orphaned. The channel it
    # records is now the last answer of its wait for IDLE (DescribeChannel #1
    # on).
    ("DescribeChannel", 1, "channel read back after create"),
    ("DescribeInput", 2, "input read back after create"),
]


@pytest.fixture(scope="module")
def stack(client, tfrc, tmp_path_factory):
    s = Stack(client, tfrc, tmp_path_factory.mktemp("partial"))
    s.ws.init()
    yield s
    s.close()


@pytest.mark.parametrize("operation,occurrence,why", CASES, ids=[c[2] for c in CASES])
def test_failed_create_step_leaves_everything_tracked(stack, operation, occurrence, why):
    ws = stack.ws
    stack.reset_emulator()
    ws.reset_state()
    stack.proxy.set_rules({"faults": [{"operation": operation, "occurrence": occurrence,
                                       "fault": "error"}]})
    stack.proxy.reset()
    r = ws.apply(check=False)
    injected = [c for c in stack.proxy.calls() if c["fault"]]
    stack.proxy.set_rules({})
    assert len(injected) == 1 and injected[0]["operation"] == operation, injected
    assert r.returncode != 0, r.output

    state = ws.state()
    found = stack.inventory()
    assert found["channels"], found  # the failure came after the channel existed
    assert unknown_to_state(found, state) == {}, (found, state)
    channel = [x for x in state_resources(state) if x["type"] == "lsms_channel"]
    assert channel and channel[0]["values"]["id"] in found["channels"], state

    ws.apply()
    code, plan = ws.plan_exitcode()
    assert code == 0, plan.output
    ws.destroy()
    assert not any(stack.inventory().values()), stack.inventory()
