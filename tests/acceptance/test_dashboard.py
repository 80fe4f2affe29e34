"""lsms_dashboard through each real client found (OpenTofu, and Terraform when
it is on PATH) and the emulator (issue 3: the AWS client layer proven by the
dashboard's full lifecycle), checked with boto3. The dashboards are named
after the client, as both share one emulator.

apply -> the dashboard exists with the seed's widgets -> a second plan is empty
-> a body changed behind the client's back shows as an update, and apply
restores it -> import into a fresh state gives an empty plan -> destroy leaves
nothing. Also: CloudFront widgets, deletion outside the client, a name already
taken, tags, and moto's auth mode (every request SigV4-verified against IAM
keys).

The S3 origin (issue 13): a dashboard over a bucket's
request metrics (AWS/S3, BucketName + FilterId), import, a switch from a
container to a bucket and back in place, and bad origin arguments refused at
plan before any AWS call. CloudWatch does not check that the bucket exists,
so no lsms_bucket is needed.
"""

import json

import botocore.config
import pytest
from botocore.exceptions import ClientError

from fixture import Emulator
from harness import PROVIDER_BLOCK, CommandFailed, provider_for_emulator

NO_RETRY = botocore.config.Config(retries={"max_attempts": 1})
LOG_WIDGETS = 10


def dashboard_hcl(name, container, extra=""):
    return f"""
resource "lsms_dashboard" "x" {{
  name           = "{name}"
  container_name = "{container}"
{extra}
}}
"""


def workspace(workspace_factory, client, url, hcl, provider_extra=""):
    ws = workspace_factory(client)
    ws.write("main.tf", PROVIDER_BLOCK + provider_for_emulator(url, provider_extra) + hcl)
    ws.init()
    return ws


def body_of(cw, name):
    return json.loads(cw.get_dashboard(DashboardName=name)["DashboardBody"])


def assert_seed_widgets(body, container, region="us-east-1", metric_widgets=0):
    widgets = body["widgets"]
    kinds = [w["type"] for w in widgets]
    assert kinds.count("text") == 1 and kinds[0] == "text"
    assert kinds.count("log") == LOG_WIDGETS
    assert kinds.count("metric") == metric_widgets
    assert len(widgets) == 1 + LOG_WIDGETS + metric_widgets
    for w in widgets:
        if w["type"] == "log":
            assert w["properties"]["query"].startswith(f"SOURCE '/aws/mediastore/{container}' |")
            assert w["properties"]["region"] == region


def assert_gone(cw, name):
    with pytest.raises(ClientError) as e:
        cw.get_dashboard(DashboardName=name)
    assert e.value.response["Error"]["Code"] == "ResourceNotFound"


def test_lifecycle_drift_import_destroy(client, workspace_factory, emulator):
    dash, origin = f"acc-dash-{client[0]}", f"acc-origin-{client[0]}"
    cw = emulator.client("cloudwatch")
    ws = workspace(workspace_factory, client, emulator.url, dashboard_hcl(dash, origin))
    ws.apply()

    assert_seed_widgets(body_of(cw, dash), origin)
    values = ws.resource_values("lsms_dashboard.x")
    assert values["id"] == dash
    assert values["arn"] == cw.get_dashboard(DashboardName=dash)["DashboardArn"]
    assert values["region"] == "us-east-1" and values["stream_path"] == "/stream/index"
    assert values["console_url"].endswith(f"region=us-east-1#dashboards:name={dash}")
    assert json.loads(values["dashboard_body"]) == body_of(cw, dash)
    code, plan = ws.plan_exitcode()
    assert code == 0, plan.output

    # Key order and whitespace are not a change.
    body = body_of(cw, dash)
    cw.put_dashboard(DashboardName=dash, DashboardBody=json.dumps(body, indent=2))
    code, plan = ws.plan_exitcode()
    assert code == 0, plan.output

    # A widget dropped in the console is: the plan puts it back.
    body["widgets"].pop()
    cw.put_dashboard(DashboardName=dash, DashboardBody=json.dumps(body))
    code, plan = ws.plan_exitcode()
    assert code == 2, plan.output
    assert "update in-place" in plan.output and "dashboard_body" in plan.output
    ws.apply()
    assert_seed_widgets(body_of(cw, dash), origin)
    assert ws.plan_exitcode()[0] == 0

    ws.reset_state()
    ws.import_("lsms_dashboard.x", dash)
    imported = ws.resource_values("lsms_dashboard.x")
    for attr in ("container_name", "region", "stream_path", "arn", "dashboard_body"):
        assert imported[attr] == values[attr], attr
    code, plan = ws.plan_exitcode()
    assert code == 0, plan.output

    ws.destroy()
    assert_gone(cw, dash)


