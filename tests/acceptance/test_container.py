"""Issue: lsms_container — a MediaStore container with its container, CORS,
lifecycle and metric policies and access logging, through real OpenTofu and
the emulator, checked independently with boto3. Every test runs with each
client found (OpenTofu, and Terraform when it is on PATH); the containers
are named after the client, as both share one emulator.
"""

import json
import time

import pytest

from fixture import Emulator
from harness import PROVIDER_BLOCK, provider_for_emulator

DEFAULT_TAGS = """
  default_tags {
    tags = { Project = "lsms" }
  }
"""


def config(url, body):
    return PROVIDER_BLOCK + provider_for_emulator(url, DEFAULT_TAGS) + body


def container_hcl(name, extra=""):
    return f"""
resource "lsms_container" "origin" {{
  name = "{name}"
  tags = {{ Stream = "main" }}
{extra}
}}
"""


CHANGED_RULES = """
  cors_rules = [{
    allowed_origins = ["https://player.example.com"]
    allowed_methods = ["GET", "HEAD"]
    allowed_headers = ["*"]
    max_age_seconds = 600
  }]
  lifecycle_rules = [{
    path_prefix         = "stream/"
    seconds_since_create = 120
    action              = "EXPIRE"
  }, {
    path_wildcard     = "archive/*.mp4"
    days_since_create = 30
    action            = "ARCHIVE"
  }]
"""


def ops(entries, service="mediastore"):
    """{operation: count} of one service's requests."""
    counts = {}
    for e in entries:
        if e["service"] == service:
            counts[e["operation"]] = counts.get(e["operation"], 0) + 1
    return counts


def mediastore_calls(entries):
    return [e for e in entries if e["service"] in ("mediastore", "mediastore-data", "iam")]


def container_names(ms):
    return {c["Name"] for c in ms.list_containers()["Containers"]}


def state_names(ws):
    state = ws.state()
    resources = state.get("values", {}).get("root_module", {}).get("resources", [])
    return {r["values"]["name"] for r in resources if r["type"] == "lsms_container"}


