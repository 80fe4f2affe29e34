"""A hard failure at every step of `apply` and of `destroy` of
examples/complete (the MediaStore origin) and examples/complete-s3 (the S3
origin) leaves nothing the client (OpenTofu, or Terraform when it is on PATH)
does not know about.

Each client has its own emulator, proxy and stack. First a clean apply and
destroy through the fault proxy count the AWS calls of each (the proxy must
name every one of them: service and operation). Then, for each call index k
(in `make test` every 5th, dealt out to the clients in turn: 1, 11, 21, ...
to OpenTofu and 6, 16, 26, ... to Terraform, so the two together cost about
what one client's whole sample did, counting the calls of every resource but
the demo player, whose calls test_player_faults.py fails one by one; in
`make soak` every index, with every client):

- apply phase, on an emptied emulator: apply with call k failing; list
  everything in the emulator with boto3 and check each item is referenced by
  the state (no orphan; for the S3 origin a bucket policy statement counts
  only while its distribution exists and is in the state); then an apply
  without faults converges, a plan is empty, there is still no orphan, and
  destroy leaves the emulator empty.
- destroy phase, from a whole applied stack: destroy with call k failing;
  the same orphan check against what the state still holds; then an apply
  converges (what the destroy removed comes back), a plan is empty and there
  is still no orphan (a part of a half-deleted resource is not forgotten). That
  stack is where the next index starts; a final destroy must leave the
  emulator empty (and after any step with a problem the next one starts
  from a fresh apply, so one failure is not counted twice).

The injected failure is a non-retryable 400 in the service's own format
(ValidationException, BadRequestException, InvalidArgument, ValidationError),
or in soak also a connection reset with max_retries = 0, and the same for
a URL_PULL input (the examples default to RTMP_PUSH, with its input
security group) and a pull password (SSM parameter).
"""

import json
import os
import time

from stack import Stack, report, unknown_to_state

SAMPLE_STEP = 5

PULL_URL = "https://example.com/live/index.m3u8"  # never pulled: the channel stays stopped
VARIANTS = {
    # name: (fault, -var arguments, max_retries = 0 in the provider block)
    "error": ("error", [], False),
    "reset-no-retries": ("reset", [], True),
    "url-pull-error": ("error", ["-var=input_type=URL_PULL", f"-var=pull_url={PULL_URL}"], False),
    "pull-password-error": ("error", ["-var=input_type=URL_PULL", f"-var=pull_url={PULL_URL}",
                                      "-var=pull_user=viewer", "-var=pull_pass=s3cret-pass"],
                            False),
}
SOAK_ONLY = {"reset-no-retries", "url-pull-error", "pull-password-error"}
EXAMPLES = ["complete", "complete-s3"]
PHASES = ["apply", "destroy"]


def is_player_call(call):
    """A call lsms_player makes: one on an object under player/."""
    return "/player/" in (call.get("path") or "")


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
    """(calls of a clean apply, calls of a clean destroy) on an empty account."""
    stack.reset_emulator()
    stack.ws.reset_state()
    stack.proxy.set_rules({})
    stack.proxy.reset()
    stack.ws.apply(*args)
    applied = stack.proxy.calls()
    stack.proxy.reset()
    stack.ws.destroy(*args)
    destroyed = stack.proxy.calls()
    assert not any(stack.inventory().values()), stack.inventory()
    return applied, destroyed


def fault_on(stack, k, fault):
    stack.proxy.set_rules({"faults": [{"call": k, "fault": fault}]})
    stack.proxy.reset()


def check_after_fault(stack, step, r, args):
    """Orphans against the state, then an apply that converges and an empty plan."""
    ws = stack.ws
    calls = stack.proxy.calls()
    stack.proxy.set_rules({})
    hit = [c for c in calls if c["fault"]]
    step.update({"rc": r.returncode, "calls": len(calls),
                 "operation": f"{hit[0]['service']}:{hit[0]['operation']}" if hit else None})
    orphans = unknown_to_state(stack.inventory(), ws.state())
    if orphans:
        step["problems"].append(f"orphans {orphans}")
    if hit and r.returncode == 0:
        # Some calls may fail harmlessly (a lookup), but then the run must be whole.
        step["note"] = f"{step['phase']} succeeded despite the fault"
    converge = ws.apply(*args, check=False)
    if converge.returncode != 0:
        step["problems"].append(f"second apply failed: {converge.output[-2000:]}")
        return
    code, plan = ws.plan_exitcode(*args)
    if code != 0:
        step["problems"].append(f"plan after the second apply not empty: {plan.output[-2000:]}")
    # What the failed run left must now be in use or gone, not forgotten.
    orphans = unknown_to_state(stack.inventory(), ws.state())
    if orphans:
        step["problems"].append(f"orphans after the second apply {orphans}")


