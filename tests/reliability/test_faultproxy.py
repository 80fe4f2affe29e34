"""tests/tools/faultproxy.py itself: it names every operation the provider
uses, its injected errors are in each service's own wire format (boto3
parses the code and status back), resets and holds behave, and the MediaStore
data plane, reached through the container Endpoint the emulator builds from
the Host header, goes through the proxy too (also for the provider).
"""

import json
import os
import time

import botocore.config
import botocore.exceptions
import pytest

import harness
from fixture import Emulator
from stack import Proxy, wait_for

NO_RETRY = botocore.config.Config(retries={"total_max_attempts": 1, "mode": "standard"},
                                  read_timeout=5, connect_timeout=5)

# (service, call, kwargs, operation, expected codes for throttle and error)
CALLS = [
    ("mediastore", "list_containers", {}, "ListContainers",
     ("ThrottlingException", "ValidationException")),
    ("cloudwatch", "list_dashboards", {}, "ListDashboards",
     ("ThrottlingException", "ValidationException")),
    ("logs", "describe_log_groups", {}, "DescribeLogGroups",
     ("ThrottlingException", "ValidationException")),
    ("ssm", "describe_parameters", {}, "DescribeParameters",
     ("ThrottlingException", "ValidationException")),
    ("medialive", "list_channels", {}, "ListChannels",
     ("TooManyRequestsException", "BadRequestException")),
    ("cloudfront", "list_distributions", {}, "ListDistributions",
     ("Throttling", "InvalidArgument")),
    ("iam", "list_roles", {}, "ListRoles", ("Throttling", "ValidationError")),
    ("sts", "get_caller_identity", {}, "GetCallerIdentity", ("Throttling", "ValidationError")),
    ("s3", "list_buckets", {}, "ListBuckets", ("SlowDown", "InvalidArgument")),
]
# Statuses of the per-service throttle codes that are not 400.
THROTTLE_STATUS = {"TooManyRequestsException": 429, "SlowDown": 503}


@pytest.fixture(scope="module")
def proxied(tmp_path_factory):
    emu = Emulator()
    proxy = Proxy(emu.url, str(tmp_path_factory.mktemp("proxy") / "calls.jsonl"), 600)
    yield emu, proxy
    proxy.stop()
    emu.stop()


def client(emu, proxy, service, **kw):
    return emu.client(service, endpoint_url=proxy.url, config=NO_RETRY, **kw)


@pytest.mark.parametrize("service,call,kwargs,operation,codes", CALLS,
                         ids=[c[0] for c in CALLS])
def test_operation_named_and_errors_in_service_format(proxied, service, call, kwargs,
                                                      operation, codes):
    emu, proxy = proxied
    c = client(emu, proxy, service)
    proxy.set_rules({})
    proxy.reset()
    getattr(c, call)(**kwargs)
    assert [(x["service"], x["operation"], x["fault"]) for x in proxy.calls()] == \
        [(service, operation, None)]

    expected = [("throttle", codes[0]), ("error", codes[1]), ("500", "InternalFailure"),
                ("503", "ServiceUnavailable"), ("429", "TooManyRequestsException")]
    for fault, code in expected:
        proxy.set_rules({"faults": [{"operation": operation, "fault": fault}]})
        with pytest.raises(botocore.exceptions.ClientError) as e:
            getattr(c, call)(**kwargs)
        assert e.value.response["Error"]["Code"] == code, (fault, e.value.response)
        status = e.value.response["ResponseMetadata"]["HTTPStatusCode"]
        assert status == {"500": 500, "503": 503, "429": 429}.get(
            fault, THROTTLE_STATUS.get(code, 400)), (fault, status)


