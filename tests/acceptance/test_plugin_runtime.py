"""Issue: the provider binary as a real OpenTofu (and Terraform) loads it.

init from the offline mirror, validate, providers schema, a plan of all four
resources, plan-time validation pointing at the right HCL line, and no
provider process left behind.
"""

import json
import os
import subprocess

import pytest

from harness import PROVIDER_BLOCK, provider_for_emulator

MAGIC_COOKIE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"

ALL_FOUR = """
resource "lsms_container" "origin" {
  name = "acc-plan"
}

resource "lsms_channel" "live" {
  name               = "acc-plan"
  input_type         = "RTMP_PUSH"
  input_cidr         = ["203.0.113.0/24"]
  container_endpoint = lsms_container.origin.endpoint
}

resource "lsms_distribution" "cdn" {
  origin_endpoint = lsms_container.origin.endpoint
  origin_secret   = lsms_container.origin.origin_secret
}

resource "lsms_dashboard" "dash" {
  name           = "acc-plan"
  container_name = lsms_container.origin.name
}
"""

# Design §3: the public attribute names of each resource.
EXPECTED_ATTRIBUTES = {
    "lsms_container": {
        "name", "restrict_to_cdn", "policy", "cors_rules", "lifecycle_rules",
        "container_level_metrics", "access_logging", "create_logging_role", "force_destroy",
        "tags", "id", "arn", "endpoint", "status", "creation_time", "origin_secret",
        "log_group_name", "tags_all",
    },
    "lsms_channel": {
        "name", "input_type", "input_cidr", "pull_url", "pull_user", "pull_pass",
        "pull_pass_wo", "pull_pass_wo_version", "input_device_id", "encoding_profile",
        "container_endpoint", "destination_bucket", "pull_url_pipeline1",
        "input_device_id_pipeline1", "stream_path", "channel_class", "role_arn", "channel_start",
        "tags", "id", "arn", "input_id", "input_security_group_id", "input_endpoints", "state",
        "renditions", "tags_all",
    },
    "lsms_distribution": {
        "origin_endpoint", "origin_secret", "stream_path", "comment", "enabled", "price_class",
        "ipv6_enabled", "http_version", "manifest_ttl_seconds", "segment_ttl_seconds",
        "error_caching_min_ttl", "logging_bucket", "logging_prefix", "web_acl_id",
        "wait_for_deployment", "retain_on_delete", "tags", "id", "arn", "domain_name",
        "hosted_zone_id", "status", "etag", "live_stream_url", "tags_all",
    },
    "lsms_dashboard": {
        "name", "container_name", "region", "stream_path", "distribution_id", "id", "arn",
        "dashboard_body", "console_url",
    },
    "lsms_bucket": {
        "name", "name_prefix", "block_public_access", "object_ownership", "cors_rules",
        "lifecycle_rules", "request_metrics", "metrics_filter_id", "logging_bucket",
        "logging_prefix", "force_destroy", "tags", "tags_all", "id", "arn", "region",
        "bucket_regional_domain_name",
    },
    # Issue 20: the demo player.
    "lsms_player": {
        "bucket", "container_endpoint", "prefix", "domain_name", "title", "stream_path",
        "channel_id", "max_age_seconds", "id", "url", "hls_js_version", "objects",
    },
}
PROVIDER_ATTRIBUTES = {
    "region", "profile", "shared_config_files", "shared_credentials_files", "access_key",
    "secret_key", "token", "max_retries", "skip_credentials_validation",
    "skip_requesting_account_id", "insecure",
}
PROVIDER_BLOCKS = {"assume_role", "endpoints", "default_tags"}


