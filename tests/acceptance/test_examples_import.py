"""Issue 14: every resource of an example, imported into a fresh state, plans
no change.

examples/complete, examples/complete-s3 and examples/multi-stream (with each
origin, -var=origin=...) are applied against the emulator (whose container
endpoints have a port and a path, http://127.0.0.1:<port>/_mediastore/<name>,
like any custom `endpoints` setup). Then, in a fresh state, every resource is
imported twice over: with hand-written `import` blocks (plan shows only
imports, apply performs them) and with the `import` command; each time the
next plan must be empty, which needs container_endpoint (lsms_channel) and
origin_endpoint (lsms_distribution) to read back exactly as created, and for
the S3 origin the bucket's generated name to match its name_prefix, and the
distribution's bucket, Origin Access Control and bucket policy statement to
be found from the distribution alone, and the demo player's arguments from
its page. Destroy then leaves nothing in the
emulator (bucket policy statements included).
"""

import os
import re
import shutil
import sys

import pytest

from harness import REPO, emulator_env

sys.path.insert(0, os.path.join(REPO, "tests", "tools"))
from emulator_inventory import inventory  # noqa: E402

EXAMPLES = os.path.join(REPO, "examples")
IMPORTS = "lsms_imports.tf"


def managed_resources(ws):
    """{address: import id} of every lsms resource in the state."""
    found = {}

    def walk(module):
        for r in module.get("resources", []):
            if r["mode"] == "managed" and r["type"].startswith("lsms_"):
                found[r["address"]] = r["values"]["id"]
        for child in module.get("child_modules", []):
            walk(child)

    walk(ws.state()["values"]["root_module"])
    return found


def hcl_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def assert_empty_plan(ws, how, args):
    code, result = ws.plan_exitcode(*args)
    assert code == 0, f"after {how}:\n{result.stdout}"


MEDIASTORE = {"lsms_container", "lsms_channel", "lsms_distribution", "lsms_dashboard",
              "lsms_player"}
S3 = {"lsms_bucket", "lsms_channel", "lsms_distribution", "lsms_dashboard", "lsms_player"}
CASES = {
    # id: (example, -var arguments, resources, their types)
    "complete": ("complete", [], 5, MEDIASTORE),
    "complete-s3": ("complete-s3", [], 5, S3),
    "multi-stream-mediastore": ("multi-stream", ["-var=origin=mediastore"], 15, MEDIASTORE),
    "multi-stream-s3": ("multi-stream", ["-var=origin=s3"], 15, S3),
}


# Older clients: import of every resource of the deployable example.
@pytest.mark.parametrize("case", [pytest.param(c, marks=pytest.mark.older_clients)
                                  if c == "complete-s3" else c for c in CASES])
def test_every_resource_imports_to_an_empty_plan(client, workspace_factory, tmp_path, emulator,
                                                 case):
    example, args, count, kinds = CASES[case]
    dest = tmp_path / "examples"
    shutil.copytree(EXAMPLES, dest, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
    ws = workspace_factory(client, env=emulator_env(emulator.url))
    ws.path = str(dest / example)
    ws.init()
    ws.apply(*args)
    resources = managed_resources(ws)
    assert len(resources) == count, resources
    types = {a.rsplit(".", 2)[-2] for a in resources}
    assert types == kinds
    if kinds == S3:
        # What the distributions add to their buckets: one statement each.
        assert len(inventory(emulator.url)["bucket_policy_statements"]) == count // 5
    assert_empty_plan(ws, "apply", args)

    # 1. import blocks, in a fresh state.
    ws.reset_state()
    ws.write(IMPORTS, "\n".join(
        f"import {{\n  to = {address}\n  id = {hcl_string(rid)}\n}}\n"
        for address, rid in sorted(resources.items())))
    plan = ws.plan(*args)
    assert re.search(rf"Plan: {count} to import, 0 to add, 0 to change, 0 to destroy",
                     plan.stdout), plan.stdout
    ws.apply(*args)
    assert managed_resources(ws) == resources
    assert_empty_plan(ws, "import blocks", args)
    os.remove(os.path.join(ws.path, IMPORTS))
    assert_empty_plan(ws, "import blocks, removed", args)

    # 2. the import command, in a fresh state.
    ws.reset_state()
    for address, rid in sorted(resources.items()):
        ws.import_(address, rid, *args)
    assert managed_resources(ws) == resources
    assert_empty_plan(ws, f"{client[0]} import", args)

    ws.destroy(*args)
    left = inventory(emulator.url)
    assert not any(left.values()), left