def test_s3_and_origin_access_control_operations_are_named(proxied):
    """Every S3 and Origin Access Control operation the S3 origin uses
    (lsms_bucket, lsms_distribution's OAC and bucket policy statement) is
    named by the proxy as the emulator names it, so a fault rule can pick
    any of them by operation."""
    emu, proxy = proxied
    s3, cf = client(emu, proxy, "s3"), client(emu, proxy, "cloudfront")
    proxy.set_rules({})
    proxy.reset()
    start = len(emu.request_log())
    b = "proxy-named"
    metrics = {"Bucket": b, "Id": "EntireBucket"}
    s3.create_bucket(Bucket=b, ObjectOwnership="BucketOwnerEnforced")
    s3.head_bucket(Bucket=b)
    s3.put_public_access_block(Bucket=b, PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True})
    s3.get_public_access_block(Bucket=b)
    s3.get_bucket_ownership_controls(Bucket=b)
    s3.put_bucket_cors(Bucket=b, CORSConfiguration={"CORSRules": [
        {"AllowedMethods": ["GET"], "AllowedOrigins": ["*"]}]})
    s3.get_bucket_cors(Bucket=b)
    s3.put_bucket_lifecycle_configuration(Bucket=b, LifecycleConfiguration={"Rules": [
        {"ID": "segments", "Status": "Enabled", "Filter": {"Prefix": "stream/"},
         "Expiration": {"Days": 1}}]})
    s3.get_bucket_lifecycle_configuration(Bucket=b)
    s3.put_bucket_metrics_configuration(MetricsConfiguration={"Id": "EntireBucket"}, **metrics)
    s3.get_bucket_metrics_configuration(**metrics)
    s3.list_bucket_metrics_configurations(Bucket=b)
    s3.put_bucket_tagging(Bucket=b, Tagging={"TagSet": [{"Key": "k", "Value": "v"}]})
    s3.get_bucket_tagging(Bucket=b)
    s3.get_bucket_logging(Bucket=b)
    s3.put_bucket_policy(Bucket=b, Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "LsmsCloudFrontE1", "Effect": "Allow",
        "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{b}/*"}]}))
    s3.get_bucket_policy(Bucket=b)
    s3.delete_bucket_policy(Bucket=b)
    s3.put_object(Bucket=b, Key="stream/index.m3u8", Body=b"#EXTM3U\n")
    versions = s3.list_object_versions(Bucket=b)["Versions"]
    s3.delete_objects(Bucket=b, Delete={"Quiet": True, "Objects": [
        {"Key": v["Key"], "VersionId": v["VersionId"]} for v in versions]})
    s3.delete_bucket_metrics_configuration(**metrics)
    s3.delete_bucket(Bucket=b)
    oac = cf.create_origin_access_control(OriginAccessControlConfig={
        "Name": "proxy-named", "SigningProtocol": "sigv4", "SigningBehavior": "always",
        "OriginAccessControlOriginType": "s3"})
    got = cf.get_origin_access_control(Id=oac["OriginAccessControl"]["Id"])
    cf.list_origin_access_controls()
    cf.update_origin_access_control(Id=oac["OriginAccessControl"]["Id"], IfMatch=got["ETag"],
                                    OriginAccessControlConfig={
                                        "Name": "proxy-named", "Description": "named",
                                        "SigningProtocol": "sigv4", "SigningBehavior": "always",
                                        "OriginAccessControlOriginType": "s3"})
    got = cf.get_origin_access_control(Id=oac["OriginAccessControl"]["Id"])
    cf.delete_origin_access_control(Id=oac["OriginAccessControl"]["Id"], IfMatch=got["ETag"])

    named = [(x["service"], x["operation"]) for x in proxy.calls()]
    assert named == [(r["service"], r["operation"]) for r in emu.request_log()[start:]]
    assert [op for _, op in named] == [
        "CreateBucket", "HeadBucket", "PutPublicAccessBlock", "GetPublicAccessBlock",
        "GetBucketOwnershipControls", "PutBucketCors", "GetBucketCors",
        "PutBucketLifecycleConfiguration", "GetBucketLifecycleConfiguration",
        "PutBucketMetricsConfiguration", "GetBucketMetricsConfiguration",
        "ListBucketMetricsConfigurations", "PutBucketTagging", "GetBucketTagging",
        "GetBucketLogging", "PutBucketPolicy", "GetBucketPolicy", "DeleteBucketPolicy",
        "PutObject", "ListObjectVersions", "DeleteObjects", "DeleteBucketMetricsConfiguration",
        "DeleteBucket", "CreateOriginAccessControl", "GetOriginAccessControl",
        "ListOriginAccessControls", "UpdateOriginAccessControl", "GetOriginAccessControl",
        "DeleteOriginAccessControl"]


def test_reset_and_client_gone(proxied):
    emu, proxy = proxied
    c = client(emu, proxy, "mediastore")
    proxy.set_rules({"faults": [{"operation": "ListContainers", "occurrence": 1,
                                 "fault": "reset"}]})
    proxy.reset()
    with pytest.raises((botocore.exceptions.ConnectionClosedError,
                        botocore.exceptions.EndpointConnectionError)):
        c.list_containers()
    c.list_containers()  # occurrence 2: forwarded
    proxy.set_rules({"faults": [{"operation": "ListContainers", "fault": "slow",
                                 "delay_ms": 20000}]})
    fast = emu.client("mediastore", endpoint_url=proxy.url,
                      config=botocore.config.Config(retries={"total_max_attempts": 1},
                                                    read_timeout=1))
    with pytest.raises(botocore.exceptions.ReadTimeoutError):
        fast.list_containers()
    proxy.set_rules({})
    assert wait_for(lambda: any(x["status"] == "client-gone" for x in proxy.calls()), 5)
    assert [x["status"] for x in proxy.calls()][:2] == ["reset", 200]


