"""The emulator's additions, corrections and preconditions, checked with boto3.

One emulator serves the whole module (fixture `emulator`); every test uses its
own resource names so tests do not depend on each other's order.
Run: $(tests/tools/venv) -m pytest tests/emulator
"""

import json
import re
import time

import botocore.config
import pytest
from botocore.exceptions import ClientError

from channels import channel_kwargs
from fixture import emulator  # noqa: F401  (pytest fixture)

NO_CLIENT_VALIDATION = botocore.config.Config(parameter_validation=False, retries={"max_attempts": 1})


def error_of(excinfo):
    err = excinfo.value.response
    return err["Error"]["Code"], err["ResponseMetadata"]["HTTPStatusCode"]


def raw_body(client, event):
    """Registers a hook keeping the raw HTTP body of the next `event` answer."""
    seen = {}

    def keep(http_response, **_):
        seen["body"] = http_response.content
        seen["headers"] = dict(http_response.headers)

    client.meta.events.register(f"after-call.{event}", keep)
    return seen


# -- MediaStore control plane ---------------------------------------------------


@pytest.fixture
def container(emulator):
    """A fresh container; yields (name, description)."""
    ms = emulator.client("mediastore")
    name = f"ctr{time.monotonic_ns()}"
    ms.create_container(ContainerName=name)
    yield name, ms.describe_container(ContainerName=name)["Container"]


def test_describe_container_answers_like_aws(emulator, container):
    name, desc = container
    assert desc["Endpoint"] == f"{emulator.url}/_mediastore/{name}"
    assert desc["ARN"] == f"arn:aws:mediastore:us-east-1:123456789012:container/{name}"
    assert desc["Status"] == "ACTIVE"
    assert desc["AccessLoggingEnabled"] is False
    ms = emulator.client("mediastore")
    seen = raw_body(ms, "mediastore.DescribeContainer")
    ms.describe_container(ContainerName=name)
    raw = json.loads(seen["body"])["Container"]
    assert isinstance(raw["CreationTime"], (int, float))
    assert abs(raw["CreationTime"] - time.time()) < 600
    assert "Tags" not in raw


def test_duplicate_create_container_is_refused(emulator, container):
    name, _ = container
    with pytest.raises(ClientError) as e:
        emulator.client("mediastore").create_container(ContainerName=name)
    assert error_of(e) == ("ContainerInUseException", 400)


def test_unknown_container_is_container_not_found(emulator):
    ms = emulator.client("mediastore")
    for call in (
        lambda: ms.describe_container(ContainerName="nosuch"),
        lambda: ms.get_container_policy(ContainerName="nosuch"),
        lambda: ms.put_cors_policy(ContainerName="nosuch", CorsPolicy=[{"AllowedOrigins": ["*"], "AllowedHeaders": ["*"]}]),
    ):
        with pytest.raises(ClientError) as e:
            call()
        assert error_of(e)[0] == "ContainerNotFoundException"


def test_list_containers_paginates_and_corrects(emulator, container):
    ms = emulator.client("mediastore")
    ms.create_container(ContainerName=container[0] + "b")
    first = ms.list_containers(MaxResults=1)
    assert len(first["Containers"]) == 1 and first["NextToken"]
    names, token = [c["Name"] for c in first["Containers"]], first["NextToken"]
    while token:
        page = ms.list_containers(MaxResults=1, NextToken=token)
        names += [c["Name"] for c in page["Containers"]]
        token = page.get("NextToken")
    assert {container[0], container[0] + "b"} <= set(names)
    for c in ms.list_containers()["Containers"]:
        assert c["Endpoint"].startswith(emulator.url + "/_mediastore/")


