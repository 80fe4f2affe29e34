"""The S3 bucket operations lsms_bucket uses, as the emulator answers them:
moto's own answers checked against AWS's documented behaviour, and the
layer's corrections (new-bucket defaults, lifecycle days, listing versions
on from a deleted marker).
"""

import re

import botocore.exceptions
import pytest

from fixture import code_of, emulator  # noqa: F401  (emulator: pytest fixture)

ALL_ON = {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
          "RestrictPublicBuckets": True}


@pytest.fixture
def s3(emulator):
    return emulator.client("s3")


@pytest.fixture
def bucket(s3, request):
    name = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower())[:45].strip("-")
    name = "b-" + name
    s3.create_bucket(Bucket=name)
    return name


def test_new_bucket_defaults_are_aws_ones(s3, emulator):
    s3.create_bucket(Bucket="defaults-1")
    assert s3.get_public_access_block(Bucket="defaults-1")[
        "PublicAccessBlockConfiguration"] == ALL_ON
    assert s3.get_bucket_ownership_controls(Bucket="defaults-1")["OwnershipControls"] == {
        "Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    # The ownership the request asks for wins.
    s3.create_bucket(Bucket="defaults-2", ObjectOwnership="ObjectWriter")
    assert s3.get_bucket_ownership_controls(Bucket="defaults-2")["OwnershipControls"][
        "Rules"] == [{"ObjectOwnership": "ObjectWriter"}]
    # Outside us-east-1 too.
    eu = emulator.client("s3", session=emulator.session(region="eu-west-1"))
    eu.create_bucket(Bucket="defaults-eu",
                     CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    assert eu.get_public_access_block(Bucket="defaults-eu")[
        "PublicAccessBlockConfiguration"] == ALL_ON
    # Re-creating a bucket one owns in us-east-1 answers 200 (AWS's legacy
    # rule) and resets nothing.
    s3.delete_public_access_block(Bucket="defaults-1")
    s3.create_bucket(Bucket="defaults-1")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_public_access_block(Bucket="defaults-1")
    assert code_of(e) == ("NoSuchPublicAccessBlockConfiguration", 404)


def test_settings_round_trip_and_absent_answers(s3, bucket):
    """What lsms_bucket reads, and how S3 says "none"."""
    s3.delete_public_access_block(Bucket=bucket)
    s3.delete_bucket_ownership_controls(Bucket=bucket)
    absent = [
        (lambda: s3.get_public_access_block(Bucket=bucket),
         ("NoSuchPublicAccessBlockConfiguration", 404)),
        (lambda: s3.get_bucket_ownership_controls(Bucket=bucket),
         ("OwnershipControlsNotFoundError", 404)),
        (lambda: s3.get_bucket_cors(Bucket=bucket), ("NoSuchCORSConfiguration", 404)),
        (lambda: s3.get_bucket_lifecycle_configuration(Bucket=bucket),
         ("NoSuchLifecycleConfiguration", 404)),
        (lambda: s3.get_bucket_tagging(Bucket=bucket), ("NoSuchTagSet", 404)),
    ]
    for call, expected in absent:
        with pytest.raises(botocore.exceptions.ClientError) as e:
            call()
        assert code_of(e) == expected
    assert "LoggingEnabled" not in s3.get_bucket_logging(Bucket=bucket)

    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=ALL_ON)
    s3.put_bucket_ownership_controls(Bucket=bucket, OwnershipControls={
        "Rules": [{"ObjectOwnership": "BucketOwnerPreferred"}]})
    cors = [{"AllowedOrigins": ["*"], "AllowedMethods": ["GET", "HEAD"],
             "AllowedHeaders": ["*"], "ExposeHeaders": ["ETag"], "MaxAgeSeconds": 3000}]
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": cors})
    rules = [{"ID": "lsms-0", "Filter": {"Prefix": "stream/"}, "Status": "Enabled",
              "Expiration": {"Days": 1}}]
    s3.put_bucket_lifecycle_configuration(Bucket=bucket,
                                          LifecycleConfiguration={"Rules": rules})
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": [{"Key": "k", "Value": "v"}]})
    assert s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"] == ALL_ON
    assert s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"] == [
        {"ObjectOwnership": "BucketOwnerPreferred"}]
    assert s3.get_bucket_cors(Bucket=bucket)["CORSRules"] == cors
    assert s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"] == rules
    assert s3.get_bucket_tagging(Bucket=bucket)["TagSet"] == [{"Key": "k", "Value": "v"}]
    s3.delete_bucket_cors(Bucket=bucket)
    s3.delete_bucket_lifecycle(Bucket=bucket)
    s3.delete_bucket_tagging(Bucket=bucket)
    for call, expected in absent[2:]:
        with pytest.raises(botocore.exceptions.ClientError) as e:
            call()
        assert code_of(e) == expected


