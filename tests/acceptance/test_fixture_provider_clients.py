"""The generic machinery of issue 22 (framework, protocol layer, plugin host)
as each real client drives it, through the fixture provider
(tests/protocol/fixture_provider.c: a file-backed resource with identity,
list and generated configuration, a data source, a function and an action;
no AWS, no emulator). The provider's own resources are tested end to end by
the resource suites; these tests pin what every resource relies on:

- every client: create, re-plan to no change, a data source and a provider
  function in a plan, destroy (older clients too: the new protocol fields do
  not disturb Terraform 1.11);
- identity clients (OpenTofu 1.12, Terraform 1.16): identity in state, import
  by identity to an empty plan, a state written without identity gains it;
- list clients (Terraform 1.16): `terraform query` lists what exists, and
  -generate-config-out writes HCL that imports to an empty plan;
- action clients (Terraform 1.16): `apply -invoke` with progress, an
  action_trigger after_create, a failure mid-way failing the apply.
"""

import json
import os
import shutil

import pytest

from harness import REPO, Workspace

FIXTURE_ENV = "LSMS_FIXTURE_BIN"
PROVIDER = """
terraform {
  required_providers {
    lsms = { source = "lsms/lsms" }
  }
}
provider "lsms" {}
"""


@pytest.fixture(scope="module")
def fixture_dir(tmp_path_factory):
    """A directory holding the fixture provider as terraform-provider-lsms,
    and a CLI config overriding lsms/lsms with it (no init needed)."""
    build = os.environ.get("LSMS_BUILD", "build")
    binary = os.environ.get(FIXTURE_ENV) or os.path.join(
        REPO, build, "tests", "terraform-provider-lsms-fixture")
    if not os.access(binary, os.X_OK):
        pytest.fail(f"fixture provider {binary} not found: run make fixture (or set {FIXTURE_ENV})")
    d = tmp_path_factory.mktemp("fixture")
    shutil.copy(binary, d / "terraform-provider-lsms")
    (d / "dev.tfrc").write_text(
        'provider_installation {\n  dev_overrides { "lsms/lsms" = "%s" }\n}\n' % d)
    return d


@pytest.fixture
def store(tmp_path):
    d = tmp_path / "store"
    d.mkdir()
    return d


@pytest.fixture
def ws_factory(tmp_path, fixture_dir, store):
    counter = [0]

    def make(client):
        counter[0] += 1
        return Workspace(client, str(tmp_path / f"ws{counter[0]}"), str(fixture_dir / "dev.tfrc"),
                         {"LSMS_FIXTURE_DIR": str(store)})

    return make


def put_thing(store, name, size="1", label="", touched=0):
    (store / f"thing-{name}").write_text(f"{name}\n{size}\n{label}\n100\n{touched}\n")


def touched(store, name):
    return int((store / f"thing-{name}").read_text().split("\n")[4])


def instance(ws, address):
    with open(os.path.join(ws.path, "terraform.tfstate")) as f:
        state = json.load(f)
    for r in state["resources"]:
        if f"{r['type']}.{r['name']}" == address:
            return r["instances"][0]
    return None


def assert_no_change(ws):
    code, r = ws.plan_exitcode()
    assert code == 0, r.output


@pytest.mark.older_clients
@pytest.mark.clients("functions")
def test_lifecycle_data_source_and_function(client, ws_factory, store):
    put_thing(store, "looked", size="7")
    ws = ws_factory(client)
    ws.write("main.tf", PROVIDER + f"""
resource "lsms_fixture_thing" "t" {{
  name = "made-{client.name}"
  size = 2
}}
data "lsms_fixture_lookup" "l" {{ name = "looked" }}
output "joined" {{
  value = provider::lsms::fixture_join("/", lsms_fixture_thing.t.id, data.lsms_fixture_lookup.l.id)
}}
output "size" {{ value = data.lsms_fixture_lookup.l.size }}
""")
    ws.apply()
    out = ws.output()
    assert out["joined"]["value"] == f"thing-made-{client.name}/thing-looked"
    assert out["size"]["value"] == 7
    assert (store / f"thing-made-{client.name}").exists()
    assert_no_change(ws)
    got = instance(ws, "lsms_fixture_thing.t")
    if "identity" in client.capabilities:
        assert got["identity"] == {"id": f"thing-made-{client.name}", "region": "fixture-1"}
    else:
        assert not got.get("identity")
    ws.destroy()
    assert not (store / f"thing-made-{client.name}").exists()


