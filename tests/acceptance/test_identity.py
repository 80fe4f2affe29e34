"""Issue 22: resource identity of every resource, and import by identity.

A stack of the five resources (an S3 bucket, a MediaStore container, a push
channel writing to the bucket, a distribution of the bucket, a dashboard of
the bucket and the distribution) is applied; the state then holds each one's
identity (bucket {name, region, account_id}, container {name, region,
account_id}, channel {id, region, account_id}, distribution {id, account_id},
dashboard {name, account_id}) with the values AWS has. A fresh state with the
same configuration and `import { to = ..., identity = { ... } }` blocks
carrying only what is required for import plans five imports and nothing
else; after the apply the plan is empty. An identity naming another region or
account is refused with a diagnostic on that attribute, importing nothing.

Clients: those with identity (OpenTofu 1.12.6, Terraform 1.16.4). Terraform
1.11.4 ignores identities: the older_clients sample of the other suites
(test_examples_import imports every resource by id) shows it unaffected.
"""

import json

import pytest

from harness import PROVIDER_BLOCK, name_per_client, provider_for_emulator

NAMES = name_per_client("b2id")
ACCOUNT = "123456789012"


def stack_hcl(name):
    return f"""
resource "lsms_bucket" "origin" {{
  name = "{name}-origin"
}}

resource "lsms_container" "legacy" {{
  name = "{name}-legacy"
}}

resource "lsms_channel" "live" {{
  name               = "{name}-live"
  input_type         = "RTMP_PUSH"
  input_cidr         = ["198.51.100.0/24"]
  destination_bucket = lsms_bucket.origin.name
}}

resource "lsms_distribution" "cdn" {{
  origin_bucket = lsms_bucket.origin.name
}}

resource "lsms_dashboard" "ops" {{
  name            = "{name}-ops"
  bucket_name     = lsms_bucket.origin.name
  distribution_id = lsms_distribution.cdn.id
}}
"""


def identities(ws):
    state = ws.state()
    return {r["address"]: (r.get("identity"), r["values"])
            for r in state["values"]["root_module"]["resources"]}


# What import needs (required_for_import), per resource, from the identity.
REQUIRED = {"lsms_bucket.origin": ["name"], "lsms_container.legacy": ["name"],
            "lsms_channel.live": ["id"], "lsms_distribution.cdn": ["id"],
            "lsms_dashboard.ops": ["name"]}


def import_blocks(found, extra=None):
    out = []
    for address, keys in REQUIRED.items():
        identity, _ = found[address]
        fields = {k: identity[k] for k in keys}
        fields.update((extra or {}).get(address, {}))
        body = "\n".join(f"    {k} = {json.dumps(v)}" for k, v in fields.items())
        out.append(f"import {{\n  to = {address}\n  identity = {{\n{body}\n  }}\n}}\n")
    return "\n".join(out)


@pytest.mark.clients("identity")
def test_every_resource_has_an_identity_and_imports_by_it(client, workspace_factory, emulator):
    name = NAMES[client.name]
    config = PROVIDER_BLOCK + provider_for_emulator(emulator.url) + stack_hcl(name)
    ws = workspace_factory(client)
    ws.write("main.tf", config)
    ws.init()
    ws.apply()
    found = identities(ws)
    ids = {a: v["id"] for a, (_, v) in found.items()}
    assert found["lsms_bucket.origin"][0] == {
        "name": f"{name}-origin", "region": "us-east-1", "account_id": ACCOUNT}
    assert found["lsms_container.legacy"][0] == {
        "name": f"{name}-legacy", "region": "us-east-1", "account_id": ACCOUNT}
    assert found["lsms_channel.live"][0] == {
        "id": ids["lsms_channel.live"], "region": "us-east-1", "account_id": ACCOUNT}
    assert found["lsms_distribution.cdn"][0] == {
        "id": ids["lsms_distribution.cdn"], "account_id": ACCOUNT}
    assert found["lsms_dashboard.ops"][0] == {"name": f"{name}-ops", "account_id": ACCOUNT}
    # The identity is stable: a refresh keeps it (the provider checks it
    # equals the one Terraform sent, and Terraform fails on a change).
    code, plan = ws.plan_exitcode()
    assert code == 0, plan.stdout

    fresh = workspace_factory(client)
    fresh.write("main.tf", config + import_blocks(found))
    fresh.init()
    plan = fresh.plan()
    assert "5 to import, 0 to add, 0 to change, 0 to destroy" in plan.stdout, plan.stdout
    fresh.apply()
    code, plan = fresh.plan_exitcode()
    assert code == 0, f"plan after import by identity:\n{plan.stdout}"
    assert {a: i for a, (i, _) in identities(fresh).items()} == \
        {a: i for a, (i, _) in found.items()}


