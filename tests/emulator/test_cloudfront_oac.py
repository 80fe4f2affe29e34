"""CloudFront Origin Access Controls in the emulator (lsms_emulator/cloudfront.py):
what moto drops (an origin's OAC and S3OriginConfig), the preconditions AWS
enforces on OACs (unique names, If-Match, in use), and, for the S3 bucket
policy that names a distribution, what AWS does not check (README
"Checked, nothing to add")."""

import json
import time

import botocore.config
import pytest
from botocore.exceptions import ClientError

from fixture import emulator  # noqa: F401  (pytest fixture)

NO_RETRY = botocore.config.Config(retries={"max_attempts": 1})


def error_of(excinfo):
    err = excinfo.value.response
    return err["Error"]["Code"], err["ResponseMetadata"]["HTTPStatusCode"]


def oac_config(name, behavior="always"):
    return {"Name": name, "Description": "test", "SigningProtocol": "sigv4",
            "SigningBehavior": behavior, "OriginAccessControlOriginType": "s3"}


def s3_origin(oac_id, domain="live-origin.s3.us-east-1.amazonaws.com", oai=""):
    origin = {"Id": "bucket", "DomainName": domain,
              "S3OriginConfig": {"OriginAccessIdentity": oai}}
    if oac_id:
        origin["OriginAccessControlId"] = oac_id
    return origin


def distribution_config(origin, ref=None):
    return {
        "CallerReference": ref or f"ref{time.monotonic_ns()}",
        "Comment": "oac",
        "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [origin]},
        "DefaultCacheBehavior": {"TargetOriginId": origin["Id"],
                                 "ViewerProtocolPolicy": "redirect-to-https", "MinTTL": 0,
                                 "ForwardedValues": {"QueryString": False,
                                                     "Cookies": {"Forward": "none"}}},
    }


def wait_deployed(cf, dist_id):
    while cf.get_distribution(Id=dist_id)["Distribution"]["Status"] != "Deployed":
        pass


def delete_distribution(cf, dist_id):
    got = cf.get_distribution_config(Id=dist_id)
    if got["DistributionConfig"]["Enabled"]:
        got["DistributionConfig"]["Enabled"] = False
        cf.update_distribution(Id=dist_id, IfMatch=got["ETag"],
                               DistributionConfig=got["DistributionConfig"])
    wait_deployed(cf, dist_id)
    cf.delete_distribution(Id=dist_id, IfMatch=cf.get_distribution(Id=dist_id)["ETag"])


def unique(prefix):
    return f"{prefix}-{time.monotonic_ns()}"


def test_origin_keeps_its_access_control(emulator):
    cf = emulator.client("cloudfront")
    oac = cf.create_origin_access_control(OriginAccessControlConfig=oac_config(unique("keep")))
    oac_id = oac["OriginAccessControl"]["Id"]
    created = cf.create_distribution_with_tags(DistributionConfigWithTags={
        "DistributionConfig": distribution_config(s3_origin(oac_id)), "Tags": {"Items": []}})
    dist_id = created["Distribution"]["Id"]
    want = {"OriginAccessControlId": oac_id, "S3OriginConfig": {"OriginAccessIdentity": ""}}
    answers = [
        created["Distribution"]["DistributionConfig"],
        cf.get_distribution(Id=dist_id)["Distribution"]["DistributionConfig"],
        cf.get_distribution_config(Id=dist_id)["DistributionConfig"],
    ]
    for config in answers:
        origin = config["Origins"]["Items"][0]
        assert {k: origin.get(k) for k in want} == want, origin
        assert "CustomOriginConfig" not in origin
    listed = cf.list_distributions()["DistributionList"]["Items"]
    origin = next(d for d in listed if d["Id"] == dist_id)["Origins"]["Items"][0]
    assert origin["OriginAccessControlId"] == oac_id

    # Moved to a custom origin by UpdateDistribution: both are gone.
    got = cf.get_distribution_config(Id=dist_id)
    config = got["DistributionConfig"]
    config["Origins"]["Items"][0] = {
        "Id": "bucket", "DomainName": "abc.data.mediastore.us-east-1.amazonaws.com",
        "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443,
                               "OriginProtocolPolicy": "https-only"}}
    updated = cf.update_distribution(Id=dist_id, IfMatch=got["ETag"], DistributionConfig=config)
    origin = updated["Distribution"]["DistributionConfig"]["Origins"]["Items"][0]
    assert "OriginAccessControlId" not in origin and "S3OriginConfig" not in origin
    delete_distribution(cf, dist_id)
    cf.delete_origin_access_control(Id=oac_id, IfMatch=cf.get_origin_access_control(Id=oac_id)["ETag"])