def test_cors_policy_put_get_delete(emulator, container):
    ms = emulator.client("mediastore")
    name = container[0]
    rules = [{"AllowedOrigins": ["*"], "AllowedMethods": ["GET", "HEAD"], "AllowedHeaders": ["*"], "MaxAgeSeconds": 3000}]
    with pytest.raises(ClientError) as e:
        ms.get_cors_policy(ContainerName=name)
    assert error_of(e)[0] == "CorsPolicyNotFoundException"
    ms.put_cors_policy(ContainerName=name, CorsPolicy=rules)
    assert ms.get_cors_policy(ContainerName=name)["CorsPolicy"] == rules
    ms.delete_cors_policy(ContainerName=name)
    with pytest.raises(ClientError) as e:
        ms.delete_cors_policy(ContainerName=name)
    assert error_of(e)[0] == "CorsPolicyNotFoundException"


@pytest.mark.parametrize(
    "put,get,delete,value",
    [
        ("put_container_policy", "get_container_policy", "delete_container_policy",
         {"Policy": json.dumps({"Version": "2012-10-17", "Statement": []})}),
        ("put_lifecycle_policy", "get_lifecycle_policy", "delete_lifecycle_policy",
         {"LifecyclePolicy": json.dumps({"rules": []})}),
        ("put_metric_policy", "get_metric_policy", "delete_metric_policy",
         {"MetricPolicy": {"ContainerLevelMetrics": "ENABLED"}}),
    ],
)
def test_policy_deletes(emulator, container, put, get, delete, value):
    ms = emulator.client("mediastore")
    name = container[0]
    getattr(ms, put)(ContainerName=name, **value)
    getattr(ms, get)(ContainerName=name)
    getattr(ms, delete)(ContainerName=name)
    for op in (get, delete):
        with pytest.raises(ClientError) as e:
            getattr(ms, op)(ContainerName=name)
        assert error_of(e)[0] == "PolicyNotFoundException"


def test_access_logging_shows_in_describe(emulator, container):
    ms = emulator.client("mediastore")
    name = container[0]
    ms.start_access_logging(ContainerName=name)
    assert ms.describe_container(ContainerName=name)["Container"]["AccessLoggingEnabled"] is True
    ms.stop_access_logging(ContainerName=name)
    assert ms.describe_container(ContainerName=name)["Container"]["AccessLoggingEnabled"] is False


def test_tags_by_arn(emulator, container):
    ms = emulator.client("mediastore")
    arn = container[1]["ARN"]
    ms.tag_resource(Resource=arn, Tags=[{"Key": "stack", "Value": "a"}, {"Key": "env", "Value": "t"}])
    ms.tag_resource(Resource=arn, Tags=[{"Key": "stack", "Value": "b"}])
    tags = {t["Key"]: t["Value"] for t in ms.list_tags_for_resource(Resource=arn)["Tags"]}
    assert tags == {"stack": "b", "env": "t"}
    ms.untag_resource(Resource=arn, TagKeys=["env"])
    assert ms.list_tags_for_resource(Resource=arn)["Tags"] == [{"Key": "stack", "Value": "b"}]
    with pytest.raises(ClientError) as e:
        ms.list_tags_for_resource(Resource="arn:aws:mediastore:us-east-1:123456789012:container/nosuch")
    assert error_of(e)[0] == "ContainerNotFoundException"


def test_validation_rejects_malformed_requests(emulator, container):
    ms = emulator.client("mediastore", config=NO_CLIENT_VALIDATION)
    name = container[0]
    cases = [
        dict(ContainerName=name, CorsPolicy=[{"AllowedOrigins": ["*"], "AllowedHeaders": ["*"], "AllowedMethods": ["FOO"]}]),
        dict(CorsPolicy=[{"AllowedOrigins": ["*"], "AllowedHeaders": ["*"]}]),
        dict(ContainerName=name, CorsPolicy=[]),
        dict(ContainerName="bad name!", CorsPolicy=[{"AllowedOrigins": ["*"], "AllowedHeaders": ["*"]}]),
    ]
    for params in cases:
        with pytest.raises(ClientError) as e:
            ms.put_cors_policy(**params)
        assert error_of(e) == ("ValidationException", 400), params
    with pytest.raises(ClientError) as e:
        ms.put_cors_policy(ContainerName=name, CorsPolicy=[{"AllowedOrigins": ["*"], "AllowedHeaders": ["*"], "AllowedMethods": ["FOO"]}])
    assert "FOO" in e.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as e:
        ms.get_cors_policy(ContainerName=name)  # nothing was stored by the rejected calls
    assert error_of(e)[0] == "CorsPolicyNotFoundException"