@pytest.mark.clients("identity")
def test_import_by_identity_to_an_empty_plan(client, ws_factory, store):
    put_thing(store, "adopt", size="4")
    ws = ws_factory(client)
    ws.write("main.tf", PROVIDER + """
import {
  to       = lsms_fixture_thing.a
  identity = { id = "thing-adopt" }
}
resource "lsms_fixture_thing" "a" {
  name = "adopt"
  size = 4
}
""")
    r = ws.apply()
    assert "1 imported" in r.output, r.output
    assert instance(ws, "lsms_fixture_thing.a")["identity"] == \
        {"id": "thing-adopt", "region": "fixture-1"}
    assert_no_change(ws)


@pytest.mark.clients("identity")
def test_state_without_identity_gains_it_on_refresh(client, ws_factory, store):
    """A state written before identity (as Terraform 1.11 writes it): the
    next refresh stores the identity, and nothing is planned."""
    put_thing(store, "old", size="1")
    ws = ws_factory(client)
    ws.write("main.tf", PROVIDER + 'resource "lsms_fixture_thing" "o" { name = "old" }\n')
    ws.run("import", "-no-color", "lsms_fixture_thing.o", "thing-old")
    path = os.path.join(ws.path, "terraform.tfstate")
    with open(path) as f:
        state = json.load(f)
    for r in state["resources"]:
        for i in r["instances"]:
            i.pop("identity", None)
            i.pop("identity_schema_version", None)
    with open(path, "w") as f:
        json.dump(state, f)
    ws.apply("-refresh-only")
    assert instance(ws, "lsms_fixture_thing.o")["identity"] == \
        {"id": "thing-old", "region": "fixture-1"}
    assert_no_change(ws)


@pytest.mark.clients("list")
def test_query_generates_config_that_imports_to_an_empty_plan(client, ws_factory, store):
    for name, size in (("q-one", "1"), ("q-two", "3"), ("other", "2")):
        put_thing(store, name, size=size)
    ws = ws_factory(client)
    ws.write("main.tf", PROVIDER)
    ws.write("found.tfquery.hcl", """
list "lsms_fixture_thing" "q" {
  provider = lsms
  config {
    name_prefix = "q-"
  }
}
""")
    r = ws.run("query", "-no-color")
    lines = [line.split() for line in r.stdout.splitlines() if line.startswith("list.")]
    assert lines == [["list.lsms_fixture_thing.q", "id=thing-q-one,region=fixture-1", "q-one"],
                     ["list.lsms_fixture_thing.q", "id=thing-q-two,region=fixture-1", "q-two"]]
    ws.run("query", "-no-color", "-generate-config-out=generated.tf")
    generated = open(os.path.join(ws.path, "generated.tf")).read()
    assert generated.count("import {") == 2 and 'id     = "thing-q-two"' in generated
    # Computed-only attributes are not written; size equal to its default is not.
    assert "serial" not in generated and "touched" not in generated
    assert "size     = 3" in generated
    os.remove(os.path.join(ws.path, "found.tfquery.hcl"))
    r = ws.apply()
    assert "2 imported, 0 added, 0 changed" in r.output, r.output
    assert_no_change(ws)


@pytest.mark.clients("actions")
def test_invoke_action_with_progress(client, ws_factory, store):
    put_thing(store, "act")
    ws = ws_factory(client)
    ws.write("main.tf", PROVIDER + """
action "lsms_fixture_step" "go" {
  config {
    name  = "act"
    steps = 3
  }
}
""")
    r = ws.apply("-invoke=action.lsms_fixture_step.go")
    for i in (1, 2, 3):
        assert f"step {i} of 3 on act" in r.output, r.output
    assert "Actions: 1 invoked" in r.output
    assert touched(store, "act") == 1


@pytest.mark.clients("actions")
def test_action_trigger_after_create_and_failure_mid_way(client, ws_factory, store):
    ws = ws_factory(client)
    ws.write("main.tf", PROVIDER + """
resource "lsms_fixture_thing" "t" {
  name = "trig"
  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.lsms_fixture_step.after]
    }
  }
}
action "lsms_fixture_step" "after" {
  config {
    name  = lsms_fixture_thing.t.name
    steps = 2
  }
}
action "lsms_fixture_step" "fails" {
  config {
    name    = "trig"
    steps   = 4
    fail_at = 2
  }
}
""")
    r = ws.apply()
    assert "step 2 of 2 on trig" in r.output and "Actions: 1 invoked" in r.output, r.output
    assert touched(store, "trig") == 1
    r = ws.apply("-invoke=action.lsms_fixture_step.fails", check=False)
    assert r.returncode != 0
    assert "Step 2 of trig failed" in r.output, r.output
    assert "step 3 of 4" not in r.output
    assert touched(store, "trig") == 1
