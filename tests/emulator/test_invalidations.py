"""CloudFront invalidations as CloudFront runs them (invalidations.py, README
"Listings and invalidations"): InProgress, then Completed after reads; the
batch rules; CallerReference reuse. What lsms_distribution_invalidate waits
for."""

import botocore.exceptions
import pytest

from fixture import code_of, emulator  # noqa: F401  (emulator: pytest fixture)


@pytest.fixture
def cf(emulator):
    return emulator.client("cloudfront")


@pytest.fixture
def distribution(cf, emulator, request):
    ref = "inv-" + request.node.name[:60]
    emulator.client("s3").create_bucket(Bucket="inv-origin")
    return cf.create_distribution(DistributionConfig={
        "CallerReference": ref, "Comment": "", "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [{
            "Id": "o", "DomainName": "inv-origin.s3.us-east-1.amazonaws.com",
            "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
        "DefaultCacheBehavior": {"TargetOriginId": "o", "ViewerProtocolPolicy": "allow-all",
                                 "ForwardedValues": {"QueryString": False,
                                                     "Cookies": {"Forward": "none"}},
                                 "MinTTL": 0}})["Distribution"]["Id"]


def batch(paths, ref):
    return {"Paths": {"Quantity": len(paths), "Items": paths}, "CallerReference": ref}


def test_in_progress_then_completed(cf, distribution):
    inv = cf.create_invalidation(DistributionId=distribution,
                                 InvalidationBatch=batch(["/stream/*", "/player/index.html"], "a"))
    assert inv["Invalidation"]["Status"] == "InProgress"
    statuses = [cf.get_invalidation(DistributionId=distribution, Id=inv["Invalidation"]["Id"])
                ["Invalidation"]["Status"] for _ in range(4)]
    assert statuses == ["InProgress", "InProgress", "Completed", "Completed"]
    listed = cf.list_invalidations(DistributionId=distribution)["InvalidationList"]["Items"]
    assert [(i["Id"], i["Status"]) for i in listed] == [(inv["Invalidation"]["Id"], "Completed")]


def test_same_reference_same_paths_answers_the_earlier(cf, distribution):
    first = cf.create_invalidation(DistributionId=distribution, InvalidationBatch=batch(["/a"], "r"))
    again = cf.create_invalidation(DistributionId=distribution, InvalidationBatch=batch(["/a"], "r"))
    assert again["Invalidation"]["Id"] == first["Invalidation"]["Id"]
    with pytest.raises(botocore.exceptions.ClientError) as e:
        cf.create_invalidation(DistributionId=distribution, InvalidationBatch=batch(["/b"], "r"))
    assert code_of(e) == ("InvalidationBatchAlreadyExists", 409)


@pytest.mark.parametrize("path", ["no-slash", "/a*b", "/" + "x" * 4000])
def test_invalid_paths_are_refused(cf, distribution, path):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        cf.create_invalidation(DistributionId=distribution, InvalidationBatch=batch([path], path[:20]))
    assert code_of(e) == ("InvalidArgument", 400)


def test_quantity_must_match(cf, distribution):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        cf.create_invalidation(DistributionId=distribution, InvalidationBatch={
            "Paths": {"Quantity": 2, "Items": ["/a"]}, "CallerReference": "q"})
    assert code_of(e) == ("InconsistentQuantities", 400)


def test_wildcards_in_progress_are_limited(cf, distribution):
    cf.create_invalidation(DistributionId=distribution,
                           InvalidationBatch=batch([f"/w{i}/*" for i in range(10)], "w1"))
    with pytest.raises(botocore.exceptions.ClientError) as e:
        cf.create_invalidation(DistributionId=distribution,
                               InvalidationBatch=batch([f"/v{i}/*" for i in range(6)], "w2"))
    assert code_of(e) == ("TooManyInvalidationsInProgress", 400)


def test_unknown_distribution(cf):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        cf.create_invalidation(DistributionId="ENOSUCH", InvalidationBatch=batch(["/a"], "n"))
    assert code_of(e)[0] == "NoSuchDistribution"
