"""Issue 14: every resource of an example, imported into a fresh state, plans
no change.

examples/complete and examples/multi-stream are applied against the emulator
(whose container endpoints have a port and a path,
http://127.0.0.1:<port>/_mediastore/<name>, like any custom `endpoints`
setup). Then, in a fresh state, every resource is imported twice over: with
hand-written `import` blocks (plan shows only imports, apply performs them)
and with the `import` command; each time the next plan must be empty, which
needs container_endpoint (lsms_channel) and origin_endpoint
(lsms_distribution) to read back exactly as created. Destroy then leaves
nothing in the emulator.
"""

import os
import re
import shutil
import sys

import pytest

from harness import REPO

sys.path.insert(0, os.path.join(REPO, "tests", "tools"))
from emulator_inventory import inventory  # noqa: E402

EXAMPLES = os.path.join(REPO, "examples")
IMPORTS = "lsms_imports.tf"


def emulator_env(emulator):
    return {
        "AWS_ENDPOINT_URL": emulator.url,
        "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "AWS_REGION": "us-east-1",
    }


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


def assert_empty_plan(ws, how):
    code, result = ws.plan_exitcode()
    assert code == 0, f"after {how}:\n{result.stdout}"


@pytest.mark.parametrize("example,count", [("complete", 4), ("multi-stream", 12)])
def test_every_resource_imports_to_an_empty_plan(client, workspace_factory, tmp_path, emulator,
                                                 example, count):
    dest = tmp_path / "examples"
    shutil.copytree(EXAMPLES, dest, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
    ws = workspace_factory(client, env=emulator_env(emulator))
    ws.path = str(dest / example)
    ws.init()
    ws.apply()
    resources = managed_resources(ws)
    assert len(resources) == count, resources
    types = {a.rsplit(".", 2)[-2] for a in resources}
    assert types == {"lsms_container", "lsms_channel", "lsms_distribution", "lsms_dashboard"}
    assert_empty_plan(ws, "apply")

    # 1. import blocks, in a fresh state.
    ws.reset_state()
    ws.write(IMPORTS, "\n".join(
        f"import {{\n  to = {address}\n  id = {hcl_string(rid)}\n}}\n"
        for address, rid in sorted(resources.items())))
    plan = ws.plan()
    assert re.search(rf"Plan: {count} to import, 0 to add, 0 to change, 0 to destroy",
                     plan.stdout), plan.stdout
    ws.apply()
    assert managed_resources(ws) == resources
    assert_empty_plan(ws, "import blocks")
    os.remove(os.path.join(ws.path, IMPORTS))
    assert_empty_plan(ws, "import blocks, removed")

    # 2. the import command, in a fresh state.
    ws.reset_state()
    for address, rid in sorted(resources.items()):
        ws.import_(address, rid)
    assert managed_resources(ws) == resources
    assert_empty_plan(ws, f"{client[0]} import")

    ws.destroy()
    left = inventory(emulator.url)
    assert not any(left.values()), left