def test_logging_target_must_exist_and_allow_the_logging_service(s3, bucket):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.put_bucket_logging(Bucket=bucket, BucketLoggingStatus={"LoggingEnabled": {
            "TargetBucket": "no-such-log-bucket", "TargetPrefix": "logs/"}})
    assert code_of(e) == ("InvalidTargetBucketForLogging", 400)
    s3.create_bucket(Bucket="b-log-target")
    s3.put_bucket_policy(Bucket="b-log-target", Policy=(
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":'
        '{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject",'
        '"Resource":"arn:aws:s3:::b-log-target/*"}]}'))
    s3.put_bucket_logging(Bucket=bucket, BucketLoggingStatus={"LoggingEnabled": {
        "TargetBucket": "b-log-target", "TargetPrefix": "logs/"}})
    assert s3.get_bucket_logging(Bucket=bucket)["LoggingEnabled"] == {
        "TargetBucket": "b-log-target", "TargetPrefix": "logs/"}
    s3.put_bucket_logging(Bucket=bucket, BucketLoggingStatus={})
    assert "LoggingEnabled" not in s3.get_bucket_logging(Bucket=bucket)


def test_lifecycle_days_must_be_positive(s3, bucket):
    for days in (0, -1):
        with pytest.raises(botocore.exceptions.ClientError) as e:
            s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={
                "Rules": [{"ID": "r", "Filter": {"Prefix": ""}, "Status": "Enabled",
                           "Expiration": {"Days": days}}]})
        assert code_of(e) == ("InvalidArgument", 400)
    with pytest.raises(botocore.exceptions.ClientError):
        s3.get_bucket_lifecycle_configuration(Bucket=bucket)


def test_delete_bucket_not_empty(s3, bucket):
    s3.put_object(Bucket=bucket, Key="stream/a.ts", Body=b"x")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.delete_bucket(Bucket=bucket)
    assert code_of(e) == ("BucketNotEmpty", 409)
    s3.head_bucket(Bucket=bucket)


def _versions(s3, bucket):
    page = s3.list_object_versions(Bucket=bucket)
    return [(v["Key"], v["VersionId"]) for v in page.get("Versions", []) +
            page.get("DeleteMarkers", [])]


@pytest.mark.parametrize("versioned", [True, False])
def test_list_a_page_delete_it_list_the_next(s3, bucket, versioned):
    """The way AWS's examples empty a bucket (S3 user guide, "Deleting a
    bucket": list versions, delete them, listNextBatchOfVersions): the next
    page starts where the deleted page ended."""
    if versioned:
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    for i in range(7):
        for _ in range(3 if versioned else 1):
            s3.put_object(Bucket=bucket, Key=f"stream/seg-{i}.ts", Body=b"x")
        if versioned:
            s3.delete_object(Bucket=bucket, Key=f"stream/seg-{i}.ts")
    expected = len(_versions(s3, bucket))
    assert expected == (28 if versioned else 7)
    deleted, pages, markers = 0, 0, {}
    while True:
        page = s3.list_object_versions(Bucket=bucket, MaxKeys=5, **markers)
        items = [{"Key": v["Key"], "VersionId": v["VersionId"]}
                 for v in page.get("Versions", []) + page.get("DeleteMarkers", [])]
        pages += 1
        if items:
            out = s3.delete_objects(Bucket=bucket, Delete={"Objects": items, "Quiet": True})
            assert not out.get("Errors")
        deleted += len(items)
        if not page["IsTruncated"]:
            break
        markers = {"KeyMarker": page["NextKeyMarker"]}
        if page.get("NextVersionIdMarker"):
            markers["VersionIdMarker"] = page["NextVersionIdMarker"]
        assert pages < 20
    assert deleted == expected
    assert pages >= 2
    assert _versions(s3, bucket) == []
    s3.delete_bucket(Bucket=bucket)


def test_listing_without_deletions_is_unchanged(s3, bucket):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    for i in range(4):
        for _ in range(2):
            s3.put_object(Bucket=bucket, Key=f"k{i}", Body=b"x")
    everything = _versions(s3, bucket)
    seen, markers = [], {}
    while True:
        page = s3.list_object_versions(Bucket=bucket, MaxKeys=3, **markers)
        seen += [(v["Key"], v["VersionId"]) for v in page.get("Versions", [])]
        if not page["IsTruncated"]:
            break
        markers = {"KeyMarker": page["NextKeyMarker"],
                   "VersionIdMarker": page["NextVersionIdMarker"]}
    assert seen == everything


def test_delete_objects_quiet_lists_only_errors(s3, bucket):
    for key in ("a", "b"):
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    out = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "a"}], "Quiet": True})
    assert "Deleted" not in out and "Errors" not in out
    out = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "b"}]})
    assert out["Deleted"] == [{"Key": "b"}]
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket)