# -- MediaStore data plane -------------------------------------------------------


def test_data_plane_put_list_describe_get_delete(emulator, container):
    name, desc = container
    ms = emulator.client("mediastore")
    data = emulator.client("mediastore-data", endpoint_url=desc["Endpoint"])
    playlist = b"#EXTM3U\n#EXT-X-VERSION:3\n"
    segment = bytes(range(256)) * 4
    put = data.put_object(Path="stream/index.m3u8", Body=playlist, ContentType="application/x-mpegURL")
    data.put_object(Path="stream/seg_1.ts", Body=segment, ContentType="video/MP2T", CacheControl="max-age=60")
    assert put["StorageClass"] == "TEMPORAL"

    root = data.list_items()["Items"]
    assert root == [{"Name": "stream", "Type": "FOLDER"}]
    items = {i["Name"]: i for i in data.list_items(Path="stream")["Items"]}
    assert set(items) == {"index.m3u8", "seg_1.ts"}
    assert items["seg_1.ts"]["Type"] == "OBJECT"
    assert items["seg_1.ts"]["ContentLength"] == len(segment)
    assert items["index.m3u8"]["ContentLength"] == len(playlist)
    assert items["index.m3u8"]["ETag"] == put["ETag"]
    assert items["index.m3u8"]["ContentType"] == "application/x-mpegURL"

    page = data.list_items(Path="stream", MaxResults=1)
    assert len(page["Items"]) == 1 and page["NextToken"]
    rest = data.list_items(Path="stream", MaxResults=1, NextToken=page["NextToken"])
    assert {page["Items"][0]["Name"], rest["Items"][0]["Name"]} == set(items)
    assert "NextToken" not in rest

    head = data.describe_object(Path="stream/seg_1.ts")
    assert head["ContentLength"] == len(segment)
    assert head["ContentType"] == "video/MP2T"
    assert head["CacheControl"] == "max-age=60"
    got = data.get_object(Path="stream/index.m3u8")
    assert got["Body"].read() == playlist
    assert got["ETag"] == put["ETag"]
    part = data.get_object(Path="stream/seg_1.ts", Range="bytes=10-19")
    assert part["Body"].read() == segment[10:20]
    assert part["ContentRange"] == f"bytes 10-19/{len(segment)}"

    with pytest.raises(ClientError) as e:
        ms.delete_container(ContainerName=name)
    assert error_of(e) == ("ContainerInUseException", 400)

    data.delete_object(Path="stream/index.m3u8")
    assert [i["Name"] for i in data.list_items(Path="stream")["Items"]] == ["seg_1.ts"]
    data.delete_object(Path="stream/seg_1.ts")
    assert data.list_items()["Items"] == []  # the empty folder vanished
    with pytest.raises(ClientError) as e:
        data.get_object(Path="stream/seg_1.ts")
    assert error_of(e) == ("ObjectNotFoundException", 404)
    with pytest.raises(ClientError) as e:
        data.delete_object(Path="stream/seg_1.ts")
    assert error_of(e) == ("ObjectNotFoundException", 404)

    ms.delete_container(ContainerName=name)
    with pytest.raises(ClientError) as e:
        ms.describe_container(ContainerName=name)
    assert error_of(e)[0] == "ContainerNotFoundException"