def test_container_lifecycle_defaults_drift_import_force_destroy(client, workspace_factory,
                                                                 emulator):
    ms = emulator.client("mediastore")
    iam = emulator.client("iam")
    name = f"acc-container-{client[0]}"
    ws = workspace_factory(client)
    ws.write("main.tf", config(emulator.url, container_hcl(name)))
    ws.init()

    # Apply with every default.
    before = len(emulator.request_log())
    started = time.monotonic()
    ws.apply()
    apply_seconds = time.monotonic() - started
    create_calls = mediastore_calls(emulator.request_log()[before:])
    values = ws.resource_values("lsms_container.origin")

    desc = ms.describe_container(ContainerName=name)["Container"]
    assert desc["Status"] == "ACTIVE"
    assert desc["AccessLoggingEnabled"] is True
    assert values["endpoint"] == desc["Endpoint"]
    assert values["arn"] == desc["ARN"]
    assert values["status"] == "ACTIVE"
    assert values["log_group_name"] == f"/aws/mediastore/{name}"
    assert values["creation_time"].endswith("Z")
    secret = values["origin_secret"]
    assert len(secret) == 32

    policy = json.loads(ms.get_container_policy(ContainerName=name)["Policy"])
    read = [s for s in policy["Statement"] if "Condition" in s]
    assert len(read) == 1
    assert read[0]["Condition"]["StringEquals"]["aws:UserAgent"] == secret
    assert read[0]["Condition"]["Bool"]["aws:SecureTransport"] == "true"
    assert sorted(read[0]["Action"]) == ["mediastore:DescribeObject", "mediastore:GetObject"]
    full = [s for s in policy["Statement"] if "Condition" not in s]
    assert full[0]["Principal"] == {"AWS": "arn:aws:iam::123456789012:root"}

    cors = ms.get_cors_policy(ContainerName=name)["CorsPolicy"]
    assert cors == [{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "AllowedHeaders": ["*"],
                     "MaxAgeSeconds": 3000}]
    lifecycle = json.loads(ms.get_lifecycle_policy(ContainerName=name)["LifecyclePolicy"])
    rule = lifecycle["rules"][0]
    assert rule["action"] == "EXPIRE"
    assert rule["definition"]["path"] == [{"wildcard": "stream/*.ts"}]
    assert rule["definition"]["seconds_since_create"] == [{"numeric": [">", 300]}]
    metric = ms.get_metric_policy(ContainerName=name)["MetricPolicy"]
    assert metric["ContainerLevelMetrics"] == "ENABLED"
    tags = {t["Key"]: t["Value"] for t in ms.list_tags_for_resource(Resource=desc["ARN"])["Tags"]}
    assert tags == {"Project": "lsms", "Stream": "main"}
    role = iam.get_role(RoleName="MediaStoreAccessLogs")["Role"]
    trust = role["AssumeRolePolicyDocument"]
    trust = json.loads(trust) if isinstance(trust, str) else trust
    assert trust["Statement"][0]["Principal"] == {"Service": "mediastore.amazonaws.com"}
    role_policy = iam.get_role_policy(RoleName="MediaStoreAccessLogs",
                                      PolicyName="MediaStoreAccessLogs")["PolicyDocument"]
    assert "logs:PutLogEvents" in json.dumps(role_policy)

    # No perpetual diff.
    before = len(emulator.request_log())
    code, plan = ws.plan_exitcode()
    assert code == 0, plan.output
    read_calls = ops(emulator.request_log()[before:])

    # CORS and lifecycle changed in HCL: updated in place.
    ws.write("main.tf", config(emulator.url, container_hcl(name, CHANGED_RULES)))
    code, plan = ws.plan_exitcode()
    assert code == 2
    assert "update in-place" in plan.stdout and "must be replaced" not in plan.stdout
    before = len(emulator.request_log())
    ws.apply()
    update_calls = ops(emulator.request_log()[before:])
    assert ms.describe_container(ContainerName=name)["Container"]["CreationTime"] == \
        desc["CreationTime"]
    assert ms.get_cors_policy(ContainerName=name)["CorsPolicy"][0]["AllowedMethods"] == \
        ["GET", "HEAD"]
    rules = json.loads(ms.get_lifecycle_policy(ContainerName=name)["LifecyclePolicy"])["rules"]
    assert [r["definition"]["path"] for r in rules] == \
        [[{"prefix": "stream/"}], [{"wildcard": "archive/*.mp4"}]]
    assert ws.resource_values("lsms_container.origin")["origin_secret"] == secret
    assert ws.plan_exitcode()[0] == 0

    # Changed outside Terraform: the plan shows it.
    ms.put_cors_policy(ContainerName=name, CorsPolicy=[{
        "AllowedOrigins": ["*"], "AllowedMethods": ["PUT"], "AllowedHeaders": ["*"]}])
    ms.put_lifecycle_policy(ContainerName=name, LifecyclePolicy=json.dumps({"rules": [{
        "definition": {"path": [{"prefix": "other/"}],
                       "days_since_create": [{"numeric": [">", 5]}]},
        "action": "EXPIRE"}]}))
    code, plan = ws.plan_exitcode()
    assert code == 2
    assert "cors_rules" in plan.stdout and "lifecycle_rules" in plan.stdout
    assert '"PUT"' in plan.stdout and '"other/"' in plan.stdout
    ws.apply()
    assert ms.get_cors_policy(ContainerName=name)["CorsPolicy"][0]["AllowedMethods"] == \
        ["GET", "HEAD"]
    assert ws.plan_exitcode()[0] == 0

    # A policy changed outside Terraform shows too, and comes back on apply.
    ms.put_container_policy(ContainerName=name, Policy=json.dumps(
        {"Version": "2012-10-17", "Statement": [full[0]]}))
    code, plan = ws.plan_exitcode()
    assert code == 2 and "policy" in plan.stdout
    ws.apply()
    assert ws.plan_exitcode()[0] == 0

    # Import by name: the plan is empty.
    ws.reset_state()
    ws.import_("lsms_container.origin", name)
    assert ws.resource_values("lsms_container.origin")["origin_secret"] == secret
    code, plan = ws.plan_exitcode()
    assert code == 0, plan.output

    # Objects in the container: destroy without force_destroy fails clearly.
    data = emulator.client("mediastore-data", endpoint_url=desc["Endpoint"])
    for key in ("stream/index.m3u8", "stream/index_1.ts", "stream/hd/seg_1.ts", "top.txt"):
        data.put_object(Path=key, Body=b"x" * 10, ContentType="application/octet-stream")
    failed = ws.destroy(check=False)
    assert failed.returncode != 0
    assert "force_destroy" in failed.output and "not empty" in failed.output
    assert name in container_names(ms)

    # With force_destroy (applied first, as state holds it) it goes, objects and all.
    # (tags change in place on the way: TagResource / UntagResource)
    hcl = container_hcl(name, CHANGED_RULES + "  force_destroy = true\n")
    ws.write("main.tf", config(emulator.url, hcl.replace('{ Stream = "main" }',
                                                         '{ Owner = "ops" }')))
    ws.apply()
    tags = {t["Key"]: t["Value"] for t in ms.list_tags_for_resource(Resource=desc["ARN"])["Tags"]}
    assert tags == {"Project": "lsms", "Owner": "ops"}
    assert ws.plan_exitcode()[0] == 0
    before = len(emulator.request_log())
    ws.destroy()
    delete_calls = emulator.request_log()[before:]
    assert name not in container_names(ms)
    assert ops(delete_calls, "mediastore-data")["DeleteObject"] == 4
    # The role is shared by every container's logging: never deleted.
    assert iam.get_role(RoleName="MediaStoreAccessLogs")["Role"]["RoleName"]

    print(f"\n[{client[0]}] apply wall time {apply_seconds:.2f}s")
    print(f"[{client[0]}] create calls", ops(create_calls), ops(create_calls, "iam"))
    print(f"[{client[0]}] plan (refresh) calls", read_calls)
    print(f"[{client[0]}] update calls", update_calls)
    print(f"[{client[0]}] force destroy calls", ops(delete_calls),
          ops(delete_calls, "mediastore-data"))


