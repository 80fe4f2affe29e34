"""Issue 13: lsms_bucket, the S3 origin, through real OpenTofu and Terraform
and the emulator, checked independently with boto3.

apply with defaults -> S3 holds exactly what was asked (Block Public Access
all four on, BucketOwnerEnforced, the CORS rule, the 1-day stream/ expiry,
the EntireBucket request-metrics configuration, tags) -> a second plan is
empty -> every setting changed behind the client's back shows in the plan
and apply puts it back -> in-place updates of CORS, lifecycle, metrics,
logging and tags -> import gives an empty plan -> destroy of a bucket with
objects fails naming force_destroy and keeps the bucket -> with
force_destroy (versions and delete markers too) nothing is left.
Also: name_prefix, another region, a bucket deleted outside, bad input
refused at plan with no S3 request, and a failure at every step of create
leaving no bucket that state does not know.

The figures (calls per operation, apply seconds) are printed with -s.
"""

import json
import subprocess
import sys
import time
import urllib.request

import botocore.exceptions
import pytest

from harness import PROVIDER_BLOCK, REPO, provider_for_emulator

DEFAULT_TAGS = """
  default_tags {
    tags = { Project = "lsms" }
  }
"""
ALL_ON = {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
          "RestrictPublicBuckets": True}
DEFAULT_CORS = [{"AllowedHeaders": ["*"], "AllowedMethods": ["GET", "HEAD"],
                 "AllowedOrigins": ["*"], "MaxAgeSeconds": 3000}]
DEFAULT_RULES = [{"Expiration": {"Days": 1}, "ID": "lsms-0", "Filter": {"Prefix": "stream/"},
                  "Status": "Enabled"}]


def config(url, body, region="us-east-1"):
    provider = provider_for_emulator(url, DEFAULT_TAGS)
    if region != "us-east-1":
        provider = provider.replace('region     = "us-east-1"', f'region     = "{region}"')
    return PROVIDER_BLOCK + provider + body


def bucket_hcl(name, extra=""):
    return f"""
resource "lsms_bucket" "origin" {{
  name = "{name}"
  tags = {{ Stream = "main" }}
{extra}
}}
"""


def s3_ops(entries):
    """{operation: count} of the S3 requests among `entries`."""
    counts = {}
    for e in entries:
        if e["service"] == "s3":
            counts[e["operation"]] = counts.get(e["operation"], 0) + 1
    return counts


def bucket_names(s3):
    return {b["Name"] for b in s3.list_buckets()["Buckets"]}


def tags_of(s3, name):
    return {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket=name)["TagSet"]}


def error_code(call):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        call()
    return e.value.response["Error"]["Code"]


def make_log_bucket(s3, name):
    """A bucket S3 may deliver access logs to: its policy lets the logging
    service put objects (S3 user guide, "Permissions for log delivery")."""
    if name in bucket_names(s3):
        return
    s3.create_bucket(Bucket=name)
    s3.put_bucket_policy(Bucket=name, Policy=json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"},
            "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{name}/*"}]}))


def assert_defaults(s3, name):
    assert s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"] == ALL_ON
    assert s3.get_bucket_ownership_controls(Bucket=name)["OwnershipControls"]["Rules"] == [
        {"ObjectOwnership": "BucketOwnerEnforced"}]
    assert s3.get_bucket_cors(Bucket=name)["CORSRules"] == DEFAULT_CORS
    assert s3.get_bucket_lifecycle_configuration(Bucket=name)["Rules"] == DEFAULT_RULES
    assert s3.get_bucket_metrics_configuration(Bucket=name, Id="EntireBucket")[
        "MetricsConfiguration"] == {"Id": "EntireBucket"}
    assert [c["Id"] for c in s3.list_bucket_metrics_configurations(Bucket=name)[
        "MetricsConfigurationList"]] == ["EntireBucket"]