def test_distribution_widgets_stream_path_and_deletion_outside(client, workspace_factory, emulator):
    dash, origin = f"acc-dash-cf-{client[0]}", f"acc-origin-cf-{client[0]}"
    cw = emulator.client("cloudwatch")
    extra = '  distribution_id = "E2QWRUHAPOMQZL"\n  stream_path = "/live/main"\n  region = "eu-west-1"'
    ws = workspace(workspace_factory, client, emulator.url,
                   dashboard_hcl(dash, origin, extra))
    ws.apply()
    body = body_of(cw, dash)
    assert_seed_widgets(body, origin, region="eu-west-1", metric_widgets=4)
    metrics = [w["properties"] for w in body["widgets"] if w["type"] == "metric"]
    assert all(m["metrics"][0][:4] == ["AWS/CloudFront", m["metrics"][0][1], "DistributionId",
                                       "E2QWRUHAPOMQZL"] for m in metrics)
    assert {m["metrics"][0][1] for m in metrics} == {"Requests", "BytesDownloaded",
                                                     "4xxErrorRate", "5xxErrorRate"}
    assert 'Path like \\"/live/main\\"' in json.dumps(body)
    assert ws.plan_exitcode()[0] == 0

    # Import recovers distribution_id, stream_path and region from the body.
    ws.reset_state()
    ws.import_("lsms_dashboard.x", dash)
    code, plan = ws.plan_exitcode()
    assert code == 0, plan.output

    # Dropping the distribution removes the CloudFront widgets in place.
    ws.write("main.tf", PROVIDER_BLOCK + provider_for_emulator(emulator.url) + dashboard_hcl(
        dash, origin, '  stream_path = "/live/main"\n  region = "eu-west-1"'))
    ws.apply()
    assert_seed_widgets(body_of(cw, dash), origin, region="eu-west-1")

    cw.delete_dashboards(DashboardNames=[dash])
    code, plan = ws.plan_exitcode()
    assert code == 2, plan.output
    assert "will be created" in plan.output
    ws.destroy()  # nothing left to delete: still succeeds
    assert_gone(cw, dash)


def test_existing_dashboard_is_not_taken_over(client, workspace_factory, emulator):
    dash, origin = f"acc-taken-{client[0]}", f"acc-o-{client[0]}"
    cw = emulator.client("cloudwatch")
    mine = json.dumps({"widgets": [{"type": "text", "x": 0, "y": 0, "width": 6, "height": 2,
                                    "properties": {"markdown": "someone else's"}}]})
    cw.put_dashboard(DashboardName=dash, DashboardBody=mine)
    ws = workspace(workspace_factory, client, emulator.url, dashboard_hcl(dash, origin))
    r = ws.apply(check=False)
    assert r.returncode != 0
    assert "Dashboard already exists" in r.output and "import" in r.output
    assert json.loads(cw.get_dashboard(DashboardName=dash)["DashboardBody"]) == json.loads(mine)
    assert ws.resource_values("lsms_dashboard.x") is None
    cw.delete_dashboards(DashboardNames=[dash])


def test_invalid_input_fails_at_plan_and_creates_nothing(client, workspace_factory, emulator):
    dash, origin = f"acc-bad-{client[0]}", f"acc-o-{client[0]}"
    cw = emulator.client("cloudwatch")
    ws = workspace(workspace_factory, client, emulator.url,
                   dashboard_hcl(dash, origin, '  stream_path = "no spaces allowed"'))
    r = ws.plan(check=False)
    assert r.returncode != 0 and "stream_path" in r.output
    assert_gone(cw, dash)