@pytest.mark.clients("identity")
def test_identity_of_another_region_or_account_is_refused(client, workspace_factory, emulator):
    name = NAMES[client.name] + "-x"
    ws = workspace_factory(client)
    ws.write("main.tf", PROVIDER_BLOCK + provider_for_emulator(emulator.url) + f"""
resource "lsms_container" "legacy" {{
  name = "{name}"
}}

import {{
  to       = lsms_container.legacy
  identity = {{ name = "{name}", region = "eu-west-1" }}
}}
""")
    ws.init()
    r = ws.plan(check=False)
    assert r.returncode != 0
    assert "Identity of another region" in r.output and "eu-west-1" in r.output, r.output
    ws.write("main.tf", PROVIDER_BLOCK + provider_for_emulator(emulator.url) + f"""
resource "lsms_dashboard" "ops" {{
  name        = "{name}"
  bucket_name = "some-bucket"
}}

import {{
  to       = lsms_dashboard.ops
  identity = {{ name = "{name}", account_id = "210987654321" }}
}}
""")
    r = ws.plan(check=False)
    assert r.returncode != 0
    assert "Identity of another account" in r.output and "210987654321" in r.output, r.output


ACCOUNT_NAMES = name_per_client("acct")


@pytest.mark.clients("identity")
def test_identity_keeps_its_account_when_the_provider_stops_requesting_it(
        client, workspace_factory, emulator):
    """skip_requesting_account_id (with skip_credentials_validation)
    switched on for an existing state: the
    provider no longer knows its account, and the identity keeps the
    account id stored for each object (an identity never changes) instead
    of failing every read with "Provider produced invalid identity"
    (hashicorp/terraform-provider-aws#45743). An object imported by identity
    while the account is unknown has none until the provider may look it up
    again, which then fills it in."""
    name = ACCOUNT_NAMES[client.name]
    resources = f"""
resource "lsms_bucket" "origin" {{
  name = "{name}-origin"
}}

resource "lsms_dashboard" "ops" {{
  name        = "{name}-ops"
  bucket_name = lsms_bucket.origin.name
}}
"""
    known = PROVIDER_BLOCK + provider_for_emulator(emulator.url) + resources
    # Both skips: with the credentials validated, the provider learns its
    # account from that same GetCallerIdentity call.
    skipped = PROVIDER_BLOCK + provider_for_emulator(
        emulator.url, extra="  skip_requesting_account_id  = true\n"
                            "  skip_credentials_validation = true") + resources
    ws = workspace_factory(client)
    ws.write("main.tf", known)
    ws.init()
    ws.apply()
    stored = {a: i for a, (i, _) in identities(ws).items()}
    assert {a: i["account_id"] for a, i in stored.items()} == \
        {"lsms_bucket.origin": ACCOUNT, "lsms_dashboard.ops": ACCOUNT}

    ws.write("main.tf", skipped)
    code, plan = ws.plan_exitcode()
    assert code == 0, plan.output
    assert "invalid identity" not in plan.output, plan.output
    ws.apply()  # a refresh that is written to the state
    assert {a: i for a, (i, _) in identities(ws).items()} == stored

    # Imported by identity while the account is unknown: none is stored...
    fresh = workspace_factory(client)
    fresh.write("main.tf", skipped + """
import {
  to       = lsms_bucket.origin
  identity = { name = "%s-origin" }
}

import {
  to       = lsms_dashboard.ops
  identity = { name = "%s-ops" }
}
""" % (name, name))
    fresh.init()
    fresh.apply()
    assert {a: i["account_id"] for a, (i, _) in identities(fresh).items()} == \
        {"lsms_bucket.origin": None, "lsms_dashboard.ops": None}
    code, plan = fresh.plan_exitcode()
    assert code == 0, plan.output
    # ... until the provider may look it up again.
    fresh.write("main.tf", known)
    fresh.apply()
    assert {a: i for a, (i, _) in identities(fresh).items()} == stored