CHANGED = """
  cors_rules = [{
    allowed_origins = ["https://player.example.com"]
    allowed_methods = ["GET"]
    allowed_headers = ["Range"]
    expose_headers  = ["ETag"]
    max_age_seconds = 600
  }]
  lifecycle_rules = [{
    prefix          = "stream/"
    expiration_days = 2
  }, {
    prefix          = "archive/"
    expiration_days = 30
  }]
  metrics_filter_id = "live.stream_1"
  logging_bucket    = "LOGS"
  logging_prefix    = "origin/"
"""


def test_bucket_lifecycle_drift_updates_import_destroy(client, workspace_factory, emulator):
    s3 = emulator.client("s3")
    name = f"acc-bucket-{client[0]}"
    logs = f"acc-bucket-logs-{client[0]}"
    make_log_bucket(s3, logs)
    ws = workspace_factory(client)
    ws.write("main.tf", config(emulator.url, bucket_hcl(name)))
    ws.init()

    # Apply with every default.
    before = len(emulator.request_log())
    started = time.monotonic()
    ws.apply()
    apply_seconds = time.monotonic() - started
    create_calls = s3_ops(emulator.request_log()[before:])
    assert_defaults(s3, name)
    assert tags_of(s3, name) == {"Project": "lsms", "Stream": "main"}
    assert "LoggingEnabled" not in s3.get_bucket_logging(Bucket=name)
    values = ws.resource_values("lsms_bucket.origin")
    assert values["id"] == name and values["name"] == name
    assert values["arn"] == f"arn:aws:s3:::{name}"
    assert values["region"] == "us-east-1"
    assert values["bucket_regional_domain_name"] == f"{name}.s3.us-east-1.amazonaws.com"
    assert values["metrics_filter_id"] == "EntireBucket" and values["request_metrics"] is True
    assert values["tags_all"] == {"Project": "lsms", "Stream": "main"}
    assert values["force_destroy"] is False and values["name_prefix"] is None

    # No perpetual diff.
    before = len(emulator.request_log())
    code, plan = ws.plan_exitcode()
    assert code == 0, plan.output
    read_calls = s3_ops(emulator.request_log()[before:])

    # Every setting changed behind the client's back: the plan shows each,
    # apply puts each back.
    s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=dict(
        ALL_ON, BlockPublicPolicy=False))
    s3.put_bucket_ownership_controls(Bucket=name, OwnershipControls={
        "Rules": [{"ObjectOwnership": "ObjectWriter"}]})
    s3.put_bucket_cors(Bucket=name, CORSConfiguration={"CORSRules": [
        {"AllowedMethods": ["PUT"], "AllowedOrigins": ["*"]}]})
    s3.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration={"Rules": [
        {"ID": "other", "Filter": {"Prefix": "stream/"}, "Status": "Enabled",
         "Expiration": {"Days": 5}}]})
    s3.delete_bucket_metrics_configuration(Bucket=name, Id="EntireBucket")
    s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": [
        {"Key": "Project", "Value": "lsms"}, {"Key": "Stream", "Value": "backup"}]})
    s3.put_bucket_logging(Bucket=name, BucketLoggingStatus={"LoggingEnabled": {
        "TargetBucket": logs, "TargetPrefix": "sneaky/"}})
    code, plan = ws.plan_exitcode()
    assert code == 2, plan.output
    assert "update in-place" in plan.stdout and "must be replaced" not in plan.stdout
    for attr in ("block_public_access", "object_ownership", "cors_rules", "lifecycle_rules",
                 "request_metrics", "tags", "logging_bucket"):
        assert attr in plan.stdout, attr
    assert '"PUT"' in plan.stdout and "5" in plan.stdout and '"backup"' in plan.stdout
    ws.apply()
    assert_defaults(s3, name)
    assert tags_of(s3, name) == {"Project": "lsms", "Stream": "main"}
    assert "LoggingEnabled" not in s3.get_bucket_logging(Bucket=name)
    assert ws.plan_exitcode()[0] == 0

    # Block Public Access gone entirely, ownership controls gone: the same.
    s3.delete_public_access_block(Bucket=name)
    s3.delete_bucket_ownership_controls(Bucket=name)
    code, plan = ws.plan_exitcode()
    assert code == 2 and "block_public_access" in plan.stdout and \
        "object_ownership" in plan.stdout, plan.output
    ws.apply()
    assert_defaults(s3, name)

    # In-place updates of CORS, lifecycle, metrics, logging and tags.
    ws.write("main.tf", config(emulator.url, bucket_hcl(name, CHANGED.replace("LOGS", logs))
                               .replace('{ Stream = "main" }', '{ Owner = "ops" }')))
    code, plan = ws.plan_exitcode()
    assert code == 2
    assert "0 to add, 1 to change, 0 to destroy" in plan.stdout, plan.stdout
    before = len(emulator.request_log())
    ws.apply()
    update_calls = s3_ops(emulator.request_log()[before:])
    assert s3.get_bucket_cors(Bucket=name)["CORSRules"] == [{
        "AllowedHeaders": ["Range"], "AllowedMethods": ["GET"],
        "AllowedOrigins": ["https://player.example.com"], "ExposeHeaders": ["ETag"],
        "MaxAgeSeconds": 600}]
    rules = s3.get_bucket_lifecycle_configuration(Bucket=name)["Rules"]
    assert [(r["Filter"]["Prefix"], r["Expiration"]["Days"]) for r in rules] == [
        ("stream/", 2), ("archive/", 30)]
    assert [c["Id"] for c in s3.list_bucket_metrics_configurations(Bucket=name)[
        "MetricsConfigurationList"]] == ["live.stream_1"]
    assert s3.get_bucket_logging(Bucket=name)["LoggingEnabled"] == {
        "TargetBucket": logs, "TargetPrefix": "origin/"}
    assert tags_of(s3, name) == {"Project": "lsms", "Owner": "ops"}
    assert s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"] == ALL_ON
    assert ws.resource_values("lsms_bucket.origin")["metrics_filter_id"] == "live.stream_1"
    assert ws.plan_exitcode()[0] == 0

    # Import by name: the plan is empty.
    ws.reset_state()
    ws.import_("lsms_bucket.origin", name)
    imported = ws.resource_values("lsms_bucket.origin")
    assert imported["metrics_filter_id"] == "live.stream_1"
    assert imported["logging_bucket"] == logs
    code, plan = ws.plan_exitcode()
    assert code == 0, plan.output

    # And back to the defaults, in place: no logging, no extra rule.
    ws.write("main.tf", config(emulator.url, bucket_hcl(name)))
    code, plan = ws.plan_exitcode()
    assert code == 2 and "0 to add, 1 to change, 0 to destroy" in plan.stdout, plan.stdout
    ws.apply()
    assert_defaults(s3, name)
    assert "LoggingEnabled" not in s3.get_bucket_logging(Bucket=name)

    # Import of a bucket created with the defaults: the plan is empty too.
    ws.reset_state()
    ws.import_("lsms_bucket.origin", name)
    code, plan = ws.plan_exitcode()
    assert code == 0, plan.output

    # Objects, versions and delete markers in the bucket.
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    keys = ["stream/index.m3u8", "stream/index_1_00001.ts", "stream/hd/seg 2.ts", "top.txt"]
    for key in keys:
        for i in range(3):
            s3.put_object(Bucket=name, Key=key, Body=b"x" * (i + 1))
    s3.delete_object(Bucket=name, Key=keys[0])
    s3.delete_object(Bucket=name, Key=keys[3])
    listing = s3.list_object_versions(Bucket=name)
    assert len(listing["Versions"]) == 12 and len(listing["DeleteMarkers"]) == 2

    # Without force_destroy: a clear error, and nothing is deleted.
    before = len(emulator.request_log())
    failed = ws.destroy(check=False)
    assert failed.returncode != 0
    assert "force_destroy" in failed.output and "not empty" in failed.output, failed.output
    assert name in bucket_names(s3)
    assert len(s3.list_object_versions(Bucket=name)["Versions"]) == 12
    assert s3_ops(emulator.request_log()[before:]).get("DeleteObjects") is None

    # With force_destroy (applied first: state holds it) the bucket goes.
    ws.write("main.tf", config(emulator.url, bucket_hcl(name, "  force_destroy = true\n")))
    ws.apply()
    before = len(emulator.request_log())
    ws.destroy()
    delete_calls = s3_ops(emulator.request_log()[before:])
    assert name not in bucket_names(s3)
    assert error_code(lambda: s3.head_bucket(Bucket=name)) in ("404", "NoSuchBucket")
    assert delete_calls["DeleteObjects"] == 1 and delete_calls["DeleteBucket"] == 1

    def split(calls):  # (the refresh's Get* calls, the rest)
        gets = {k: v for k, v in calls.items() if k.startswith("Get")}
        return sum(gets.values()), {k: v for k, v in calls.items() if k not in gets}

    print(f"\n[{client[0]}] apply (create) wall time {apply_seconds:.2f}s")
    print(f"[{client[0]}] create calls {sum(create_calls.values())} {create_calls}")
    print(f"[{client[0]}] plan (read) calls {sum(read_calls.values())} {read_calls}")
    print(f"[{client[0]}] update: refresh reads %d, then %s" % split(update_calls))
    print(f"[{client[0]}] force destroy: refresh reads %d, then %s" % split(delete_calls))