def test_tags_with_default_tags(client, workspace_factory, emulator):
    dash, origin = f"acc-dash-tags-{client[0]}", f"acc-o-{client[0]}"
    cw = emulator.client("cloudwatch")
    defaults = '  default_tags {\n    tags = { project = "lsms", team = "platform" }\n  }'

    def write(ws, tags):
        ws.write("main.tf", PROVIDER_BLOCK + provider_for_emulator(emulator.url, defaults) +
                 dashboard_hcl(dash, origin, f"  tags = {tags}"))

    ws = workspace_factory(client)
    write(ws, '{ team = "video", cost = "events" }')
    ws.init()
    ws.apply()
    arn = cw.get_dashboard(DashboardName=dash)["DashboardArn"]

    def remote_tags():
        return {t["Key"]: t["Value"] for t in cw.list_tags_for_resource(ResourceARN=arn)["Tags"]}

    assert remote_tags() == {"project": "lsms", "team": "video", "cost": "events"}
    assert ws.resource_values("lsms_dashboard.x")["tags_all"] == remote_tags()
    assert ws.plan_exitcode()[0] == 0

    write(ws, '{ team = "live" }')
    ws.apply()
    assert remote_tags() == {"project": "lsms", "team": "live"}
    assert ws.plan_exitcode()[0] == 0

    # A tag added outside the client shows as a change back.
    cw.tag_resource(ResourceARN=arn, Tags=[{"Key": "rogue", "Value": "x"}])
    code, plan = ws.plan_exitcode()
    assert code == 2 and "rogue" in plan.output, plan.output
    ws.apply()
    assert remote_tags() == {"project": "lsms", "team": "live"}

    ws.reset_state()
    ws.import_("lsms_dashboard.x", dash)
    assert ws.resource_values("lsms_dashboard.x")["tags"] == {"team": "live"}
    code, plan = ws.plan_exitcode()
    assert code == 0, plan.output
    ws.destroy()
    assert_gone(cw, dash)


# ---- moto's auth mode: every request after the first N must be signed with a
# real IAM key and allowed by the user's policy ----

DASHBOARD_ACTIONS = ["PutDashboard", "GetDashboard", "DeleteDashboards", "ListTagsForResource",
                     "TagResource", "UntagResource"]
# AWS names these actions cloudwatch:*; moto checks them under the SigV4
# signing name of the credential scope, monitoring:* (moto/iam/access_control.py),
# so the policy names both.
AUTH_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Action": [f"{prefix}:{op}" for prefix in ("cloudwatch", "monitoring")
                   for op in DASHBOARD_ACTIONS] + ["sts:GetCallerIdentity"],
        "Resource": "*",
    }],
}


@pytest.fixture(scope="module")
def auth_emulator():
    emu = Emulator(env={"INITIAL_NO_AUTH_ACTION_COUNT": "3"})
    try:
        emu.keys = emu.create_user("lsms-deployer", AUTH_POLICY)
        yield emu
    finally:
        emu.stop()


def auth_workspace(workspace_factory, client, emu, access_key, secret_key, hcl):
    ws = workspace_factory(client)
    ws.write("main.tf", PROVIDER_BLOCK + provider_for_emulator(emu.url, keys=(access_key, secret_key))
             + hcl)
    ws.init()
    return ws


def test_auth_mode_apply_and_destroy_with_iam_key(client, workspace_factory, auth_emulator):
    dash, origin = f"acc-auth-{client[0]}", f"acc-auth-origin-{client[0]}"
    emu = auth_emulator
    cw = emu.client("cloudwatch", session=emu.session(*emu.keys), config=NO_RETRY)
    ws = auth_workspace(workspace_factory, client, emu, *emu.keys,
                        dashboard_hcl(dash, origin))
    start = len(emu.request_log())  # this client's calls only: both share the emulator
    ws.apply()
    assert_seed_widgets(body_of(cw, dash), origin)
    assert ws.plan_exitcode()[0] == 0
    ws.destroy()
    assert_gone(cw, dash)
    ops = {(r["service"], r["operation"], r["status"]) for r in emu.request_log()[start:]}
    assert ("sts", "GetCallerIdentity", 200) in ops
    for op in ("PutDashboard", "GetDashboard", "DeleteDashboards"):
        assert ("cloudwatch", op, 200) in ops, op


def test_auth_mode_wrong_secret_is_a_clear_error(client, workspace_factory, auth_emulator):
    dash, origin = f"acc-auth-bad-{client[0]}", f"acc-o-{client[0]}"
    emu = auth_emulator
    ws = auth_workspace(workspace_factory, client, emu, emu.keys[0], "not-the-secret",
                        dashboard_hcl(dash, origin))
    with pytest.raises(CommandFailed) as e:
        ws.apply()
    out = str(e.value)
    assert "SignatureDoesNotMatch" in out, out
    assert "panic" not in out.lower() and "plugin exited" not in out.lower()
    assert "not-the-secret" not in out
    cw = emu.client("cloudwatch", session=emu.session(*emu.keys), config=NO_RETRY)
    assert_gone(cw, dash)

    ws2 = auth_workspace(workspace_factory, client, emu, "AKIAUNKNOWNKEY000000", "whatever",
                         dashboard_hcl(dash, origin))
    r = ws2.plan(check=False)
    assert r.returncode != 0
    assert "InvalidClientTokenId" in r.output, r.output