def provider_processes(workdir):
    """Provider processes running in this workspace. The client starts the
    binary from the workspace (by a relative .terraform/providers path), so
    the process's working directory tells ours from those of tests running
    beside this one on the same machine."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read()
            cwd = os.readlink(f"/proc/{pid}/cwd")
        except OSError:
            continue
        if b"terraform-provider-lsms" in cmdline and cwd == workdir:
            found.append(int(pid))
    return found


def test_provider_processes_are_found_while_running(client, workspace_factory):
    """The exit check below would pass vacuously if it could not see a
    running provider: start one the way the client does (from where its init
    installed it) and look."""
    ws = workspace_factory(client)
    ws.write("main.tf", PROVIDER_BLOCK)
    ws.init()
    (binary,) = [os.path.join(d, f) for d, _, files in os.walk(os.path.join(ws.path, ".terraform"), followlinks=True)
                 for f in files if f.startswith("terraform-provider-lsms")]
    env = dict(os.environ, TF_PLUGIN_MAGIC_COOKIE=MAGIC_COOKIE, PLUGIN_PROTOCOL_VERSIONS="6")
    env.pop("PLUGIN_CLIENT_CERT", None)
    proc = subprocess.Popen([os.path.relpath(binary, ws.path)], cwd=ws.path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL)
    try:
        proc.stdout.readline()  # the handshake line: it is serving
        assert provider_processes(ws.path) == [proc.pid]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert provider_processes(ws.path) == []


@pytest.mark.older_clients
def test_init_validate_schema_from_offline_mirror(client, workspace_factory):
    ws = workspace_factory(client)
    ws.write("main.tf", PROVIDER_BLOCK + ALL_FOUR)
    r = ws.init()
    assert "lsms/lsms" in r.output
    host = "registry.opentofu.org" if client.family == "tofu" else "registry.terraform.io"
    assert os.path.isdir(os.path.join(ws.path, ".terraform", "providers", host, "lsms", "lsms",
                                      "0.1.0", "linux_amd64"))
    ws.validate()

    schema = ws.providers_schema()
    (provider,) = [v for k, v in schema["provider_schemas"].items() if k.endswith("lsms/lsms")]
    block = provider["provider"]["block"]
    assert PROVIDER_ATTRIBUTES <= set(block["attributes"])
    assert PROVIDER_BLOCKS <= set(block["block_types"])
    assert block["attributes"]["secret_key"].get("sensitive") is True
    resources = provider["resource_schemas"]
    assert set(resources) == set(EXPECTED_ATTRIBUTES)
    for name, expected in EXPECTED_ATTRIBUTES.items():
        attrs = resources[name]["block"]["attributes"]
        missing = expected - set(attrs)
        assert not missing, f"{name} lacks {missing}"
        for attr_name, attr in attrs.items():
            assert attr.get("description"), f"{name}.{attr_name} has no description"
    assert resources["lsms_container"]["block"]["attributes"]["origin_secret"]["sensitive"]
    assert resources["lsms_channel"]["block"]["attributes"]["pull_pass"]["sensitive"]
    assert resources["lsms_channel"]["block"]["attributes"]["pull_pass_wo"].get("write_only")
    # Every provider process these commands started has exited.
    assert provider_processes(ws.path) == []


@pytest.mark.older_clients
def test_plan_all_four_resources(client, workspace_factory, emulator):
    ws = workspace_factory(client)
    ws.write("main.tf", PROVIDER_BLOCK + provider_for_emulator(emulator.url) + ALL_FOUR)
    ws.init()
    r = ws.plan("-out=plan.bin")
    assert "4 to add, 0 to change, 0 to destroy" in r.output
    assert "(known after apply)" in r.output
    assert "(sensitive value)" in r.output
    plan = json.loads(ws.run("show", "-json", "plan.bin").stdout)
    changes = {c["address"]: c["change"] for c in plan["resource_changes"]}
    container = changes["lsms_container.origin"]
    assert container["actions"] == ["create"]
    for computed in ("arn", "endpoint", "status", "creation_time", "origin_secret"):
        assert container["after_unknown"].get(computed) is True, computed
    # Defaults of design §3 are planned as known values.
    assert container["after"]["restrict_to_cdn"] is True
    assert container["after"]["force_destroy"] is False
    assert container["after"]["log_group_name"] == "/aws/mediastore/acc-plan"
    channel = changes["lsms_channel.live"]
    assert channel["after"]["encoding_profile"] == "HD-720p"
    assert channel["after"]["stream_path"] == "stream/index"
    assert channel["after_unknown"]["container_endpoint"] is True
    distribution = changes["lsms_distribution.cdn"]
    assert distribution["after"]["price_class"] == "PriceClass_All"
    assert distribution["after_unknown"]["domain_name"] is True
    assert distribution["after_sensitive"]["origin_secret"] is True
    dashboard = changes["lsms_dashboard.dash"]
    assert dashboard["after"]["stream_path"] == "/stream/index"


INVALID_CASES = [
    # (attribute line to point at, resource body, words the detail must contain)
    ("encoding_profile", """
resource "lsms_channel" "bad" {
  name               = "bad"
  input_type         = "RTMP_PUSH"
  input_cidr         = ["203.0.113.0/24"]
  container_endpoint = "https://example.data.mediastore.us-east-1.amazonaws.com"
  encoding_profile   = "HD-4K"
}
""", ["HD-1080p", "HD-720p", "SD-540p"]),
    ("input_cidr", """
resource "lsms_channel" "bad" {
  name               = "bad"
  input_type         = "RTP_PUSH"
  input_cidr         = ["10.0.0.300/24"]
  container_endpoint = "https://example.data.mediastore.us-east-1.amazonaws.com"
}
""", ["CIDR"]),
    ("name", """
resource "lsms_container" "bad" {
  name = "bad name!"
}
""", ["name"]),
]


@pytest.mark.parametrize("attribute,body,words", INVALID_CASES,
                         ids=[c[0] for c in INVALID_CASES])
def test_invalid_configuration_points_at_attribute(client, workspace_factory, attribute, body,
                                                   words):
    ws = workspace_factory(client)
    text = PROVIDER_BLOCK + 'provider "lsms" {\n  region = "us-east-1"\n}\n' + body
    ws.write("main.tf", text)
    ws.init()
    r = ws.plan(check=False)
    assert r.returncode == 1, r.output
    lines = text.splitlines()
    line_no = next(i + 1 for i, line in enumerate(lines) if line.strip().startswith(attribute))
    assert f"on main.tf line {line_no}" in r.output, r.output
    for word in words:
        assert word in r.output, r.output
    # validate alone (no provider configuration, no AWS) catches it too.
    assert ws.validate(check=False).returncode == 1
