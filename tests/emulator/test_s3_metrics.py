"""S3 request-metrics configurations (`?metrics`), which moto lacks: served
by the layer, validated against the botocore model, stored with the bucket.

Before the layer served them, moto took them for bucket requests: in
us-east-1 a PUT `?metrics` was a CreateBucket answered 200 and a DELETE
`?metrics&id=` deleted the bucket itself. test_delete_keeps_the_bucket
guards against that coming back.
"""

import json

import botocore.exceptions
import pytest
import requests

from fixture import code_of, emulator  # noqa: F401  (emulator: pytest fixture)

WHOLE_BUCKET = {"Id": "EntireBucket"}


@pytest.fixture
def s3(emulator):
    return emulator.client("s3")


@pytest.fixture
def bucket(s3, request):
    name = "metrics-" + request.node.name.replace("_", "-")[:40].rstrip("-").lower()
    s3.create_bucket(Bucket=name)
    return name


def test_put_get_delete_round_trip(s3, bucket):
    s3.put_bucket_metrics_configuration(Bucket=bucket, Id="EntireBucket",
                                        MetricsConfiguration=WHOLE_BUCKET)
    got = s3.get_bucket_metrics_configuration(Bucket=bucket, Id="EntireBucket")
    assert got["MetricsConfiguration"] == {"Id": "EntireBucket"}

    # A filtered configuration keeps its filter.
    filtered = {"Id": "stream.hls-1", "Filter": {"And": {
        "Prefix": "stream/", "Tags": [{"Key": "k", "Value": "v"}, {"Key": "j", "Value": "w"}]}}}
    s3.put_bucket_metrics_configuration(Bucket=bucket, Id="stream.hls-1",
                                        MetricsConfiguration=filtered)
    got = s3.get_bucket_metrics_configuration(Bucket=bucket, Id="stream.hls-1")
    assert got["MetricsConfiguration"] == filtered

    # Put again replaces.
    s3.put_bucket_metrics_configuration(Bucket=bucket, Id="stream.hls-1", MetricsConfiguration={
        "Id": "stream.hls-1", "Filter": {"Prefix": "other/"}})
    got = s3.get_bucket_metrics_configuration(Bucket=bucket, Id="stream.hls-1")
    assert got["MetricsConfiguration"]["Filter"] == {"Prefix": "other/"}

    listed = s3.list_bucket_metrics_configurations(Bucket=bucket)
    assert [c["Id"] for c in listed["MetricsConfigurationList"]] == ["EntireBucket",
                                                                       "stream.hls-1"]
    assert listed["IsTruncated"] is False

    s3.delete_bucket_metrics_configuration(Bucket=bucket, Id="EntireBucket")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_bucket_metrics_configuration(Bucket=bucket, Id="EntireBucket")
    assert code_of(e) == ("NoSuchConfiguration", 404)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.delete_bucket_metrics_configuration(Bucket=bucket, Id="EntireBucket")
    assert code_of(e) == ("NoSuchConfiguration", 404)


def test_delete_keeps_the_bucket(s3, bucket):
    s3.put_bucket_metrics_configuration(Bucket=bucket, Id="EntireBucket",
                                        MetricsConfiguration=WHOLE_BUCKET)
    s3.delete_bucket_metrics_configuration(Bucket=bucket, Id="EntireBucket")
    s3.head_bucket(Bucket=bucket)
    assert bucket in [b["Name"] for b in s3.list_buckets()["Buckets"]]


def test_list_empty_and_paginated(s3, bucket):
    empty = s3.list_bucket_metrics_configurations(Bucket=bucket)
    assert "MetricsConfigurationList" not in empty and empty["IsTruncated"] is False
    ids = [f"id-{i:03d}" for i in range(105)]
    for i in ids:
        s3.put_bucket_metrics_configuration(Bucket=bucket, Id=i, MetricsConfiguration={"Id": i})
    first = s3.list_bucket_metrics_configurations(Bucket=bucket)
    assert first["IsTruncated"] is True and len(first["MetricsConfigurationList"]) == 100
    second = s3.list_bucket_metrics_configurations(
        Bucket=bucket, ContinuationToken=first["NextContinuationToken"])
    assert second["IsTruncated"] is False
    assert second["ContinuationToken"] == first["NextContinuationToken"]
    assert [c["Id"] for c in first["MetricsConfigurationList"] +
            second["MetricsConfigurationList"]] == ids


def test_missing_bucket_and_bad_input(s3, bucket, emulator):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_bucket_metrics_configuration(Bucket="no-such-bucket-here", Id="EntireBucket")
    assert code_of(e) == ("NoSuchBucket", 404)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.put_bucket_metrics_configuration(Bucket="no-such-bucket-here", Id="EntireBucket",
                                            MetricsConfiguration=WHOLE_BUCKET)
    assert code_of(e) == ("NoSuchBucket", 404)
    # The id rule of API_PutBucketMetricsConfiguration.
    for bad in ("a/b", "a b", "x" * 65):
        with pytest.raises(botocore.exceptions.ClientError) as e:
            s3.put_bucket_metrics_configuration(Bucket=bucket, Id=bad,
                                                MetricsConfiguration={"Id": bad})
        assert code_of(e) == ("InvalidArgument", 400)
    # The model: a configuration without its required Id, a body that is
    # not XML. Sent raw (boto3 refuses to build them).
    unsigned = emulator.url + f"/{bucket}?metrics&id=x"
    auth = {"Authorization": "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/"
                             "us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0"}
    for body in (b'<MetricsConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
                 b'<Filter><Prefix>a</Prefix></Filter></MetricsConfiguration>', b"not xml"):
        r = requests.put(unsigned, data=body, headers=auth)
        assert r.status_code == 400, r.text
        assert "<Code>MalformedXML</Code>" in r.text
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_bucket_metrics_configuration(Bucket=bucket, Id="x")
    assert code_of(e) == ("NoSuchConfiguration", 404)


