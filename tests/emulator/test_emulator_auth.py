"""moto's auth mode through the layer: signatures and IAM policies are checked
for the operations the layer serves itself exactly as moto checks its own.

The emulator starts with INITIAL_NO_AUTH_ACTION_COUNT=3: the first three
actions (create a user, give it a policy, create its access key) run without
authentication, every later request must be signed with a real key.
"""

import json

import botocore.config
import pytest
from botocore.exceptions import ClientError

from fixture import Emulator

NO_RETRY = botocore.config.Config(retries={"max_attempts": 1})


@pytest.fixture(scope="module")
def emulator():
    emu = Emulator(env={"INITIAL_NO_AUTH_ACTION_COUNT": "3"})
    try:
        yield emu
    finally:
        emu.stop()


@pytest.fixture(scope="module")
def keys(emulator):
    """(access key, secret) of an IAM user allowed everything."""
    iam = emulator.client("iam")
    iam.create_user(UserName="admin")
    iam.put_user_policy(UserName="admin", PolicyName="all", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
    key = iam.create_access_key(UserName="admin")["AccessKey"]
    return key["AccessKeyId"], key["SecretAccessKey"]


def clients(emulator, access_key, secret):
    session = emulator.session(access_key, secret)
    return {name: emulator.client(name, session=session, config=NO_RETRY) for name in ("mediastore", "medialive", "iam")}


def status_of(call):
    with pytest.raises(ClientError) as e:
        call()
    return e.value.response["ResponseMetadata"]["HTTPStatusCode"], e.value.response["Error"]["Code"]


def test_signed_requests_pass_and_wrong_secrets_fail(emulator, keys):
    good = clients(emulator, *keys)
    good["mediastore"].create_container(ContainerName="authd")
    endpoint = good["mediastore"].describe_container(ContainerName="authd")["Container"]["Endpoint"]
    good["mediastore"].put_cors_policy(ContainerName="authd", CorsPolicy=[{"AllowedOrigins": ["*"], "AllowedHeaders": ["*"]}])
    data = emulator.client("mediastore-data", session=emulator.session(*keys), endpoint_url=endpoint, config=NO_RETRY)
    data.put_object(Path="stream/index.m3u8", Body=b"#EXTM3U\n")
    assert [i["Name"] for i in data.list_items(Path="stream")["Items"]] == ["index.m3u8"]
    group = good["medialive"].create_input_security_group(WhitelistRules=[{"Cidr": "10.0.0.0/8"}])["SecurityGroup"]

    bad = clients(emulator, keys[0], "wrong-secret")
    bad_data = emulator.client("mediastore-data", session=emulator.session(keys[0], "wrong-secret"),
                               endpoint_url=endpoint, config=NO_RETRY)
    refused = [
        lambda: bad["mediastore"].describe_container(ContainerName="authd"),  # moto's own check
        lambda: bad["mediastore"].get_cors_policy(ContainerName="authd"),  # served by the layer
        lambda: bad["mediastore"].delete_container(ContainerName="authd"),  # precondition refusal
        lambda: bad_data.list_items(),
        lambda: bad_data.put_object(Path="stream/evil.ts", Body=b"x"),
        lambda: bad["medialive"].describe_input_security_group(InputSecurityGroupId=group["Id"]),
        lambda: bad["medialive"].describe_channel(ChannelId="0"),  # 404 only for the authenticated
    ]
    for call in refused:
        status, code = status_of(call)
        assert (status, code) == (403, "SignatureDoesNotMatch"), call
    assert [i["Name"] for i in data.list_items(Path="stream")["Items"]] == ["index.m3u8"]


def test_unknown_access_key_and_missing_permissions_are_refused(emulator, keys):
    unknown = clients(emulator, "AKIAXXXXXXXXXXXXXXXX", "whatever")
    assert status_of(lambda: unknown["medialive"].list_input_security_groups())[0] == 403

    admin = clients(emulator, *keys)
    admin["iam"].create_user(UserName="nobody")
    key = admin["iam"].create_access_key(UserName="nobody")["AccessKey"]
    nobody = clients(emulator, key["AccessKeyId"], key["SecretAccessKey"])
    status, code = status_of(lambda: nobody["mediastore"].list_tags_for_resource(
        Resource="arn:aws:mediastore:us-east-1:123456789012:container/authd"))
    assert (status, code) == (403, "AccessDenied")
    assert status_of(lambda: nobody["medialive"].create_input_security_group())[0] == 403


def test_body_less_gets_verify_like_aws(emulator, keys):
    """moto hashes a GET's headers (or query) as if they were its body, so
    correctly signed GETs failed; lsms_emulator/moto_auth.py recomputes over
    the bytes sent. Wrong secrets must still be refused on the same GETs."""
    session = emulator.session(*keys)
    ml = emulator.client("medialive", session=session, config=NO_RETRY)
    cf = emulator.client("cloudfront", session=session, config=NO_RETRY)
    ml.list_channels()  # GET, no query: moto's own operation
    ml.list_inputs(MaxResults=5)  # GET with a query string
    cf.list_distributions()
    assert status_of(lambda: cf.get_distribution(Id="ENOPE"))[1] == "NoSuchDistribution"

    bad = emulator.session(keys[0], "wrong-secret")
    for call in (emulator.client("medialive", session=bad, config=NO_RETRY).list_channels,
                 emulator.client("cloudfront", session=bad, config=NO_RETRY).list_distributions):
        assert status_of(call)[0] == 403, call


def test_create_repeated_by_request_id_is_still_authenticated(emulator, keys):
    """A repeated CreateChannel answered from its requestId, or refused for
    other parameters, is answered only to an authenticated caller."""
    good = clients(emulator, *keys)["medialive"]
    bad = clients(emulator, keys[0], "wrong-secret")["medialive"]
    rid = "5f0f3f7e-6d0e-4a8e-9b1e-3c2d1a0b9f8e"
    first = good.create_channel(RequestId=rid, Name="authd-idem")["Channel"]
    assert status_of(lambda: bad.create_channel(RequestId=rid, Name="authd-idem")) == \
        (403, "SignatureDoesNotMatch")
    assert status_of(lambda: bad.create_channel(RequestId=rid, Name="other")) == \
        (403, "SignatureDoesNotMatch")
    assert good.create_channel(RequestId=rid, Name="authd-idem")["Channel"]["Id"] == first["Id"]
    assert status_of(lambda: good.create_channel(RequestId=rid, Name="other")) == \
        (409, "ConflictException")


def test_data_plane_is_authorized_on_the_object_arn(emulator, keys):
    """MediaStore data-plane calls are evaluated against the object's ARN
    (container/<name>/<path>; ListItems: the folder, or the container), so a
    policy limited to one container allows it and refuses every other."""
    admin = clients(emulator, *keys)
    endpoints = {}
    for name in ("own-ctr", "other-ctr"):
        admin["mediastore"].create_container(ContainerName=name)
        endpoints[name] = admin["mediastore"].describe_container(ContainerName=name)["Container"]
    arn = endpoints["own-ctr"]["ARN"]
    assert arn == "arn:aws:mediastore:us-east-1:123456789012:container/own-ctr"
    policy = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow",
        "Action": ["mediastore:PutObject", "mediastore:GetObject", "mediastore:ListItems"],
        "Resource": [arn, arn + "/*"]}]}
    admin["iam"].create_user(UserName="one-container")
    admin["iam"].put_user_policy(UserName="one-container", PolicyName="p",
                                 PolicyDocument=json.dumps(policy))
    key = admin["iam"].create_access_key(UserName="one-container")["AccessKey"]
    session = emulator.session(key["AccessKeyId"], key["SecretAccessKey"])

    def data(name):
        return emulator.client("mediastore-data", session=session,
                               endpoint_url=endpoints[name]["Endpoint"], config=NO_RETRY)

    data("own-ctr").put_object(Path="stream/index.m3u8", Body=b"#EXTM3U\n")
    assert data("own-ctr").get_object(Path="stream/index.m3u8")["Body"].read() == b"#EXTM3U\n"
    assert [i["Name"] for i in data("own-ctr").list_items()["Items"]] == ["stream"]
    assert [i["Name"] for i in data("own-ctr").list_items(Path="stream")["Items"]] == ["index.m3u8"]
    refused = [
        lambda: data("other-ctr").put_object(Path="stream/index.m3u8", Body=b"x"),
        lambda: data("other-ctr").list_items(),
        lambda: data("own-ctr").delete_object(Path="stream/index.m3u8"),  # action not granted
    ]
    for call in refused:
        assert status_of(call) == (403, "AccessDenied"), call
    other = emulator.client("mediastore-data", session=emulator.session(*keys),
                            endpoint_url=endpoints["other-ctr"]["Endpoint"], config=NO_RETRY)
    assert other.list_items()["Items"] == []