def test_data_plane_is_per_container(emulator, container):
    other = container[0] + "x"
    ms = emulator.client("mediastore")
    ms.create_container(ContainerName=other)
    a = emulator.client("mediastore-data", endpoint_url=container[1]["Endpoint"])
    b = emulator.client("mediastore-data", endpoint_url=ms.describe_container(ContainerName=other)["Container"]["Endpoint"])
    a.put_object(Path="only/in/a.ts", Body=b"a")
    assert b.list_items()["Items"] == []
    with pytest.raises(ClientError) as e:
        b.describe_object(Path="only/in/a.ts")
    assert error_of(e)[1] == 404


def test_data_plane_validates_paths(emulator, container):
    data = emulator.client("mediastore-data", endpoint_url=container[1]["Endpoint"], config=NO_CLIENT_VALIDATION)
    with pytest.raises(ClientError) as e:
        data.list_items(MaxResults=5000)
    assert error_of(e) == ("ValidationException", 400)
    with pytest.raises(ClientError) as e:
        data.put_object(Path="bad$name.ts", Body=b"x")
    assert error_of(e) == ("ValidationException", 400)


def test_data_plane_of_unknown_container(emulator):
    data = emulator.client("mediastore-data", endpoint_url=f"{emulator.url}/_mediastore/nosuch")
    with pytest.raises(ClientError) as e:
        data.list_items()
    assert error_of(e) == ("ContainerNotFoundException", 404)


# -- MediaLive --------------------------------------------------------------------


def settle(describe, **kwargs):
    """Describes until the state is no longer transient (moto resolves on
    describe; a started channel's pipelines take a moment)."""
    for _ in range(100):
        state = describe(**kwargs)["State"]
        if state not in ("CREATING", "STARTING", "STOPPING", "DELETING", "UPDATING"):
            return state
        time.sleep(0.1)
    raise AssertionError(f"still {state}")


def test_input_security_group_lifecycle(emulator):
    ml = emulator.client("medialive")
    group = ml.create_input_security_group(WhitelistRules=[{"Cidr": "10.0.0.0/16"}], Tags={"a": "1"})["SecurityGroup"]
    gid = group["Id"]
    assert gid.isdigit() and group["State"] == "IDLE"
    assert group["Arn"].endswith(f":inputSecurityGroup:{gid}")
    assert group["WhitelistRules"] == [{"Cidr": "10.0.0.0/16"}]
    assert group["Tags"] == {"a": "1"}
    assert gid in [g["Id"] for g in ml.list_input_security_groups()["InputSecurityGroups"]]

    updated = ml.update_input_security_group(InputSecurityGroupId=gid, WhitelistRules=[{"Cidr": "0.0.0.0/0"}])
    assert updated["SecurityGroup"]["State"] == "UPDATING"
    desc = ml.describe_input_security_group(InputSecurityGroupId=gid)
    assert desc["State"] == "IDLE" and desc["WhitelistRules"] == [{"Cidr": "0.0.0.0/0"}]

    inp = ml.create_input(Name="in", Type="RTMP_PUSH", InputSecurityGroups=[gid],
                          Destinations=[{"StreamName": "live/a"}, {"StreamName": "live/b"}])["Input"]
    assert inp["SecurityGroups"] == [gid]
    urls = [d["Url"] for d in inp["Destinations"]]
    # Real listeners of the media plane, on ports the system chose.
    assert [re.fullmatch(r"rtmp://127\.0\.0\.1:(\d+)/live/([ab])", u).group(2) for u in urls] == ["a", "b"]
    assert all(d["Ip"] == "127.0.0.1" and d["Url"] == f"rtmp://127.0.0.1:{d['Port']}/live/{n}"
               for d, n in zip(inp["Destinations"], "ab"))
    assert ml.describe_input(InputId=inp["Id"])["SecurityGroups"] == [gid]

    desc = ml.describe_input_security_group(InputSecurityGroupId=gid)
    assert desc["State"] == "IN_USE" and desc["Inputs"] == [inp["Id"]]
    with pytest.raises(ClientError) as e:
        ml.delete_input_security_group(InputSecurityGroupId=gid)
    assert error_of(e) == ("ConflictException", 409)

    ml.delete_input(InputId=inp["Id"])
    assert settle(ml.describe_input, InputId=inp["Id"]) == "DELETED"
    assert ml.describe_input_security_group(InputSecurityGroupId=gid)["State"] == "IDLE"
    ml.delete_input_security_group(InputSecurityGroupId=gid)
    assert gid not in [g["Id"] for g in ml.list_input_security_groups()["InputSecurityGroups"]]
    assert ml.describe_input_security_group(InputSecurityGroupId=gid)["State"] == "DELETED"
    with pytest.raises(ClientError) as e:
        ml.describe_input_security_group(InputSecurityGroupId=gid)
    assert error_of(e) == ("NotFoundException", 404)


