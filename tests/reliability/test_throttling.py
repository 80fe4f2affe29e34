"""With 20 % of AWS calls throttled (400 ThrottlingException / Throttling,
429 TooManyRequestsException, 503 SlowDown for S3, 503), chosen at random
with a fixed seed, examples/complete and examples/complete-s3 still apply,
plan empty and destroy to nothing; every throttled attempt shows as a retry
in the provider's debug log. With each client found (OpenTofu, and Terraform
when it is on PATH), each with a stack of its own and the same seeds: a run
takes about 20 s, so the sample is not split between the clients.
"""

import os
import time

from stack import Stack, report, retries_in_log

RATE = 0.2
SEEDS = [20]
SOAK_SEEDS = [20, 21, 22, 23, 24]


EXAMPLES = ["complete", "complete-s3"]


def pytest_generate_tests(metafunc):
    if "seed" in metafunc.fixturenames:
        metafunc.parametrize("seed", SOAK_SEEDS if metafunc.config.getoption("--soak") else SEEDS)
        metafunc.parametrize("example", EXAMPLES)


def test_apply_rides_out_throttling(client, tfrc, tmp_path, example, seed):
    stack = Stack(client, tfrc, tmp_path, example=example)
    figures = {}
    try:
        ws = stack.ws
        ws.init()
        stack.proxy.set_rules({"random": {"rate": RATE, "seed": seed,
                                          "faults": ["throttle", "429", "503"]}})
        stack.proxy.reset()
        for step in ("apply", "plan", "destroy"):
            log = os.path.join(str(tmp_path), f"{step}.log")
            env = {"TF_LOG_PROVIDER": "debug", "TF_LOG_PATH": log}
            before = len(stack.proxy.calls())
            t0 = time.monotonic()
            if step == "plan":
                r = ws.run("plan", "-no-color", "-input=false", "-detailed-exitcode",
                           check=False, extra_env=env)
                assert r.returncode == 0, r.output  # nothing to change after the apply
            else:
                r = ws.run(step, "-no-color", "-input=false", "-auto-approve", extra_env=env)
            r_seconds = time.monotonic() - t0
            calls = stack.proxy.calls()[before:]
            injected = [c for c in calls if c["fault"]]
            attempts, retries = retries_in_log(log)
            figures[step] = {"seconds": round(r_seconds, 1),
                             "calls": len(calls), "throttled": len(injected),
                             "attempts_logged": attempts, "retries_logged": retries,
                             "by_fault": {f: sum(1 for c in injected if c["fault"] == f)
                                          for f in ("throttle", "429", "503")}}
            # One log line per attempt, and each throttled attempt was retried.
            assert attempts == len(calls), (step, figures[step])
            assert retries == len(injected), (step, figures[step])
        assert not any(stack.inventory().values()), stack.inventory()
    finally:
        stack.close()
    total = sum(f["calls"] for f in figures.values())
    throttled = sum(f["throttled"] for f in figures.values())
    report(f"throttling-{example}-seed{seed}-{client[0]}",
           {"client": client[0], "example": example, "rate": RATE, "seed": seed,
            "calls": total, "throttled": throttled, "steps": figures}, tmp_path)
    # The seed really throttled about a fifth of the calls (not a no-op run).
    assert 0.1 * total <= throttled <= 0.3 * total and throttled >= 5, figures