def user_session(emulator, admin_iam, name, policy=None):
    admin_iam.create_user(UserName=name)
    if policy:
        admin_iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=json.dumps(policy))
    key = admin_iam.create_access_key(UserName=name)["AccessKey"]
    return emulator.session(key["AccessKeyId"], key["SecretAccessKey"])


ASSUME_ANY = {"Version": "2012-10-17",
              "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}


def test_trust_policies_name_who_may_assume(emulator, keys):
    """moto failed (HTTP 500) on a trust statement naming only a service,
    treated a statement for someone else as a deny, and matched a principal
    string as a substring: a user may assume a role only when a statement
    names it (lsms_emulator/moto_auth.py)."""
    iam = clients(emulator, *keys)["iam"]
    service = {"Effect": "Allow", "Principal": {"Service": "medialive.amazonaws.com"},
               "Action": "sts:AssumeRole"}
    arn = "arn:aws:iam::123456789012:user/"
    users = {n: user_session(emulator, iam, n, ASSUME_ANY) for n in ("trust-a", "trust-ab")}

    def role(name, *statements):
        return iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": list(statements)}))["Role"]["Arn"]

    only_service = role("trust-service", service)
    service_and_a = role("trust-service-and-a", service, {
        "Effect": "Allow", "Principal": {"AWS": arn + "trust-a"}, "Action": "sts:AssumeRole"})

    def assume(user, role_arn):
        sts = emulator.client("sts", session=users[user], config=NO_RETRY)
        return sts.assume_role(RoleArn=role_arn, RoleSessionName="trust")["Credentials"]

    for user in users:
        assert status_of(lambda: assume(user, only_service)) == (403, "AccessDenied")
    assert assume("trust-a", service_and_a)["AccessKeyId"].startswith("ASIA")
    assert status_of(lambda: assume("trust-ab", service_and_a)) == (403, "AccessDenied")


def test_s3_prefix_condition_limits_listing(emulator, keys):
    """moto ignored s3:prefix conditions (every listing allowed); the layer
    supplies the request's prefix and evaluates StringLike / StringNotLike,
    a missing key failing the positive operator (lsms_emulator/moto_auth.py)."""
    admin = emulator.session(*keys)
    emulator.client("s3", session=admin).create_bucket(Bucket="authd-prefix")
    iam = clients(emulator, *keys)["iam"]
    bucket = "arn:aws:s3:::authd-prefix"
    like = user_session(emulator, iam, "prefix-like", {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "s3:ListBucket", "Resource": bucket,
        "Condition": {"StringLike": {"s3:prefix": ["stream/*"]}}}]})
    not_like = user_session(emulator, iam, "prefix-not-like", {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "s3:ListBucket", "Resource": bucket,
        "Condition": {"StringNotLike": {"s3:prefix": ["private/*"]}}}]})
    s3 = lambda s: emulator.client("s3", session=s, config=NO_RETRY)  # noqa: E731

    s3(like).list_objects_v2(Bucket="authd-prefix", Prefix="stream/")
    s3(like).list_objects_v2(Bucket="authd-prefix", Prefix="stream/pipeline1/")
    for prefix in (None, "other/", "stream"):
        kwargs = {"Prefix": prefix} if prefix is not None else {}
        assert status_of(lambda: s3(like).list_objects_v2(Bucket="authd-prefix", **kwargs)) == \
            (403, "AccessDenied"), prefix
    with pytest.raises(ClientError) as e:
        s3(like).list_objects_v2(Bucket="authd-prefix")
    assert e.value.response["Error"]["Message"] == (
        "User: arn:aws:iam::123456789012:user/prefix-like is not authorized to perform: "
        's3:ListBucket on resource: "arn:aws:s3:::authd-prefix" because no identity-based '
        "policy allows the s3:ListBucket action")
    # A statement whose condition does not hold does not apply: another one
    # may still allow the request (moto made it an explicit deny).
    both = user_session(emulator, iam, "prefix-or-anything", {"Version": "2012-10-17",
                                                              "Statement": [
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": bucket,
         "Condition": {"StringLike": {"s3:prefix": ["stream/*"]}}},
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": bucket}]})
    s3(both).list_objects_v2(Bucket="authd-prefix", Prefix="other/")
    s3(not_like).list_objects_v2(Bucket="authd-prefix")  # no key: the negated operator holds
    s3(not_like).list_objects_v2(Bucket="authd-prefix", Prefix="stream/")
    assert status_of(lambda: s3(not_like).list_objects_v2(Bucket="authd-prefix",
                                                          Prefix="private/x")) == (403, "AccessDenied")


def allow(*actions, deny=(), resource="*"):
    statements = [{"Effect": "Allow", "Action": list(actions), "Resource": resource}]
    if deny:
        statements.append({"Effect": "Deny", "Action": list(deny), "Resource": "*"})
    return {"Version": "2012-10-17", "Statement": statements}


# (what, call on an S3 client, the IAM actions AWS evaluates). moto named the
# first six s3:HeadBucket, s3:CreateBucket, s3:ListBucket, s3:DeleteBucket,
# s3:CreateBucket and s3:ListBucket, checked only s3:CreateBucket for a
# create with an ownership header and only s3:DeleteObjectVersion for a
# delete of a version. In the order they run (each changes what the next
# finds).
S3_ACTION_CASES = [
    ("HeadBucket", lambda s3: s3.head_bucket(Bucket="authd-names"), ["s3:ListBucket"]),
    ("PutPublicAccessBlock", lambda s3: s3.put_public_access_block(
        Bucket="authd-names", PublicAccessBlockConfiguration={"BlockPublicAcls": True}),
     ["s3:PutBucketPublicAccessBlock"]),
    ("GetPublicAccessBlock", lambda s3: s3.get_public_access_block(Bucket="authd-names"),
     ["s3:GetBucketPublicAccessBlock"]),
    ("DeletePublicAccessBlock", lambda s3: s3.delete_public_access_block(Bucket="authd-names"),
     ["s3:PutBucketPublicAccessBlock"]),
    ("PutBucketOwnershipControls", lambda s3: s3.put_bucket_ownership_controls(
        Bucket="authd-names",
        OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}),
     ["s3:PutBucketOwnershipControls"]),
    ("GetBucketOwnershipControls", lambda s3: s3.get_bucket_ownership_controls(
        Bucket="authd-names"), ["s3:GetBucketOwnershipControls"]),
    ("DeleteBucketOwnershipControls", lambda s3: s3.delete_bucket_ownership_controls(
        Bucket="authd-names"), ["s3:PutBucketOwnershipControls"]),
    ("PutBucketEncryption", lambda s3: s3.put_bucket_encryption(
        Bucket="authd-names", ServerSideEncryptionConfiguration={"Rules": [
            {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}),
     ["s3:PutEncryptionConfiguration"]),
    ("GetBucketEncryption", lambda s3: s3.get_bucket_encryption(Bucket="authd-names"),
     ["s3:GetEncryptionConfiguration"]),
    ("CreateBucket with an ownership", lambda s3: s3.create_bucket(
        Bucket="authd-owned", ObjectOwnership="BucketOwnerEnforced"),
     ["s3:CreateBucket", "s3:PutBucketOwnershipControls"]),
    ("CreateBucket", lambda s3: s3.create_bucket(Bucket="authd-plain"), ["s3:CreateBucket"]),
    ("ListObjectVersions", lambda s3: s3.list_object_versions(Bucket="authd-names"),
     ["s3:ListBucketVersions"]),
    ("DeleteObject of a version", lambda s3: s3.delete_object(
        Bucket="authd-names", Key="stream/a.ts",
        VersionId=s3.list_object_versions(Bucket="authd-names")["Versions"][0]["VersionId"]),
     ["s3:DeleteObject", "s3:DeleteObjectVersion"]),
    ("PutBucketMetricsConfiguration", lambda s3: s3.put_bucket_metrics_configuration(
        Bucket="authd-names", Id="EntireBucket", MetricsConfiguration={"Id": "EntireBucket"}),
     ["s3:PutMetricsConfiguration"]),
]


def test_s3_operations_are_authorized_as_aws_names_them(emulator, keys):
    """Each S3 operation needs exactly the IAM actions AWS evaluates for it
    (IAM service authorization reference; the operation's Permissions in the
    S3 API reference), not the names moto derives from the method and query
    (lsms_emulator/s3.py aws_actions): allowed only those, the call passes;
    allowed everything but one of them, it is refused."""
    admin = emulator.client("s3", session=emulator.session(*keys), config=NO_RETRY)
    admin.create_bucket(Bucket="authd-names")
    admin.put_bucket_versioning(Bucket="authd-names",
                                VersioningConfiguration={"Status": "Enabled"})
    admin.put_object(Bucket="authd-names", Key="stream/a.ts", Body=b"1")
    iam = clients(emulator, *keys)["iam"]
    s3 = emulator.client("s3", session=user_session(emulator, iam, "s3-names"), config=NO_RETRY)

    def policy(doc):
        iam.put_user_policy(UserName="s3-names", PolicyName="p", PolicyDocument=json.dumps(doc))

    for what, call, actions in S3_ACTION_CASES:
        # The helper calls some cases make (ListObjectVersions) stay allowed.
        helpers = ["s3:ListBucketVersions"]
        for refused in actions:
            policy(allow("s3:*", deny=[refused]))
            with pytest.raises(ClientError) as e:
                call(s3)
            got = (e.value.response["ResponseMetadata"]["HTTPStatusCode"],
                   e.value.response["Error"]["Code"])
            if what == "HeadBucket":
                # A HEAD answer has no body, so no code: botocore names the status.
                assert got == (403, "403"), (what, refused)
                continue
            assert got == (403, "AccessDenied"), (what, refused)
            # AWS's message for a same-account refusal names who, what and where.
            message = e.value.response["Error"]["Message"]
            assert message.startswith(
                "User: arn:aws:iam::123456789012:user/s3-names is not authorized to perform: "
                f"{refused} on resource: \"arn:aws:s3:::authd-") and \
                message.endswith("with an explicit deny in an identity-based policy"), message
        policy(allow(*actions, *helpers))
        call(s3)
    assert "authd-owned" in [b["Name"] for b in admin.list_buckets()["Buckets"]]
    assert len(admin.list_object_versions(Bucket="authd-names").get("Versions", [])) == 0


def test_delete_objects_authorizes_each_object(emulator, keys):
    """DeleteObjects: each object needs s3:DeleteObject on its own ARN, and
    s3:DeleteObjectVersion as well when the request names its version (API
    DeleteObjects, Permissions). A refused object is an AccessDenied <Error>
    of a 200 answer; the others are deleted. moto checked s3:DeleteObject
    once, on the bucket ARN, and never s3:DeleteObjectVersion."""
    admin = emulator.client("s3", session=emulator.session(*keys), config=NO_RETRY)
    admin.create_bucket(Bucket="authd-delete")
    admin.put_bucket_versioning(Bucket="authd-delete",
                                VersioningConfiguration={"Status": "Enabled"})
    for key in ("stream/a.ts", "stream/a.ts", "other/b.ts"):
        admin.put_object(Bucket="authd-delete", Key=key, Body=b"x")
    versions = {(v["Key"], v["VersionId"]) for v in
                admin.list_object_versions(Bucket="authd-delete")["Versions"]}
    iam = clients(emulator, *keys)["iam"]
    stream = "arn:aws:s3:::authd-delete/stream/*"
    s3 = emulator.client("s3", session=user_session(
        emulator, iam, "s3-deleter", allow("s3:DeleteObject", resource=stream)), config=NO_RETRY)
    a_version = sorted(v for k, v in versions if k == "stream/a.ts")[0]
    answer = s3.delete_objects(Bucket="authd-delete", Delete={"Objects": [
        {"Key": "stream/a.ts", "VersionId": a_version}, {"Key": "stream/a.ts"},
        {"Key": "other/b.ts"}]})
    assert sorted((e["Key"], e.get("VersionId"), e["Code"]) for e in answer["Errors"]) == [
        ("other/b.ts", None, "AccessDenied"), ("stream/a.ts", a_version, "AccessDenied")]
    assert [(d["Key"], d.get("DeleteMarker")) for d in answer["Deleted"]] == \
        [("stream/a.ts", True)]
    listed = admin.list_object_versions(Bucket="authd-delete")
    assert {(v["Key"], v["VersionId"]) for v in listed["Versions"]} == versions
    marker = listed["DeleteMarkers"][0]["VersionId"]

    # Every object refused: nothing reaches moto, the answer lists them all.
    answer = s3.delete_objects(Bucket="authd-delete", Delete={"Quiet": True, "Objects": [
        {"Key": "other/b.ts", "VersionId": v} for k, v in versions if k == "other/b.ts"]})
    assert [e["Code"] for e in answer["Errors"]] == ["AccessDenied"] and "Deleted" not in answer

    # With s3:DeleteObjectVersion on stream/*, its versions and marker go (quiet: no list).
    iam.put_user_policy(UserName="s3-deleter", PolicyName="p", PolicyDocument=json.dumps(
        allow("s3:DeleteObject", "s3:DeleteObjectVersion", resource=stream)))
    answer = s3.delete_objects(Bucket="authd-delete", Delete={"Quiet": True, "Objects": [
        {"Key": k, "VersionId": v} for k, v in sorted(versions) + [("stream/a.ts", marker)]]})
    assert [(e["Key"], e["Code"]) for e in answer["Errors"]] == [("other/b.ts", "AccessDenied")]
    assert "Deleted" not in answer
    left = admin.list_object_versions(Bucket="authd-delete")
    assert [v["Key"] for v in left["Versions"]] == ["other/b.ts"]
    assert "DeleteMarkers" not in left

    # A wrong secret is still refused as a whole.
    bad = emulator.client("s3", session=emulator.session(keys[0], "wrong-secret"),
                          config=NO_RETRY)
    assert status_of(lambda: bad.delete_objects(Bucket="authd-delete", Delete={
        "Objects": [{"Key": "other/b.ts"}]}))[1] == "SignatureDoesNotMatch"
