"""S3 requests are named in the request log like every other service's.

S3's restXml routes many operations to the same method and path and tells
them apart by query keys (`?policy`, `?cors`, `?metrics`, `?list-type=2`),
required query members (`uploadId`, `id`) and required headers
(`x-amz-copy-source`). The router is checked on its own against the
botocore model, then through the emulator with boto3: the log must name
what boto3 called (benchmarks and least-privilege tests count these names).
"""

import json

import pytest
from werkzeug.datastructures import Headers, MultiDict

from fixture import emulator  # noqa: F401  (pytest fixture)
from lsms_emulator import model

# (method, path, query, headers, operation)
ROUTES = [
    ("GET", "/", "", {}, "ListBuckets"),
    ("PUT", "/b-1", "", {}, "CreateBucket"),
    ("HEAD", "/b-1", "", {}, "HeadBucket"),
    ("DELETE", "/b-1", "", {}, "DeleteBucket"),
    ("GET", "/b-1", "location", {}, "GetBucketLocation"),
    ("PUT", "/b-1", "policy", {}, "PutBucketPolicy"),
    ("GET", "/b-1", "policy", {}, "GetBucketPolicy"),
    ("DELETE", "/b-1", "policy", {}, "DeleteBucketPolicy"),
    ("PUT", "/b-1", "cors", {}, "PutBucketCors"),
    ("GET", "/b-1", "cors", {}, "GetBucketCors"),
    ("DELETE", "/b-1", "cors", {}, "DeleteBucketCors"),
    ("PUT", "/b-1", "lifecycle", {}, "PutBucketLifecycleConfiguration"),
    ("GET", "/b-1", "lifecycle", {}, "GetBucketLifecycleConfiguration"),
    ("DELETE", "/b-1", "lifecycle", {}, "DeleteBucketLifecycle"),
    ("PUT", "/b-1", "metrics&id=EntireBucket", {}, "PutBucketMetricsConfiguration"),
    ("GET", "/b-1", "metrics&id=EntireBucket", {}, "GetBucketMetricsConfiguration"),
    ("DELETE", "/b-1", "metrics&id=EntireBucket", {}, "DeleteBucketMetricsConfiguration"),
    ("GET", "/b-1", "metrics", {}, "ListBucketMetricsConfigurations"),
    ("PUT", "/b-1", "publicAccessBlock", {}, "PutPublicAccessBlock"),
    ("GET", "/b-1", "publicAccessBlock", {}, "GetPublicAccessBlock"),
    ("PUT", "/b-1", "ownershipControls", {}, "PutBucketOwnershipControls"),
    ("PUT", "/b-1", "logging", {}, "PutBucketLogging"),
    ("GET", "/b-1", "logging", {}, "GetBucketLogging"),
    ("PUT", "/b-1", "tagging", {}, "PutBucketTagging"),
    ("GET", "/b-1", "tagging", {}, "GetBucketTagging"),
    ("DELETE", "/b-1", "tagging", {}, "DeleteBucketTagging"),
    ("GET", "/b-1", "versioning", {}, "GetBucketVersioning"),
    ("GET", "/b-1", "list-type=2&prefix=stream%2F", {}, "ListObjectsV2"),
    ("GET", "/b-1", "prefix=stream%2F", {}, "ListObjects"),
    ("GET", "/b-1", "versions&key-marker=a%20b", {}, "ListObjectVersions"),
    ("POST", "/b-1", "delete", {}, "DeleteObjects"),
    ("PUT", "/b-1/stream%20one/a%2Bb/seg%2000.ts", "", {}, "PutObject"),
    ("PUT", "/b-1/k", "", {"X-Amz-Copy-Source": "/other/k"}, "CopyObject"),
    ("GET", "/b-1/k", "", {}, "GetObject"),
    ("HEAD", "/b-1/k", "", {}, "HeadObject"),
    ("DELETE", "/b-1/k", "", {}, "DeleteObject"),
    ("DELETE", "/b-1/k", "versionId=v1", {}, "DeleteObject"),
    ("DELETE", "/b-1/k", "uploadId=u1", {}, "AbortMultipartUpload"),
    ("PUT", "/b-1/k", "partNumber=1&uploadId=u1", {}, "UploadPart"),
    ("PUT", "/b-1/k", "partNumber=1&uploadId=u1", {"x-amz-copy-source": "/o/k"}, "UploadPartCopy"),
    ("PUT", "/b-1/k", "tagging", {}, "PutObjectTagging"),
]


def query_of(text):
    query = MultiDict()
    for part in filter(None, text.split("&")):
        key, _, value = part.partition("=")
        query.add(key, value)
    return query


@pytest.mark.parametrize("method,path,query,headers,operation", ROUTES,
                         ids=[f"{r[4]}:{r[0]}?{r[2]}" for r in ROUTES])
def test_router_names_s3_operations(method, path, query, headers, operation):
    found, labels = model.router("s3").match(method, path, query_of(query), Headers(headers))
    assert found == operation
    if path != "/":
        assert labels["Bucket"] == "b-1"


def test_router_decodes_s3_keys_once():
    _, labels = model.router("s3").match("PUT", "/b-1/stream%20one/a%2Bb/100%2525//x.ts",
                                         query_of(""), Headers())
    assert labels == {"Bucket": "b-1", "Key": "stream one/a+b/100%25//x.ts"}


def test_router_requirements_only_break_ties():
    """A request lacking a member its only route requires is still named
    (it then fails validation), as before required members were considered."""
    found, _ = model.router("s3").match("PUT", "/b-1/k", query_of("partNumber=1"), Headers())
    assert found == "PutObject"  # PutObject needs nothing more: it wins
    found, _ = model.router("medialive").match("DELETE", "/prod/tags/arn%3Ax", query_of(""), None)
    assert found == "DeleteTags"  # tagKeys is required but missing


def test_request_log_names_s3_calls(emulator):  # noqa: F811
    s3 = emulator.client("s3")
    start = len(emulator.request_log())
    bucket = "lsms-routing-log"
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Sid": "R", "Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"},
                       "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}]}))
    s3.get_bucket_policy(Bucket=bucket)
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={
        "CORSRules": [{"AllowedMethods": ["GET"], "AllowedOrigins": ["*"]}]})
    s3.put_object(Bucket=bucket, Key="stream one/a+b/seg 00.ts", Body=b"x",
                  ContentType="application/x-www-form-urlencoded")
    s3.copy_object(Bucket=bucket, Key="copy.ts",
                   CopySource={"Bucket": bucket, "Key": "stream one/a+b/seg 00.ts"})
    s3.list_objects_v2(Bucket=bucket, Prefix="stream one/")
    s3.head_object(Bucket=bucket, Key="copy.ts")
    s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "copy.ts"}]})
    s3.delete_object(Bucket=bucket, Key="stream one/a+b/seg 00.ts")
    s3.delete_bucket_policy(Bucket=bucket)
    s3.delete_bucket(Bucket=bucket)
    seen = [(r["service"], r["operation"]) for r in emulator.request_log()[start:]]
    assert seen == [("s3", op) for op in (
        "CreateBucket", "PutBucketPolicy", "GetBucketPolicy", "PutBucketCors", "PutObject",
        "CopyObject", "ListObjectsV2", "HeadObject", "DeleteObjects", "DeleteObject",
        "DeleteBucketPolicy", "DeleteBucket")], seen