def test_drop_forwards_then_loses_the_answer(proxied):
    """`drop`: the request reaches the emulator, which acts on it, and the
    client's connection is reset instead of answered."""
    emu, proxy = proxied
    c = client(emu, proxy, "mediastore")
    proxy.set_rules({"faults": [{"operation": "CreateContainer", "occurrence": 1,
                                 "fault": "drop"}]})
    proxy.reset()
    with pytest.raises(botocore.exceptions.ConnectionClosedError):
        c.create_container(ContainerName="dropped-answer")
    proxy.set_rules({})
    assert [(x["operation"], x["fault"], x["status"]) for x in proxy.calls()] == \
        [("CreateContainer", "drop", "drop(200)")]
    direct = emu.client("mediastore")
    assert direct.describe_container(ContainerName="dropped-answer")["Container"]["Name"] == \
        "dropped-answer"
    direct.delete_container(ContainerName="dropped-answer")


def test_data_plane_goes_through_the_proxy(proxied):
    emu, proxy = proxied
    proxy.set_rules({})
    proxy.reset()
    ms = client(emu, proxy, "mediastore")
    ms.create_container(ContainerName="via-proxy")
    endpoint = ms.describe_container(ContainerName="via-proxy")["Container"]["Endpoint"]
    assert endpoint.startswith(proxy.url + "/"), endpoint
    data = emu.client("mediastore-data", endpoint_url=endpoint, config=NO_RETRY)
    data.put_object(Body=b"x", Path="stream/a.ts")
    data.list_items(Path="stream")
    data.delete_object(Path="stream/a.ts")
    ms.delete_container(ContainerName="via-proxy")
    ops = [(x["service"], x["operation"]) for x in proxy.calls()]
    assert ops == [("mediastore", "CreateContainer"), ("mediastore", "DescribeContainer"),
                   ("mediastore-data", "PutObject"), ("mediastore-data", "ListItems"),
                   ("mediastore-data", "DeleteObject"), ("mediastore", "DeleteContainer")], ops


def test_provider_data_plane_calls_go_through_the_proxy(proxied, client, tfrc, tmp_path):
    """force_destroy empties the container through its Endpoint: those
    MediaStore data calls are seen (and could be faulted) by the proxy. With
    each client; the container is named after it, as both share the proxy."""
    emu, proxy = proxied
    ws = harness.Workspace(client, str(tmp_path / "ws"), tfrc,
                           harness.emulator_env(proxy.url))
    ws.write("main.tf", harness.PROVIDER_BLOCK + f"""
provider "lsms" {{
  region = "us-east-1"
}}
resource "lsms_container" "c" {{
  name          = "dataplane-{client[0]}"
  force_destroy = true
}}
""")
    ws.init()
    ws.apply()
    endpoint = ws.resource_values("lsms_container.c")["endpoint"]
    assert endpoint.startswith(proxy.url + "/"), endpoint
    emu.client("mediastore-data", endpoint_url=endpoint.replace(proxy.url, emu.url)) \
        .put_object(Body=b"segment", Path="stream/index_1.ts")
    proxy.reset()
    ws.destroy()
    ops = [(x["service"], x["operation"]) for x in proxy.calls()]
    assert ("mediastore-data", "ListItems") in ops, ops
    assert ("mediastore-data", "DeleteObject") in ops, ops
    assert not emu.client("mediastore").list_containers()["Containers"]


def test_rules_file_and_log_file(tmp_path):
    """The --rules file is re-read when it changes; --log gets one JSON line per call."""
    rules, log = tmp_path / "rules.json", tmp_path / "calls.jsonl"
    rules.write_text(json.dumps({"faults": [{"call": 1, "fault": "error"}]}))
    emu = Emulator()
    proxy = Proxy(emu.url, str(log), 120, rules_path=str(rules))
    try:
        c = client(emu, proxy, "ssm")
        with pytest.raises(botocore.exceptions.ClientError):
            c.describe_parameters()
        rules.write_text(json.dumps({"faults": [{"call": 3, "fault": "throttle"}]}))
        os.utime(rules, ns=(time.time_ns(), time.time_ns() + 10**9))  # a visible change
        c.describe_parameters()
        with pytest.raises(botocore.exceptions.ClientError) as e:
            c.describe_parameters()
        assert e.value.response["Error"]["Code"] == "ThrottlingException"
    finally:
        proxy.stop()
        emu.stop()
    lines = [json.loads(x) for x in log.read_text().splitlines()]
    assert [(x["index"], x["operation"], x["fault"]) for x in lines] == [
        (1, "DescribeParameters", "error"), (2, "DescribeParameters", None),
        (3, "DescribeParameters", "throttle")]