def test_name_prefix_and_another_region(client, workspace_factory, emulator):
    s3 = emulator.client("s3", session=emulator.session(region="eu-west-1"))
    ws = workspace_factory(client)
    hcl = """
resource "lsms_bucket" "gen" {
  name_prefix   = "acc-gen-"
  force_destroy = true
}
output "name" { value = lsms_bucket.gen.name }
output "domain" { value = lsms_bucket.gen.bucket_regional_domain_name }
"""
    ws.write("main.tf", config(emulator.url, hcl, region="eu-west-1"))
    ws.init()
    before = len(emulator.request_log())
    ws.apply()
    out = ws.output()
    name = out["name"]["value"]
    assert name.startswith("acc-gen-") and len(name) == len("acc-gen-") + 26
    assert name[len("acc-gen-"):].isalnum() and name == name.lower()
    assert out["domain"]["value"] == f"{name}.s3.eu-west-1.amazonaws.com"
    assert s3.get_bucket_location(Bucket=name)["LocationConstraint"] == "eu-west-1"
    assert_defaults(s3, name)
    # Outside us-east-1 no existence check is needed: CreateBucket refuses.
    assert "HeadBucket" not in s3_ops(emulator.request_log()[before:])
    assert ws.plan_exitcode()[0] == 0

    # Another setting changes in place: the generated name stays.
    ws.write("main.tf", config(emulator.url, hcl.replace("force_destroy = true",
                                                         "force_destroy = true\n  tags = { a = \"b\" }"),
                               region="eu-west-1"))
    code, plan = ws.plan_exitcode()
    assert code == 2 and "0 to add, 1 to change, 0 to destroy" in plan.stdout, plan.stdout
    ws.apply()
    assert ws.output()["name"]["value"] == name
    assert tags_of(s3, name) == {"Project": "lsms", "a": "b"}
    # Another prefix is another bucket.
    ws.write("main.tf", config(emulator.url, hcl.replace('"acc-gen-"', '"acc-gen2-"'),
                               region="eu-west-1"))
    code, plan = ws.plan_exitcode()
    assert code == 2 and "1 to add, 0 to change, 1 to destroy" in plan.stdout, plan.stdout
    ws.apply()
    old_name, name = name, ws.output()["name"]["value"]
    assert name.startswith("acc-gen2-") and len(name) == len("acc-gen2-") + 26
    assert old_name not in bucket_names(s3) and name in bucket_names(s3)
    hcl = hcl.replace('"acc-gen-"', '"acc-gen2-"')

    # Import reads the region back from the bucket (import cannot know
    # force_destroy) and recognises a generated name's prefix, so a config
    # naming the bucket either way plans no change.
    ws.reset_state()
    ws.write("main.tf", config(emulator.url, hcl.replace('name_prefix   = "acc-gen2-"',
                                                         f'name          = "{name}"')
                               .replace("  force_destroy = true\n", ""), region="eu-west-1"))
    ws.import_("lsms_bucket.gen", name)
    imported = ws.resource_values("lsms_bucket.gen")
    assert imported["region"] == "eu-west-1" and imported["name_prefix"] == "acc-gen2-"
    assert ws.plan_exitcode()[0] == 0
    ws.reset_state()
    ws.write("main.tf", config(emulator.url, hcl.replace("  force_destroy = true\n", ""),
                               region="eu-west-1"))
    ws.import_("lsms_bucket.gen", name)
    assert ws.plan_exitcode()[0] == 0
    # A prefix the name does not begin with is another bucket.
    ws.write("main.tf", config(emulator.url, hcl.replace('"acc-gen2-"', '"acc-gen3-"')
                               .replace("  force_destroy = true\n", ""), region="eu-west-1"))
    code, plan = ws.plan_exitcode()
    assert code == 2 and "must be replaced" in plan.stdout, plan.stdout
    ws.write("main.tf", config(emulator.url, hcl, region="eu-west-1"))

    ws.destroy()
    assert name not in bucket_names(s3)