def test_origins_must_name_a_usable_access_control(emulator):
    cf = emulator.client("cloudfront", config=NO_RETRY)
    before = len(cf.list_distributions()["DistributionList"].get("Items", []))
    with pytest.raises(ClientError) as e:
        cf.create_distribution(DistributionConfig=distribution_config(s3_origin("ENOSUCHOAC")))
    assert error_of(e) == ("InvalidOriginAccessControl", 400)
    oac_id = cf.create_origin_access_control(
        OriginAccessControlConfig=oac_config(unique("both")))["OriginAccessControl"]["Id"]
    with pytest.raises(ClientError) as e:
        cf.create_distribution(DistributionConfig=distribution_config(
            s3_origin(oac_id, oai="origin-access-identity/cloudfront/E1OAI")))
    assert error_of(e) == ("IllegalOriginAccessConfiguration", 400)
    # The model's required members are checked (moto would store this).
    bad = distribution_config(s3_origin(oac_id))
    del bad["DefaultCacheBehavior"]["ViewerProtocolPolicy"]
    with pytest.raises(ClientError) as e:
        emulator.client("cloudfront", config=botocore.config.Config(
            parameter_validation=False, retries={"max_attempts": 1})).create_distribution(
                DistributionConfig=bad)
    assert error_of(e) == ("InvalidArgument", 400)
    assert len(cf.list_distributions()["DistributionList"].get("Items", [])) == before

    # An update may not point an origin at a missing OAC either.
    created = cf.create_distribution(DistributionConfig=distribution_config(s3_origin(oac_id)))
    dist_id = created["Distribution"]["Id"]
    config = created["Distribution"]["DistributionConfig"]
    config["Origins"]["Items"][0]["OriginAccessControlId"] = "ENOSUCHOAC"
    with pytest.raises(ClientError) as e:
        cf.update_distribution(Id=dist_id, IfMatch=created["ETag"], DistributionConfig=config)
    assert error_of(e) == ("InvalidOriginAccessControl", 400)
    assert cf.get_distribution(Id=dist_id)["ETag"] == created["ETag"]
    delete_distribution(cf, dist_id)
    cf.delete_origin_access_control(Id=oac_id, IfMatch=cf.get_origin_access_control(Id=oac_id)["ETag"])


def test_access_control_names_are_unique_and_short(emulator):
    cf = emulator.client("cloudfront", config=NO_RETRY)
    name = unique("dup")
    first = cf.create_origin_access_control(OriginAccessControlConfig=oac_config(name))
    with pytest.raises(ClientError) as e:
        cf.create_origin_access_control(OriginAccessControlConfig=oac_config(name))
    assert error_of(e) == ("OriginAccessControlAlreadyExists", 409)
    with pytest.raises(ClientError) as e:
        cf.create_origin_access_control(OriginAccessControlConfig=oac_config("n" * 65))
    assert error_of(e) == ("InvalidArgument", 400)
    cf.create_origin_access_control(OriginAccessControlConfig=oac_config("n" * 64))
    with pytest.raises(ClientError) as e:
        cf.create_origin_access_control(OriginAccessControlConfig={
            **oac_config(unique("enum")), "SigningBehavior": "sometimes"})
    assert error_of(e)[1] == 400
    # Renaming another OAC to a taken name is refused too.
    other = cf.create_origin_access_control(OriginAccessControlConfig=oac_config(unique("other")))
    with pytest.raises(ClientError) as e:
        cf.update_origin_access_control(Id=other["OriginAccessControl"]["Id"],
                                        IfMatch=other["ETag"],
                                        OriginAccessControlConfig=oac_config(name))
    assert error_of(e) == ("OriginAccessControlAlreadyExists", 409)
    names = [o["Name"] for o in cf.list_origin_access_controls()["OriginAccessControlList"]["Items"]]
    assert names.count(name) == 1
    assert first["OriginAccessControl"]["Id"] in [
        o["Id"] for o in cf.list_origin_access_controls()["OriginAccessControlList"]["Items"]]