def test_rtp_push_input_gets_two_destinations(emulator):
    ml = emulator.client("medialive")
    inp = ml.create_input(Name="rtp", Type="RTP_PUSH")["Input"]
    assert [bool(re.fullmatch(r"rtp://127\.0\.0\.1:\d+", d["Url"])) for d in inp["Destinations"]] == [True, True]


def test_channel_and_input_preconditions(emulator):
    ml = emulator.client("medialive")
    inp = ml.create_input(Name="pull", Type="URL_PULL", Sources=[{"Url": "https://example.com/a.m3u8"}])["Input"]
    # A channel the media plane can run (it is started below); the source
    # does not answer, so it runs without output.
    ch = ml.create_channel(**channel_kwargs(emulator, "ch", inp["Id"], ["s3ssl://b/stream/index"]))["Channel"]
    assert settle(ml.describe_channel, ChannelId=ch["Id"]) == "IDLE"
    desc = ml.describe_input(InputId=inp["Id"])
    assert desc["State"] == "ATTACHED" and desc["AttachedChannels"] == [ch["Id"]]
    with pytest.raises(ClientError) as e:
        ml.delete_input(InputId=inp["Id"])
    assert error_of(e) == ("ConflictException", 409)

    ml.start_channel(ChannelId=ch["Id"])
    with pytest.raises(ClientError) as e:
        ml.delete_channel(ChannelId=ch["Id"])  # STARTING
    assert error_of(e) == ("ConflictException", 409)
    assert settle(ml.describe_channel, ChannelId=ch["Id"]) == "RUNNING"
    with pytest.raises(ClientError) as e:
        ml.delete_channel(ChannelId=ch["Id"])
    assert error_of(e) == ("ConflictException", 409)
    assert e.value.response["Error"]["Message"] == "Cannot delete a channel that has not been stopped yet"

    ml.stop_channel(ChannelId=ch["Id"])
    assert settle(ml.describe_channel, ChannelId=ch["Id"]) == "IDLE"
    ml.delete_channel(ChannelId=ch["Id"])
    assert settle(ml.describe_channel, ChannelId=ch["Id"]) == "DELETED"
    desc = ml.describe_input(InputId=inp["Id"])
    assert desc["State"] == "DETACHED" and desc.get("AttachedChannels", []) == []
    ml.delete_input(InputId=inp["Id"])


def test_unknown_ids_are_not_found(emulator):
    ml = emulator.client("medialive")
    seen = raw_body(ml, "medialive.DescribeChannel")
    with pytest.raises(ClientError) as e:
        ml.describe_channel(ChannelId="9999999")
    assert error_of(e) == ("NotFoundException", 404)
    assert seen["headers"]["x-amzn-ErrorType"] == "NotFoundException"
    assert "message" in json.loads(seen["body"])
    for call in (
        lambda: ml.delete_channel(ChannelId="9999999"),
        lambda: ml.start_channel(ChannelId="9999999"),
        lambda: ml.describe_input(InputId="9999999"),
        lambda: ml.delete_input(InputId="9999999"),
        lambda: ml.describe_input_security_group(InputSecurityGroupId="9999999"),
    ):
        with pytest.raises(ClientError) as e:
            call()
        assert error_of(e) == ("NotFoundException", 404)