def test_deleted_outside_is_planned_again(client, workspace_factory, emulator):
    s3 = emulator.client("s3")
    name = f"acc-bucket-gone-{client[0]}"
    ws = workspace_factory(client)
    ws.write("main.tf", config(emulator.url, bucket_hcl(name)))
    ws.init()
    ws.apply()
    s3.delete_bucket(Bucket=name)
    code, plan = ws.plan_exitcode()
    assert code == 2 and "will be created" in plan.stdout, plan.output
    ws.apply()
    assert_defaults(s3, name)
    ws.destroy()
    assert name not in bucket_names(s3)


def test_existing_bucket_is_not_taken_over(client, workspace_factory, emulator):
    """In us-east-1 S3 answers CreateBucket of one's own bucket with 200."""
    s3 = emulator.client("s3")
    name = f"acc-bucket-taken-{client[0]}"
    s3.create_bucket(Bucket=name)
    s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": [{"Key": "Owner", "Value": "other"}]})
    ws = workspace_factory(client)
    ws.write("main.tf", config(emulator.url, bucket_hcl(name)))
    ws.init()
    r = ws.apply(check=False)
    assert r.returncode != 0 and "already exists" in r.output and "import" in r.output, r.output
    assert tags_of(s3, name) == {"Owner": "other"}
    assert ws.resource_values("lsms_bucket.origin") is None
    s3.delete_bucket(Bucket=name)