def test_update_needs_the_current_etag_and_rotates_it(emulator):
    cf = emulator.client("cloudfront", config=NO_RETRY)
    name = unique("etag")
    created = cf.create_origin_access_control(OriginAccessControlConfig=oac_config(name))
    oac_id, etag1 = created["OriginAccessControl"]["Id"], created["ETag"]
    with pytest.raises(ClientError) as e:
        cf.update_origin_access_control(Id=oac_id, OriginAccessControlConfig=oac_config(name, "never"))
    assert error_of(e) == ("InvalidIfMatchVersion", 400)
    with pytest.raises(ClientError) as e:
        cf.update_origin_access_control(Id=oac_id, IfMatch="ESTALE",
                                        OriginAccessControlConfig=oac_config(name, "never"))
    assert error_of(e) == ("PreconditionFailed", 412)
    assert cf.get_origin_access_control(Id=oac_id)["OriginAccessControl"][
        "OriginAccessControlConfig"]["SigningBehavior"] == "always"
    updated = cf.update_origin_access_control(Id=oac_id, IfMatch=etag1,
                                              OriginAccessControlConfig=oac_config(name, "never"))
    etag2 = updated["ETag"]
    assert etag2 != etag1
    got = cf.get_origin_access_control(Id=oac_id)
    assert got["ETag"] == etag2
    assert got["OriginAccessControl"]["OriginAccessControlConfig"]["SigningBehavior"] == "never"
    with pytest.raises(ClientError) as e:
        cf.update_origin_access_control(Id=oac_id, IfMatch=etag1,
                                        OriginAccessControlConfig=oac_config(name))
    assert error_of(e) == ("PreconditionFailed", 412)
    with pytest.raises(ClientError) as e:
        cf.update_origin_access_control(Id="ENOSUCHOAC", IfMatch=etag2,
                                        OriginAccessControlConfig=oac_config(name))
    assert error_of(e) == ("NoSuchOriginAccessControl", 404)
    with pytest.raises(ClientError) as e:
        cf.delete_origin_access_control(Id=oac_id, IfMatch=etag1)
    assert error_of(e) == ("PreconditionFailed", 412)
    cf.delete_origin_access_control(Id=oac_id, IfMatch=etag2)


def test_delete_refuses_an_access_control_in_use(emulator):
    cf = emulator.client("cloudfront", config=NO_RETRY)
    oac = cf.create_origin_access_control(OriginAccessControlConfig=oac_config(unique("inuse")))
    oac_id, etag = oac["OriginAccessControl"]["Id"], oac["ETag"]
    created = cf.create_distribution(DistributionConfig=distribution_config(s3_origin(oac_id)))
    dist_id = created["Distribution"]["Id"]
    with pytest.raises(ClientError) as e:
        cf.delete_origin_access_control(Id=oac_id)
    assert error_of(e) == ("InvalidIfMatchVersion", 400)
    with pytest.raises(ClientError) as e:
        cf.delete_origin_access_control(Id=oac_id, IfMatch=etag)
    assert error_of(e) == ("OriginAccessControlInUse", 409)
    assert dist_id in e.value.response["Error"]["Message"]
    # Still in use while the distribution exists, even disabled...
    delete_distribution(cf, dist_id)
    # ...and free once it is gone.
    cf.delete_origin_access_control(Id=oac_id, IfMatch=etag)
    with pytest.raises(ClientError) as e:
        cf.delete_origin_access_control(Id=oac_id, IfMatch=etag)
    assert error_of(e) == ("NoSuchOriginAccessControl", 404)
    with pytest.raises(ClientError) as e:
        cf.get_origin_access_control(Id=oac_id)
    assert error_of(e) == ("NoSuchOriginAccessControl", 404)


def test_bucket_policy_may_name_any_distribution(emulator):
    # AWS checks a bucket policy's principals, actions and resources, not the
    # values of its conditions: a statement for a distribution that does not
    # exist (yet, or any more) is accepted, as the OAC setup in the
    # CloudFront guide relies on (the policy is written with the
    # distribution's ARN, and it stays when the distribution goes). The
    # emulator adds nothing here; this pins moto's behaviour.
    s3 = emulator.client("s3")
    bucket = f"oac-policy-{time.monotonic_ns()}"
    s3.create_bucket(Bucket=bucket)
    policy = {"Version": "2012-10-17", "Statement": [{
        "Sid": "AllowCloudFront", "Effect": "Allow",
        "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/*",
        "Condition": {"StringEquals": {
            "AWS:SourceArn": "arn:aws:cloudfront::123456789012:distribution/ENOSUCHDIST"}}}]}
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
    assert json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"]) == policy
    s3.delete_bucket_policy(Bucket=bucket)
    s3.delete_bucket(Bucket=bucket)