def test_medialive_tags(emulator):
    ml = emulator.client("medialive")
    group = ml.create_input_security_group(WhitelistRules=[{"Cidr": "10.1.0.0/16"}])["SecurityGroup"]
    ch = ml.create_channel(Name="tagged", Tags={"a": "1"})["Channel"]
    for arn in (group["Arn"], ch["Arn"]):
        ml.create_tags(ResourceArn=arn, Tags={"k": "v", "x": "y"})
        ml.delete_tags(ResourceArn=arn, TagKeys=["x"])
        assert ml.list_tags_for_resource(ResourceArn=arn)["Tags"].get("k") == "v"
        assert "x" not in ml.list_tags_for_resource(ResourceArn=arn)["Tags"]
    assert ml.describe_channel(ChannelId=ch["Id"])["Tags"] == {"a": "1", "k": "v"}
    with pytest.raises(ClientError) as e:
        ml.list_tags_for_resource(ResourceArn="arn:aws:medialive:us-east-1:123456789012:channel:0")
    assert error_of(e) == ("NotFoundException", 404)


def test_medialive_validation(emulator):
    ml = emulator.client("medialive", config=NO_CLIENT_VALIDATION)
    with pytest.raises(ClientError) as e:
        ml.create_input_security_group(WhitelistRules=[{"Cidr": "not-a-cidr"}])
    assert error_of(e) == ("BadRequestException", 400)
    group = ml.create_input_security_group()["SecurityGroup"]
    with pytest.raises(ClientError) as e:
        ml.delete_tags(ResourceArn=group["Arn"])  # TagKeys is required
    assert error_of(e) == ("BadRequestException", 400)
    with pytest.raises(ClientError) as e:
        ml.list_input_security_groups(MaxResults="many")
    assert error_of(e) == ("BadRequestException", 400)


# -- CloudFront ---------------------------------------------------------------------


def distribution_config(ref, enabled=True, comment="live"):
    return {
        "CallerReference": ref,
        "Comment": comment,
        "Enabled": enabled,
        "Origins": {"Quantity": 1, "Items": [{
            "Id": "mediastore", "DomainName": "abc.data.mediastore.us-east-1.amazonaws.com",
            "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "https-only"},
        }]},
        "DefaultCacheBehavior": {"TargetOriginId": "mediastore", "ViewerProtocolPolicy": "redirect-to-https",
                                 "MinTTL": 0, "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}}},
    }


def test_distribution_etag_status_and_delete_preconditions(emulator):
    cf = emulator.client("cloudfront")
    created = cf.create_distribution(DistributionConfig=distribution_config(f"ref{time.monotonic_ns()}"))
    dist_id, etag1 = created["Distribution"]["Id"], created["ETag"]
    assert created["Distribution"]["Status"] == "InProgress"
    # LSMS_EMULATOR_CF_INPROGRESS_READS defaults to 2.
    assert [cf.get_distribution(Id=dist_id)["Distribution"]["Status"] for _ in range(3)] == [
        "InProgress", "InProgress", "Deployed"]

    with pytest.raises(ClientError) as e:
        cf.delete_distribution(Id=dist_id, IfMatch=etag1)
    assert error_of(e) == ("DistributionNotDisabled", 409)

    config = cf.get_distribution_config(Id=dist_id)
    assert config["ETag"] == etag1
    config["DistributionConfig"]["Enabled"] = False
    updated = cf.update_distribution(Id=dist_id, IfMatch=etag1, DistributionConfig=config["DistributionConfig"])
    etag2 = updated["ETag"]
    assert etag2 != etag1
    assert updated["Distribution"]["Status"] == "InProgress"
    assert cf.get_distribution(Id=dist_id)["ETag"] == etag2

    with pytest.raises(ClientError) as e:
        cf.update_distribution(Id=dist_id, IfMatch=etag1, DistributionConfig=config["DistributionConfig"])
    assert error_of(e) == ("PreconditionFailed", 412)
    with pytest.raises(ClientError) as e:
        cf.delete_distribution(Id=dist_id, IfMatch=etag2)  # disabled, but still InProgress
    assert error_of(e) == ("DistributionNotDisabled", 409)
    while cf.get_distribution(Id=dist_id)["Distribution"]["Status"] != "Deployed":
        pass
    with pytest.raises(ClientError) as e:
        cf.delete_distribution(Id=dist_id, IfMatch=etag1)
    assert error_of(e) == ("PreconditionFailed", 412)
    cf.delete_distribution(Id=dist_id, IfMatch=etag2)
    with pytest.raises(ClientError) as e:
        cf.get_distribution(Id=dist_id)
    assert error_of(e)[0] == "NoSuchDistribution"


# -- IAM, SSM, CloudWatch (moto serves them; checked because the design needs them) --


def test_iam_roles_for_medialive_and_mediastore(emulator):
    iam = emulator.client("iam")
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "medialive.amazonaws.com"},
                                                     "Action": "sts:AssumeRole"}]}
    iam.create_role(RoleName="lsms-medialive", AssumeRolePolicyDocument=json.dumps(trust))
    iam.put_role_policy(RoleName="lsms-medialive", PolicyName="mediastore", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "mediastore:*", "Resource": "*"}]}))
    with pytest.raises(ClientError) as e:
        iam.delete_role(RoleName="lsms-medialive")
    assert error_of(e)[0] == "DeleteConflict"
    iam.delete_role_policy(RoleName="lsms-medialive", PolicyName="mediastore")
    iam.delete_role(RoleName="lsms-medialive")


