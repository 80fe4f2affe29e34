"""Cancellation: SIGINT to `apply` while the provider waits for a CloudFront
distribution to deploy, with each client found (OpenTofu, and Terraform when
it is on PATH). The client sends StopProvider; the provider must give up
within a second (measured from its log line for the StopProvider RPC to the
exit of the client) and return the distribution as partial, so it is in the
saved state and nothing in the emulator is unknown to the state.

Two waits are interrupted: the waiter sleeping between polls (the emulator
keeps the distribution InProgress for 1000 reads), and a poll in flight (the
proxy holds GetDistribution for a minute).
"""

import datetime
import os
import re
import signal
import subprocess
import time

import pytest

import harness
from stack import Stack, report, state_resources, unknown_to_state, wait_for

CONFIG = harness.PROVIDER_BLOCK + """
provider "lsms" {
  region = "us-east-1"
}

resource "lsms_container" "c" {
  name = "stop-test"
}

resource "lsms_distribution" "d" {
  origin_endpoint     = lsms_container.c.endpoint
  origin_secret       = lsms_container.c.origin_secret
  wait_for_deployment = true
}
"""


def stop_provider_time(log_path):
    """Epoch seconds of the provider's own timestamp on its StopProvider line."""
    with open(log_path, errors="replace") as f:
        for line in f:
            if "StopProvider" in line and "rpc received" in line:
                stamp = re.search(r"\btimestamp=(\S+)", line).group(1)
                return datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
    return None


def interrupted_apply(stack, tmp_path, ready):
    """Starts `apply`, sends SIGINT once ready() holds; returns
    (returncode, output, seconds from the StopProvider log line to exit)."""
    ws = stack.ws
    log = os.path.join(str(tmp_path), "apply.log")
    env = dict(ws.env, TF_LOG_PROVIDER="trace", TF_LOG_PATH=log)
    proc = subprocess.Popen([ws.client, "apply", "-no-color", "-input=false", "-auto-approve"],
                            cwd=ws.path, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        assert wait_for(ready, 60), "the apply never reached the wait"
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=60)
        exited = time.time()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    stopped = stop_provider_time(log)
    assert stopped is not None, "no StopProvider in the provider log"
    return proc.returncode, out, exited - stopped


def check_tracked(stack):
    state = stack.ws.state()
    found = stack.inventory()
    dist = [r for r in state_resources(state) if r["type"] == "lsms_distribution"]
    assert dist and dist[0]["values"]["id"] in found["distributions"], (state, found)
    assert len(found["distributions"]) == 1, found
    assert unknown_to_state(found, state) == {}, (found, state)
    return dist[0]


def pytest_generate_tests(metafunc):
    if "repeat" in metafunc.fixturenames:
        n = 5 if metafunc.config.getoption("--soak") else 1
        metafunc.parametrize("repeat", range(n))


@pytest.mark.parametrize("wait", ["waiter-sleep", "poll-in-flight"])
def test_sigint_during_deploy_wait(client, tfrc, tmp_path, wait, repeat):
    if wait == "waiter-sleep":
        emu_env = {"LSMS_EMULATOR_CF_INPROGRESS_READS": "1000"}
    else:
        emu_env = None
    stack = Stack(client, tfrc, tmp_path, example=None, emulator_env=emu_env)
    try:
        ws = stack.ws
        ws.write("main.tf", CONFIG)
        ws.init()
        if wait == "waiter-sleep":
            # The waiter has polled twice: it is now sleeping between polls.
            def ready():
                return sum(1 for c in stack.proxy.calls()
                           if c["operation"] == "GetDistribution") >= 2
        else:
            stack.proxy.set_rules({"faults": [{"operation": "GetDistribution", "occurrence": 1,
                                               "fault": "slow", "delay_ms": 60000}]})

            def ready():
                return any(c["operation"] == "CreateDistributionWithTags"
                           for c in stack.proxy.calls())
        rc, out, latency = interrupted_apply(stack, tmp_path, ready)
        assert rc != 0, out
        assert "Cancelled" in out or "stopped" in out, out
        dist = check_tracked(stack)
        calls = stack.proxy.calls()
        if wait == "poll-in-flight":
            held = [c for c in calls if c["fault"] == "slow"]
            assert held and held[0]["status"] == "client-gone", calls
    finally:
        stack.close()
    report(f"stop-{wait}-{repeat}-{client[0]}", {"latency_s": round(latency, 3),
                                     "distribution": dist["values"]["id"],
                                     "status_in_state": dist["values"].get("status")},
           tmp_path)
    assert latency < 1.0, f"{latency:.3f} s from StopProvider to the exit of {client[0]}"