def test_container_deleted_outside_terraform_leaves_state(client, workspace_factory, emulator):
    ms = emulator.client("mediastore")
    name = f"acc-container-gone-{client[0]}"
    ws = workspace_factory(client)
    ws.write("main.tf", config(emulator.url, container_hcl(name, "  access_logging = false\n")))
    ws.init()
    ws.apply()
    assert ms.describe_container(ContainerName=name)["Container"]["AccessLoggingEnabled"] is False
    ms.delete_container(ContainerName=name)
    ws.run("refresh", "-no-color")
    assert ws.resource_values("lsms_container.origin") is None
    code, plan = ws.plan_exitcode()
    assert code == 2 and "will be created" in plan.stdout
    ws.apply()
    assert name in container_names(ms)
    ws.destroy()
    assert name not in container_names(ms)


@pytest.mark.parametrize("body, attribute", [
    (container_hcl("bad.name"), "name"),
    (container_hcl("acc-bad-rule", """
  lifecycle_rules = [{
    path_prefix          = "stream/"
    path_wildcard        = "stream/*.ts"
    seconds_since_create = 60
    action               = "EXPIRE"
  }]
"""), "lifecycle_rules"),
    (container_hcl("acc-bad-rule2", """
  lifecycle_rules = [{
    seconds_since_create = 60
    action               = "EXPIRE"
  }]
"""), "lifecycle_rules"),
    (container_hcl("acc-bad-policy", '  policy = "{not json"\n'), "policy"),
], ids=["name", "prefix-and-wildcard", "no-path", "policy-json"])
def test_invalid_input_fails_plan_without_aws_calls(client, workspace_factory, emulator, body,
                                                    attribute):
    ws = workspace_factory(client)
    ws.write("main.tf", config(emulator.url, body))
    ws.init()
    before = len(emulator.request_log())
    result = ws.plan(check=False)
    assert result.returncode == 1
    assert "lsms_container.origin" in result.output
    assert attribute in result.output
    assert not [e for e in emulator.request_log()[before:] if e["service"] == "mediastore"]


FAULT_STEPS = [
    ("CreateContainer", 400),
    ("DescribeContainer", 400),
    ("PutContainerPolicy", 400),
    ("PutCorsPolicy", 500),
    ("PutLifecyclePolicy", 400),
    ("PutMetricPolicy", 400),
    ("StartAccessLogging", 400),
]


def test_fault_at_any_create_step_leaves_no_unknown_container(client, workspace_factory,
                                                              tmp_path):
    # Each client gets an emulator of its own (and so its own faults file).
    faults = tmp_path / "faults.json"
    faults.write_text("{}")
    emu = Emulator(env={"LSMS_EMULATOR_MEDIASTORE_FAULTS_FILE": str(faults)})
    try:
        ms = emu.client("mediastore")
        iam = emu.client("iam")
        # An existing logging role is left exactly as it is.
        iam.create_role(RoleName="MediaStoreAccessLogs", Description="made by hand",
                        AssumeRolePolicyDocument=json.dumps({
                            "Version": "2012-10-17", "Statement": [{
                                "Effect": "Allow", "Action": "sts:AssumeRole",
                                "Principal": {"Service": "mediastore.amazonaws.com"}}]}))
        role_made = len(emu.request_log())
        ws = workspace_factory(client)
        # max_retries = 0 so a 500 is a failure rather than a retry.
        ws.write("main.tf", PROVIDER_BLOCK + provider_for_emulator(emu.url, "  max_retries = 0\n")
                 + container_hcl("acc-faults"))
        ws.init()
        for op, status in FAULT_STEPS:
            faults.write_text(json.dumps({op: {"count": 1, "status": status}}))
            result = ws.apply(check=False)
            assert result.returncode != 0, f"{op}: {result.output}"
            assert "Injected fault" in result.output, op
            assert json.loads(faults.read_text())[op]["count"] == 0, op
            assert container_names(ms) <= state_names(ws), op
        # A refused policy (the model allows ASCII only) is a failure too.
        ws.write("main.tf", PROVIDER_BLOCK + provider_for_emulator(emu.url) + container_hcl(
            "acc-faults", '  policy = jsonencode({ Version = "2012-10-17", Statement = [], '
                          'Id = "caf\u00e9" })\n'))
        result = ws.apply(check=False)
        assert result.returncode != 0 and "ValidationException" in result.output
        assert container_names(ms) <= state_names(ws)
        # Then it converges.
        ws.write("main.tf", PROVIDER_BLOCK + provider_for_emulator(emu.url)
                 + container_hcl("acc-faults"))
        ws.apply()
        assert container_names(ms) == {"acc-faults"} == state_names(ws)
        assert ws.plan_exitcode()[0] == 0
        assert iam.get_role(RoleName="MediaStoreAccessLogs")["Role"]["Description"] == \
            "made by hand"
        assert not [e for e in emu.request_log()[role_made:]
                    if e["operation"] in ("CreateRole", "PutRolePolicy")]
        ws.destroy()
        assert container_names(ms) == set()
    finally:
        emu.stop()
