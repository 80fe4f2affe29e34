"""A hard failure at every step of `tofu apply` of examples/complete leaves
nothing OpenTofu does not know about.

First a clean apply through the fault proxy counts the AWS calls (N). Then,
for each call index k (every 5th in `make test`, all of 1..N in `make soak`),
on an emptied emulator: apply with call k failing, list everything in the
emulator with boto3 and check each item is referenced by the state (no
orphan); then an apply without faults converges, a plan is empty and destroy
leaves the emulator empty.

The injected failure is a non-retryable 400 in the service's own format
(ValidationException, BadRequestException, InvalidArgument, ValidationError),
or in soak also a connection reset with max_retries = 0, and the same for
the RTMP_PUSH input (input security group) and a pull password (SSM
parameter).
"""

import json
import os
import time

from stack import Stack, report, unknown_to_state

SAMPLE_STEP = 5

VARIANTS = {
    # name: (fault, -var arguments, max_retries = 0 in the provider block)
    "error": ("error", [], False),
    "reset-no-retries": ("reset", [], True),
    "rtmp-push-error": ("error", ["-var=input_type=RTMP_PUSH"], False),
    "pull-password-error": ("error", ["-var=pull_user=viewer", "-var=pull_pass=s3cret-pass"],
                            False),
}
SOAK_ONLY = {"reset-no-retries", "rtmp-push-error", "pull-password-error"}


def no_retries(ws_path):
    main = os.path.join(ws_path, "main.tf")
    with open(main) as f:
        text = f.read()
    text = text.replace("  region = var.region\n",
                        "  region      = var.region\n  max_retries = 0\n", 1)
    assert "max_retries = 0" in text
    with open(main, "w") as f:
        f.write(text)


def clean_run(stack, args):
    stack.reset_emulator()
    stack.ws.reset_state()
    stack.proxy.set_rules({})
    stack.proxy.reset()
    stack.ws.apply(*args)
    calls = stack.proxy.calls()
    stack.ws.destroy(*args)
    return calls


def faulted_run(stack, args, k, fault):
    """One step: returns a dict of what happened and the problems found."""
    ws = stack.ws
    stack.reset_emulator()
    ws.reset_state()
    stack.proxy.set_rules({"faults": [{"call": k, "fault": fault}]})
    stack.proxy.reset()
    t0 = time.monotonic()
    r = ws.apply(*args, check=False)
    calls = stack.proxy.calls()
    stack.proxy.set_rules({})
    hit = [c for c in calls if c["fault"]]
    step = {"k": k, "apply_rc": r.returncode,
            "operation": f"{hit[0]['service']}:{hit[0]['operation']}" if hit else None,
            "calls": len(calls), "problems": []}
    state = ws.state()
    found = stack.inventory()
    orphans = unknown_to_state(found, state)
    if orphans:
        step["problems"].append(f"orphans {orphans}")
    if hit and r.returncode == 0:
        # Some calls may fail harmlessly (a lookup), but then the stack must be complete.
        step["note"] = "apply succeeded despite the fault"
    converge = ws.apply(*args, check=False)
    if converge.returncode != 0:
        step["problems"].append(f"second apply failed: {converge.output[-2000:]}")
    else:
        code, plan = ws.plan_exitcode(*args)
        if code != 0:
            step["problems"].append(f"plan after the second apply not empty: "
                                    f"{plan.output[-2000:]}")
    destroy = ws.destroy(*args, check=False)
    left = stack.inventory()
    if destroy.returncode != 0:
        step["problems"].append(f"destroy failed: {destroy.output[-2000:]}")
    if any(left.values()):
        step["problems"].append(f"left after destroy: {left}")
    step["seconds"] = round(time.monotonic() - t0, 1)
    return step


def pytest_generate_tests(metafunc):
    if "variant" in metafunc.fixturenames:
        soak = metafunc.config.getoption("--soak")
        metafunc.parametrize("variant", [v for v in VARIANTS if soak or v not in SOAK_ONLY])


def test_failure_at_each_call_leaves_no_orphan(tofu, tfrc, tmp_path, soak, variant):
    fault, args, zero_retries = VARIANTS[variant]
    stack = Stack(tofu, tfrc, tmp_path)
    try:
        if zero_retries:
            no_retries(stack.ws.path)
        stack.ws.init()
        calls = clean_run(stack, args)
        n = len(calls)
        assert n >= 20, calls  # the complete example makes ~27 calls: the proxy saw them
        indexes = list(range(1, n + 1)) if soak else list(range(1, n + 1, SAMPLE_STEP))
        steps = [faulted_run(stack, args, k, fault) for k in indexes]
    finally:
        stack.close()
    bad = [s for s in steps if s["problems"]]
    report(f"fault-steps-{variant}", {
        "variant": variant, "fault": fault, "clean_apply_calls": n,
        "clean_apply_operations": [f"{c['service']}:{c['operation']}" for c in calls],
        "indexes_tested": len(steps), "failing_indexes": [s["k"] for s in bad],
        "applies_failed_by_fault": sum(1 for s in steps if s["apply_rc"] != 0),
        "steps": steps}, tmp_path)
    # Every faulted apply really hit its fault (the index was within the run).
    assert all(s["operation"] for s in steps), steps
    assert not bad, json.dumps(bad, indent=1)
