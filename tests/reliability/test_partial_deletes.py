"""Regression tests for the orphans the step-by-step fault test found in
destroys: a delete that fails half-way, after the main AWS object of a
resource is gone but before the parts it owns are, must not make the
resource forgettable.

- lsms_channel: DeleteChannel done, then the input, its security group, the
  managed role or the password parameter not deleted. Read dropped the
  channel from state (it was gone), so the next apply created a new one and
  failed on the old role's name (EntityAlreadyExists), and the input was left
  for good.
- lsms_distribution (S3 origin): DeleteDistribution done, then its Origin
  Access Control not deleted (it can only go after the distribution). Read
  dropped the distribution, the next apply made a new OAC and the old one
  was left for good.

Now read keeps such a resource (channel state DELETED, distribution status
Deleted) and the plan replaces it: the next apply finishes the teardown and
creates it anew, or the next destroy finishes it. Either way nothing is
left that the state does not reference, and destroy leaves nothing. With each
client found (OpenTofu, and Terraform when it is on PATH), each with a stack
of its own.
"""

import pytest

from stack import Stack, unknown_to_state

# A pull source behind basic authentication: the channel keeps its password
# in an SSM parameter, the last part its delete removes.
WITH_PASSWORD = ('input_type = "URL_PULL"\npull_url = "https://example.com/live/index.m3u8"\n'
                 'pull_user = "viewer"\npull_pass = "pd-pull-password"\n')

CASES = [
    # (operation that fails, its occurrence in the destroy, the resource then
    # replaced, what the user runs next, terraform.tfvars)
    ("DeleteInput", 1, "module.live.lsms_channel.this", "apply", ""),
    ("DeleteRole", 1, "module.live.lsms_channel.this", "destroy", ""),
    # Only the parameter is left: read finds it (without fetching the
    # password) and keeps the channel.
    ("DeleteParameter", 1, "module.live.lsms_channel.this", "apply", WITH_PASSWORD),
    ("DeleteOriginAccessControl", 1, "module.live.lsms_distribution.this", "apply", ""),
]


@pytest.fixture(scope="module")
def stack(client, tfrc, tmp_path_factory):
    s = Stack(client, tfrc, tmp_path_factory.mktemp("partial-deletes"), example="complete-s3")
    s.ws.init()
    yield s
    s.close()


@pytest.mark.parametrize("operation,occurrence,address,then,tfvars", CASES,
                         ids=[f"{c[0]}-then-{c[3]}" for c in CASES])
def test_half_deleted_resource_is_replaced_or_finished(stack, operation, occurrence, address,
                                                       then, tfvars):
    ws = stack.ws
    stack.reset_emulator()
    ws.reset_state()
    ws.write("terraform.tfvars", tfvars)
    stack.proxy.set_rules({})
    ws.apply()
    stack.proxy.set_rules({"faults": [{"operation": operation, "occurrence": occurrence,
                                       "fault": "error"}]})
    stack.proxy.reset()
    r = ws.destroy(check=False)
    injected = [c for c in stack.proxy.calls() if c["fault"]]
    stack.proxy.set_rules({})
    assert len(injected) == 1 and injected[0]["operation"] == operation, injected
    assert r.returncode != 0, r.output
    assert unknown_to_state(stack.inventory(), ws.state()) == {}

    if then == "apply":
        # The plan says why: the half-deleted resource is replaced.
        code, plan = ws.plan_exitcode()
        assert code == 2, plan.output
        assert f"{address} must be replaced" in plan.output, plan.output
        assert "# forces replacement" in plan.output, plan.output
        ws.apply()
        code, plan = ws.plan_exitcode()
        assert code == 0, plan.output
        assert unknown_to_state(stack.inventory(), ws.state()) == {}
    ws.destroy()
    assert not any(stack.inventory().values()), stack.inventory()