BAD_INPUT = [
    # (resource body, attribute the error names, words of the error)
    ('  name = "acc.dotted.bucket"', "name", "dot"),
    ('  name = "Acc-Upper"', "name", "upper-case"),
    ('  name = "acc-days"\n  lifecycle_rules = [{ prefix = "stream/", expiration_days = 0 }]',
     "lifecycle_rules[0].expiration_days", "1 day"),
    ('  name = "acc-days"\n  lifecycle_rules = [{ prefix = "stream/", expiration_days = 0.5 }]',
     "lifecycle_rules[0].expiration_days", "whole number"),
    ('  name = "acc-filter"\n  metrics_filter_id = "stream/hls"', "metrics_filter_id",
     "metrics configuration id"),
    ('  name = "acc-both"\n  name_prefix = "acc-"', "name_prefix", "not both"),
    ('  name_prefix = "acc-this-prefix-is-much-too-long-for-s3-names"', "name_prefix",
     "37 characters"),
    ('  name = "acc-log"\n  logging_prefix = "x/"', "logging_prefix", "logging_bucket"),
]


@pytest.mark.parametrize("args,attr,words", BAD_INPUT,
                         ids=["dotted", "upper", "zero-days", "half-day", "filter-slash",
                              "name-and-prefix", "long-prefix", "prefix-without-log-bucket"])
