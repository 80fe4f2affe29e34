"""S3 ListBuckets as AWS pages and filters it (listings.py, README
"Listings and invalidations"): what lsms_bucket's list resource walks."""

import botocore.exceptions
import pytest

from fixture import code_of, emulator  # noqa: F401  (emulator: pytest fixture)


@pytest.fixture(scope="module")
def buckets(emulator):
    s3 = emulator.client("s3")
    names = [f"listing-{i}" for i in range(5)]
    for n in names:
        s3.create_bucket(Bucket=n)
    s3.create_bucket(Bucket="listing-eu", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    s3.create_bucket(Bucket="other-listing")
    return s3, names


def test_pages_follow_continuation_tokens_in_name_order(buckets):
    s3, names = buckets
    seen, token = [], None
    while True:
        kw = {"MaxBuckets": 2, "Prefix": "listing-", "BucketRegion": "us-east-1"}
        if token:
            kw["ContinuationToken"] = token
        page = s3.list_buckets(**kw)
        assert len(page["Buckets"]) <= 2
        assert page["Prefix"] == "listing-"
        seen += [(b["Name"], b["BucketRegion"], b["BucketArn"]) for b in page["Buckets"]]
        token = page.get("ContinuationToken")
        if not token:
            break
    assert seen == [(n, "us-east-1", f"arn:aws:s3:::{n}") for n in names]


def test_region_and_prefix_filter(buckets):
    s3, _ = buckets
    eu = s3.list_buckets(BucketRegion="eu-west-1")["Buckets"]
    assert [(b["Name"], b["BucketRegion"]) for b in eu] == [("listing-eu", "eu-west-1")]
    everything = [b["Name"] for b in s3.list_buckets()["Buckets"]]
    assert "other-listing" in everything and "listing-eu" in everything
    assert everything == sorted(everything)
    assert "ContinuationToken" not in s3.list_buckets(MaxBuckets=100)


def test_no_bucket_is_an_empty_list(buckets):
    s3, _ = buckets
    assert s3.list_buckets(Prefix="nothing-starts-so")["Buckets"] == []


def test_bad_arguments_are_refused(buckets):
    s3, _ = buckets
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.list_buckets(MaxBuckets=10001)
    assert code_of(e) == ("InvalidArgument", 400)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.list_buckets(MaxBuckets=1, ContinuationToken="%%%not-a-token")
    assert code_of(e) == ("InvalidArgument", 400)