def test_configurations_go_with_the_bucket(s3, bucket):
    s3.put_bucket_metrics_configuration(Bucket=bucket, Id="EntireBucket",
                                        MetricsConfiguration=WHOLE_BUCKET)
    s3.delete_bucket(Bucket=bucket)
    s3.create_bucket(Bucket=bucket)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_bucket_metrics_configuration(Bucket=bucket, Id="EntireBucket")
    assert code_of(e) == ("NoSuchConfiguration", 404)


def test_other_regions(emulator):
    s3 = emulator.client("s3", session=emulator.session(region="eu-west-1"))
    s3.create_bucket(Bucket="metrics-eu", CreateBucketConfiguration={
        "LocationConstraint": "eu-west-1"})
    s3.put_bucket_metrics_configuration(Bucket="metrics-eu", Id="EntireBucket",
                                        MetricsConfiguration=WHOLE_BUCKET)
    assert s3.get_bucket_metrics_configuration(Bucket="metrics-eu", Id="EntireBucket")[
        "MetricsConfiguration"] == WHOLE_BUCKET


def test_request_log_names_the_operations(s3, bucket, emulator):
    before = len(emulator.request_log())
    s3.put_bucket_metrics_configuration(Bucket=bucket, Id="EntireBucket",
                                        MetricsConfiguration=WHOLE_BUCKET)
    s3.get_bucket_metrics_configuration(Bucket=bucket, Id="EntireBucket")
    s3.list_bucket_metrics_configurations(Bucket=bucket)
    s3.delete_bucket_metrics_configuration(Bucket=bucket, Id="EntireBucket")
    assert [(r["operation"], r["status"]) for r in emulator.request_log()[before:]] == [
        ("PutBucketMetricsConfiguration", 200), ("GetBucketMetricsConfiguration", 200),
        ("ListBucketMetricsConfigurations", 200), ("DeleteBucketMetricsConfiguration", 204)]


def test_auth_mode_checks_aws_action_names():
    """In auth mode the served operations are signed and authorized like
    moto's own: as s3:PutMetricsConfiguration / s3:GetMetricsConfiguration
    on the bucket's ARN."""
    from fixture import Emulator

    emu = Emulator(env={"INITIAL_NO_AUTH_ACTION_COUNT": "3"})
    try:
        allow_all = {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "*", "Resource": "*"}]}
        admin = emu.session(*emu.create_user("admin", allow_all))
        s3_admin = emu.client("s3", session=admin)
        s3_admin.create_bucket(Bucket="auth-metrics")
        iam = emu.client("iam", session=admin)
        iam.create_user(UserName="reader")
        iam.put_user_policy(UserName="reader", PolicyName="p", PolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Action": "s3:GetMetricsConfiguration",
                "Resource": "arn:aws:s3:::auth-metrics"}]}))
        key = iam.create_access_key(UserName="reader")["AccessKey"]
        reader = emu.client("s3", session=emu.session(key["AccessKeyId"],
                                                       key["SecretAccessKey"]))
        s3_admin.put_bucket_metrics_configuration(Bucket="auth-metrics", Id="EntireBucket",
                                                  MetricsConfiguration=WHOLE_BUCKET)
        assert reader.get_bucket_metrics_configuration(
            Bucket="auth-metrics", Id="EntireBucket")["MetricsConfiguration"] == WHOLE_BUCKET
        assert len(reader.list_bucket_metrics_configurations(Bucket="auth-metrics")[
            "MetricsConfigurationList"]) == 1
        for call in (lambda: reader.put_bucket_metrics_configuration(
                         Bucket="auth-metrics", Id="x", MetricsConfiguration={"Id": "x"}),
                     lambda: reader.delete_bucket_metrics_configuration(
                         Bucket="auth-metrics", Id="EntireBucket")):
            with pytest.raises(botocore.exceptions.ClientError) as e:
                call()
            assert code_of(e) == ("AccessDenied", 403)
        wrong = emu.client("s3", session=emu.session(key["AccessKeyId"], "wrong-secret"))
        with pytest.raises(botocore.exceptions.ClientError) as e:
            wrong.get_bucket_metrics_configuration(Bucket="auth-metrics", Id="EntireBucket")
        assert code_of(e)[1] == 403
        assert s3_admin.get_bucket_metrics_configuration(
            Bucket="auth-metrics", Id="EntireBucket")["MetricsConfiguration"] == WHOLE_BUCKET
    finally:
        emu.stop()