def test_bad_input_refused_at_plan_without_s3_call(client, workspace_factory, emulator, args,
                                                   attr, words):
    ws = workspace_factory(client)
    ws.write("main.tf", config(emulator.url, f'resource "lsms_bucket" "bad" {{\n{args}\n}}\n'))
    ws.init()
    before = len(emulator.request_log())
    r = ws.plan(check=False)
    assert r.returncode != 0, r.output
    text = " ".join(r.output.split())
    assert attr in text and words in text, r.output
    assert "lsms_bucket.bad" in text
    assert "panic" not in r.output.lower()
    calls = [x for x in emulator.request_log()[before:] if x["service"] == "s3"]
    assert calls == [], calls


# ---- a failure at each step of create leaves no bucket state does not know ----

FAULTPROXY = f"{REPO}/tests/tools/faultproxy.py"
CREATE_STEPS = ["HeadBucket", "CreateBucket", "PutPublicAccessBlock", "PutBucketCors",
                "PutBucketLifecycleConfiguration", "PutBucketMetricsConfiguration",
                "PutBucketLogging", "PutBucketTagging"]


class FaultProxy:
    def __init__(self, upstream):
        self.proc = subprocess.Popen(
            [sys.executable, FAULTPROXY, "--upstream", upstream, "--max-seconds", "900"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        line = self.proc.stdout.readline()
        assert line.startswith("FAULTPROXY_READY "), line
        self.url = line.split()[1]

    def rules(self, doc):
        """Replaces the rules and counts occurrences from zero again."""
        for name, body in (("reset", {}), ("rules", doc)):
            req = urllib.request.Request(f"{self.url}/__faultproxy/{name}",
                                         data=json.dumps(body).encode(), method="POST")
            urllib.request.urlopen(req, timeout=10).read()

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


def state_buckets(ws):
    state = ws.state()
    resources = state.get("values", {}).get("root_module", {}).get("resources", [])
    return {r["values"]["name"] for r in resources if r["type"] == "lsms_bucket"}


def test_failure_at_each_create_step_leaves_no_unknown_bucket(client, workspace_factory,
                                                              emulator):
    # Each client has a fault proxy of its own and its own bucket names.
    s3 = emulator.client("s3")
    name = f"acc-bucket-faults-{client[0]}"
    logs = f"acc-bucket-faults-logs-{client[0]}"
    make_log_bucket(s3, logs)
    proxy = FaultProxy(emulator.url)
    try:
        ws = workspace_factory(client)
        ws.write("main.tf", config(proxy.url, bucket_hcl(name, f'  logging_bucket = "{logs}"\n')))
        ws.init()
        for step in CREATE_STEPS:
            proxy.rules({"faults": [{"operation": step, "occurrence": 1, "fault": "error"}]})
            r = ws.apply(check=False)
            assert r.returncode != 0, f"{step}: {r.output}"
            # (A HEAD answer has no body: S3's code cannot travel with it.)
            assert "InvalidArgument" in r.output or (
                step == "HeadBucket" and "HTTP 400" in r.output), (step, r.output)
            mine = {b for b in bucket_names(s3) if b.startswith(name) and b != logs}
            assert mine <= state_buckets(ws), step
            assert name not in bucket_names(s3), step
        # A natural failure after CreateBucket: a log bucket that is not there.
        proxy.rules({"faults": []})
        ws.write("main.tf", config(proxy.url, bucket_hcl(
            name, '  logging_bucket = "acc-no-such-log-bucket"\n')))
        r = ws.apply(check=False)
        assert r.returncode != 0 and "InvalidTargetBucketForLogging" in r.output, r.output
        assert "logging_bucket" in r.output
        assert name not in bucket_names(s3)
        # Then it converges.
        ws.write("main.tf", config(proxy.url, bucket_hcl(name, f'  logging_bucket = "{logs}"\n')))
        ws.apply()
        assert state_buckets(ws) == {name}
        assert s3.get_bucket_logging(Bucket=name)["LoggingEnabled"]["TargetBucket"] == logs
        assert ws.plan_exitcode()[0] == 0
        ws.destroy()
        assert name not in bucket_names(s3)
    finally:
        proxy.stop()