def test_ssm_secure_string(emulator):
    ssm = emulator.client("ssm")
    ssm.put_parameter(Name="/lsms/rtmp-password", Value="s3cret", Type="SecureString")
    assert ssm.get_parameter(Name="/lsms/rtmp-password", WithDecryption=True)["Parameter"]["Value"] == "s3cret"
    assert ssm.get_parameter(Name="/lsms/rtmp-password")["Parameter"]["Type"] == "SecureString"


def test_cloudwatch_put_dashboard_over_json_1_0(emulator):
    cw = emulator.client("cloudwatch")
    sent = {}

    def keep(request, **_):
        sent.update(request.headers)

    cw.meta.events.register("before-send.cloudwatch.PutDashboard", keep)
    body = {"widgets": [{"type": "text", "x": 0, "y": 0, "width": 6, "height": 2, "properties": {"markdown": "hi"}}]}
    cw.put_dashboard(DashboardName="lsms-test", DashboardBody=json.dumps(body))
    assert sent["Content-Type"] == b"application/x-amz-json-1.0"
    assert sent["X-Amz-Target"] == b"GraniteServiceVersion20100801.PutDashboard"
    assert json.loads(cw.get_dashboard(DashboardName="lsms-test")["DashboardBody"]) == body
    cw.delete_dashboards(DashboardNames=["lsms-test"])


# -- request log ------------------------------------------------------------------------


def test_request_log_counts_operations(emulator, container):
    data = emulator.client("mediastore-data", endpoint_url=container[1]["Endpoint"])
    before = emulator.request_log()
    data.list_items()
    data.list_items()
    with pytest.raises(ClientError):
        emulator.client("medialive").describe_channel(ChannelId="0")
    new = emulator.request_log()[len(before):]
    key = "AKIAIOSFODNN7EXAMPLE"  # the fixture's dummy access key id
    assert new == [
        {"service": "mediastore-data", "operation": "ListItems", "status": 200, "access_key": key},
        {"service": "mediastore-data", "operation": "ListItems", "status": 200, "access_key": key},
        {"service": "medialive", "operation": "DescribeChannel", "status": 404, "access_key": key},
    ]