# ---- the S3 origin (issue 13) ----

S3_METRICS = {"PutRequests", "GetRequests", "FirstByteLatency", "TotalRequestLatency",
              "4xxErrors", "5xxErrors"}


def bucket_hcl(name, bucket, extra=""):
    return f"""
resource "lsms_dashboard" "x" {{
  name        = "{name}"
  bucket_name = "{bucket}"
{extra}
}}
"""


def metric_lines(body, namespace):
    """[(widget, line)] of every metric (not expression) line of `namespace`."""
    return [(w, line) for w in body["widgets"] if w["type"] == "metric"
            for line in w["properties"]["metrics"]
            if isinstance(line[0], str) and line[0] == namespace]


def assert_bucket_widgets(body, bucket, filter_id="EntireBucket", region="us-east-1",
                          cloudfront=0):
    kinds = [w["type"] for w in body["widgets"]]
    assert kinds[0] == "text" and kinds.count("text") == 1
    assert "log" not in kinds
    assert kinds.count("metric") == 8 + cloudfront
    assert f"**{bucket}**" in body["widgets"][0]["properties"]["markdown"]
    lines = metric_lines(body, "AWS/S3")
    assert {line[1] for _, line in lines} == S3_METRICS
    for widget, line in lines:
        assert line[2:6] == ["BucketName", bucket, "FilterId", filter_id], line
        assert widget["properties"]["region"] == region
        assert widget["properties"]["period"] == 60
    expressions = [line[0]["expression"] for w in body["widgets"] if w["type"] == "metric"
                   for line in w["properties"]["metrics"] if isinstance(line[0], dict)]
    assert expressions.count("IF(rest < 0, 0, rest)") == 2
    assert len(metric_lines(body, "AWS/CloudFront")) == cloudfront
    assert "mediastore" not in json.dumps(body)


def test_bucket_dashboard_apply_import_destroy(client, workspace_factory, emulator):
    cw = emulator.client("cloudwatch")
    name = f"acc-dash-s3-{client[0]}"
    ws = workspace(workspace_factory, client, emulator.url,
                   bucket_hcl(name, "acc-live-bucket", '  distribution_id = "E2QWRUHAPOMQZL"'))
    ws.apply()

    body = body_of(cw, name)
    assert_bucket_widgets(body, "acc-live-bucket", cloudfront=4)
    values = ws.resource_values("lsms_dashboard.x")
    assert values["bucket_name"] == "acc-live-bucket"
    assert values["metrics_filter_id"] == "EntireBucket"
    assert values["container_name"] is None and values["stream_path"] is None
    assert values["region"] == "us-east-1"
    assert values["arn"] == cw.get_dashboard(DashboardName=name)["DashboardArn"]
    assert json.loads(values["dashboard_body"]) == body
    code, plan = ws.plan_exitcode()
    assert code == 0, plan.output

    # Key order is not a change; a dropped widget is, and apply restores it.
    cw.put_dashboard(DashboardName=name, DashboardBody=json.dumps(body, indent=1, sort_keys=True))
    assert ws.plan_exitcode()[0] == 0
    body["widgets"].pop(1)
    cw.put_dashboard(DashboardName=name, DashboardBody=json.dumps(body))
    code, plan = ws.plan_exitcode()
    assert code == 2 and "update in-place" in plan.output, plan.output
    ws.apply()
    assert_bucket_widgets(body_of(cw, name), "acc-live-bucket", cloudfront=4)

    # Import recovers the bucket, the filter, the region and the distribution.
    ws.reset_state()
    ws.import_("lsms_dashboard.x", name)
    imported = ws.resource_values("lsms_dashboard.x")
    for attr in ("bucket_name", "metrics_filter_id", "container_name", "stream_path", "region",
                 "distribution_id", "arn", "dashboard_body"):
        assert imported[attr] == values[attr], attr
    code, plan = ws.plan_exitcode()
    assert code == 0, plan.output

    ws.destroy()
    assert_gone(cw, name)