def destroy_to_nothing(stack, step, args):
    destroy = stack.ws.destroy(*args, check=False)
    left = stack.inventory()
    if destroy.returncode != 0:
        step["problems"].append(f"destroy failed: {destroy.output[-2000:]}")
    if any(left.values()):
        step["problems"].append(f"left after destroy: {left}")


def apply_step(stack, args, k, fault):
    """Apply phase, one index: returns what happened and the problems found."""
    ws = stack.ws
    stack.reset_emulator()
    ws.reset_state()
    step = {"k": k, "phase": "apply", "problems": []}
    t0 = time.monotonic()
    fault_on(stack, k, fault)
    check_after_fault(stack, step, ws.apply(*args, check=False), args)
    destroy_to_nothing(stack, step, args)
    step["seconds"] = round(time.monotonic() - t0, 1)
    return step


def destroy_step(stack, args, k, fault, fresh):
    """Destroy phase, one index, from the applied stack in the state (a fresh
    one first when `fresh`)."""
    ws = stack.ws
    t0 = time.monotonic()
    if fresh:
        stack.reset_emulator()
        ws.reset_state()
        ws.apply(*args)
    step = {"k": k, "phase": "destroy", "problems": []}
    fault_on(stack, k, fault)
    check_after_fault(stack, step, ws.destroy(*args, check=False), args)
    step["seconds"] = round(time.monotonic() - t0, 1)
    return step


def pytest_generate_tests(metafunc):
    if "variant" in metafunc.fixturenames:
        soak = metafunc.config.getoption("--soak")
        metafunc.parametrize("variant", [v for v in VARIANTS if soak or v not in SOAK_ONLY])
        metafunc.parametrize("phase", PHASES)
        metafunc.parametrize("example", EXAMPLES)


def test_failure_at_each_call_leaves_no_orphan(client, clients, tfrc, tmp_path, soak, example,
                                               phase, variant):
    fault, args, zero_retries = VARIANTS[variant]
    stack = Stack(client, tfrc, tmp_path, example=example)
    try:
        if zero_retries:
            no_retries(stack.ws.path)
        stack.ws.init()
        applied, destroyed = clean_run(stack, args)
        # The proxy named every call (what a fault rule by operation needs).
        unnamed = [c for c in applied + destroyed if not (c["service"] and c["operation"])]
        assert not unnamed, unnamed
        calls = applied if phase == "apply" else destroyed
        n = len(calls)
        assert n >= 20, calls  # the examples make 25 to 40 calls: the proxy saw them
        if soak:
            indexes = list(range(1, n + 1))
        else:
            # This client's share of the sample: every len(clients)-th index,
            # among the calls of the resources other than the demo player
            # (test_player_faults.py fails each of its calls on its own).
            sampled = [c["index"] for c in calls if not is_player_call(c)]
            indexes = sampled[::SAMPLE_STEP][clients.index(client)::len(clients)]
        steps = []
        for k in indexes:
            if phase == "apply":
                steps.append(apply_step(stack, args, k, fault))
            else:
                fresh = not steps or bool(steps[-1]["problems"])
                steps.append(destroy_step(stack, args, k, fault, fresh))
        if phase == "destroy":
            last = {"k": None, "phase": "final destroy", "problems": []}
            destroy_to_nothing(stack, last, args)
            if last["problems"]:
                steps.append(last)
    finally:
        stack.close()
    bad = [s for s in steps if s["problems"]]
    name = f"fault-steps-{example}-{phase}-{variant}-{client[0]}"
    report(name, {
        "client": client[0], "example": example, "phase": phase, "variant": variant,
        "fault": fault,
        "clean_apply_calls": len(applied), "clean_destroy_calls": len(destroyed),
        "clean_operations": [f"{c['service']}:{c['operation']}" for c in calls],
        "indexes_tested": len(indexes), "failing_indexes": [s["k"] for s in bad],
        "runs_failed_by_fault": sum(1 for s in steps if s.get("rc")),
        "steps": steps}, tmp_path)
    # Every faulted run really hit its fault (the index was within the run).
    assert all(s["operation"] for s in steps if s["k"] is not None), steps
    assert not bad, json.dumps(bad, indent=1)
