"""A failure at each AWS call of lsms_player leaves nothing the client does
not know about (issue 20).

Each kind of call the player makes, failed on its own (tests/tools/faultproxy.py,
a non-retryable 400 in the service's format, matched by operation and object
path, so it is hit whatever order the concurrent calls take). hls.js and the
licence are written together before the page, read alike and deleted
together with the page, so one of them stands for the other calls of its
kind:

- create: hls.js's PutObject (the first batch), the page's (the last), and
  the page's together with the DeleteObject that would undo the hls.js
  already written (create then returns what it could not undo, and the
  client tracks it);
- update (a new title rewrites the page): the refresh's GetObject of the page
  and HeadObject/DescribeObject of the licence, then the page's PutObject;
- destroy: hls.js's DeleteObject.

After each failed run: every object outside the stream's folder is one the
state's lsms_player records (tests/reliability/stack.py, unknown_to_state),
an apply without faults converges, the plan after it is empty, there is
still no orphan; the last destroy leaves the emulator empty.

The two origins (an S3 bucket, a MediaStore container) are dealt out to the
clients found, in turn: OpenTofu takes the bucket and Terraform the
container (one client: both), so each origin runs once with one client.
"""

import json
import time

import harness
from stack import Stack, unknown_to_state

ORIGINS = {
    "s3": ("""
resource "lsms_bucket" "origin" {
  name = "faults-player-origin"
}
""", "bucket = lsms_bucket.origin.name", "HeadObject"),
    "mediastore": ("""
resource "lsms_container" "origin" {
  name                = "faults_player_origin"
  access_logging      = false
  create_logging_role = false
}
""", "container_endpoint = lsms_container.origin.endpoint", "DescribeObject"),
}


def pytest_generate_tests(metafunc):
    if "dealt" in metafunc.fixturenames:
        clients = harness.available_clients()
        pairs = [(clients[i % len(clients)], origin) for i, origin in enumerate(ORIGINS)]
        metafunc.parametrize("dealt", pairs, ids=[f"{c[0]}-{o}" for c, o in pairs])


def config(origin):
    resource, ref, _ = ORIGINS[origin]
    return harness.PROVIDER_BLOCK + """
provider "lsms" {
  region = "us-east-1"
}

variable "title" {
  type    = string
  default = "Before"
}
""" + resource + f"""
resource "lsms_player" "demo" {{
  {ref}
  domain_name = "d111111abcdef8.cloudfront.net"
  title       = var.title
}}
"""


def suffix(name, hls_key):
    return "/player/" + (hls_key if name == "hls-" else name)


def check(stack, step, run, args, faults=1):
    """Orphans after the failed run, convergence, an empty plan, no orphan."""
    ws = stack.ws
    hit = [c for c in stack.proxy.calls() if c["fault"]]
    stack.proxy.set_rules({})
    step["hit"] = [f"{c['operation']} {c['path']}" for c in hit]
    if len(hit) != faults:
        step["problems"].append(f"the fault hit {len(hit)} calls")
    if run.returncode == 0:
        step["problems"].append("the run succeeded despite the fault")
    orphans = unknown_to_state(stack.inventory(), ws.state())
    if orphans:
        step["problems"].append(f"orphans {orphans}")
    converge = ws.apply(*args, check=False)
    if converge.returncode != 0:
        step["problems"].append(f"apply after the fault failed: {converge.output[-1500:]}")
        return
    code, plan = ws.plan_exitcode(*args)
    if code != 0:
        step["problems"].append(f"plan after it not empty: {plan.output[-1500:]}")
    orphans = unknown_to_state(stack.inventory(), ws.state())
    if orphans:
        step["problems"].append(f"orphans after converging {orphans}")


def test_failure_at_each_player_call_leaves_no_orphan(tfrc, tmp_path, dealt):
    client, origin = dealt
    head = ORIGINS[origin][2]
    stack = Stack(client, tfrc, tmp_path, example=None)
    steps = []
    try:
        ws = stack.ws
        ws.write("main.tf", config(origin))
        ws.init()
        ws.apply()
        hls_key = next(k for k in ws.resource_values("lsms_player.demo")["objects"]
                       if "/hls-" in k).split("/", 1)[1]
        # Each kind of call once: hls.js and the licence are written together
        # (then the page), read alike and deleted together with the page, so
        # one of each stands for the others.
        scenarios = [("create", "PutObject", "hls-"), ("create", "PutObject", "index.html"),
                     # The page's write fails and so does the clean-up of
                     # hls.js: create returns what it could not remove, for
                     # the client to track.
                     ("create", "PutObject+DeleteObject", "index.html+hls-"),
                     ("update", "GetObject", "index.html"),
                     ("update", head, "hls.js-LICENSE.txt"),
                     ("update", "PutObject", "index.html"),
                     ("destroy", "DeleteObject", "hls-")]
        for i, (phase, operation, name) in enumerate(scenarios):
            step = {"phase": phase, "operation": operation, "object": name, "problems": [],
                     "started": time.monotonic()}
            rule = {"faults": [{"operation": op, "path_suffix": suffix(n, hls_key),
                                "fault": "error"}
                               for op, n in zip(operation.split("+"), name.split("+"))]}
            # Every step starts from the converged player of the step before;
            # a title of its own makes an update rewrite the page.
            args = [f"-var=title=Step {i}"]
            if phase == "create":
                ws.destroy(*args, "-target=lsms_player.demo")
            stack.proxy.set_rules(rule)
            stack.proxy.reset()
            if phase in ("create", "update"):
                run = ws.apply(*args, check=False)
            else:
                run = ws.destroy(*args, "-target=lsms_player.demo", check=False)
            check(stack, step, run, args, faults=len(rule["faults"]))
            step["seconds"] = round(time.monotonic() - step.pop("started"), 1)
            steps.append(step)
        last = ws.destroy(check=False)
        left = stack.inventory()
        if last.returncode != 0 or any(left.values()):
            steps.append({"phase": "final destroy", "problems": [last.output[-1500:], left]})
    finally:
        stack.close()
    print(json.dumps([(s["phase"], s.get("operation"), s.get("seconds")) for s in steps]))
    bad = [s for s in steps if s["problems"]]
    assert len(steps) >= 7, steps
    assert not bad, json.dumps(bad, indent=1)