def test_bucket_dashboard_filter_and_region(client, workspace_factory, emulator):
    cw = emulator.client("cloudwatch")
    name = f"acc-dash-s3f-{client[0]}"
    extra = '  metrics_filter_id = "live.stream_1"\n  region = "eu-west-1"'
    ws = workspace(workspace_factory, client, emulator.url, bucket_hcl(name, "acc-eu-bucket", extra))
    ws.apply()
    assert_bucket_widgets(body_of(cw, name), "acc-eu-bucket", "live.stream_1", "eu-west-1")
    assert ws.plan_exitcode()[0] == 0
    ws.reset_state()
    ws.import_("lsms_dashboard.x", name)
    assert ws.resource_values("lsms_dashboard.x")["metrics_filter_id"] == "live.stream_1"
    assert ws.plan_exitcode()[0] == 0
    ws.destroy()
    assert_gone(cw, name)


def test_switch_container_to_bucket_in_place(client, workspace_factory, emulator):
    """PutDashboard replaces a body whole: a new origin is an update, the
    dashboard (its ARN, its tags) stays."""
    cw = emulator.client("cloudwatch")
    name = f"acc-dash-switch-{client[0]}"
    tags = '  tags = { stage = "live" }'
    ws = workspace(workspace_factory, client, emulator.url,
                   dashboard_hcl(name, "acc-switch-origin", tags))
    ws.apply()
    arn = cw.get_dashboard(DashboardName=name)["DashboardArn"]
    assert_seed_widgets(body_of(cw, name), "acc-switch-origin")

    ws.write("main.tf", PROVIDER_BLOCK + provider_for_emulator(emulator.url) +
             bucket_hcl(name, "acc-switch-bucket", tags))
    code, plan = ws.plan_exitcode()
    assert code == 2, plan.output
    assert "0 to add, 1 to change, 0 to destroy" in plan.output, plan.output
    ws.apply()
    assert cw.get_dashboard(DashboardName=name)["DashboardArn"] == arn
    assert_bucket_widgets(body_of(cw, name), "acc-switch-bucket")
    tags_now = cw.list_tags_for_resource(ResourceARN=arn)["Tags"]
    assert {t["Key"]: t["Value"] for t in tags_now} == {"stage": "live"}
    values = ws.resource_values("lsms_dashboard.x")
    assert values["stream_path"] is None and values["metrics_filter_id"] == "EntireBucket"
    assert ws.plan_exitcode()[0] == 0

    # And back: the container's stream path default returns, the filter goes.
    ws.write("main.tf", PROVIDER_BLOCK + provider_for_emulator(emulator.url) +
             dashboard_hcl(name, "acc-switch-origin", tags))
    code, plan = ws.plan_exitcode()
    assert code == 2 and "0 to add, 1 to change, 0 to destroy" in plan.output, plan.output
    ws.apply()
    assert_seed_widgets(body_of(cw, name), "acc-switch-origin")
    values = ws.resource_values("lsms_dashboard.x")
    assert values["stream_path"] == "/stream/index" and values["metrics_filter_id"] is None
    assert ws.plan_exitcode()[0] == 0
    ws.destroy()
    assert_gone(cw, name)


BAD_ORIGINS = [
    # (resource body, attribute the error names, words of the error)
    ('  container_name = "c"\n  bucket_name = "acc-b"', "bucket_name", "not both"),
    ("", "container_name", "bucket_name"),
    ('  container_name = "c"\n  metrics_filter_id = "EntireBucket"', "metrics_filter_id",
     "only used with bucket_name"),
    ('  bucket_name = "acc-b"\n  stream_path = "/stream/index"', "stream_path",
     "metrics_filter_id"),
    ('  bucket_name = "Acc_Bucket"', "bucket_name", "S3 bucket name"),
    ('  bucket_name = "acc-b"\n  metrics_filter_id = "no spaces"', "metrics_filter_id",
     "metrics configuration id"),
]


@pytest.mark.parametrize("args,attr,words", BAD_ORIGINS,
                         ids=["both", "neither", "filter-with-container", "path-with-bucket",
                              "bad-bucket", "bad-filter"])
def test_bad_origin_refused_at_plan_without_aws_call(client, workspace_factory, emulator, args,
                                                     attr, words):
    hcl = f"""
resource "lsms_dashboard" "x" {{
  name = "acc-bad-origin"
{args}
}}
"""
    ws = workspace(workspace_factory, client, emulator.url, hcl)
    before = len(emulator.request_log())
    r = ws.plan(check=False)
    assert r.returncode != 0, r.output
    assert attr in r.output and " ".join(words.split()) in " ".join(r.output.split()), r.output
    assert "panic" not in r.output.lower()
    calls = [x for x in emulator.request_log()[before:] if x["service"] != "moto-api"]
    assert calls == [], calls
    assert_gone(emulator.client("cloudwatch"), "acc-bad-origin")
