"""Issue 22: list resources and `terraform query -generate-config-out`, on
objects a user adopts: made with boto3, as the console or another tool
would, never by the provider.

In the emulator, with boto3: a MediaLive channel (RTMP push input, its input
security group, the role MediaLive assumes, the seed's HD-720p encoder
settings, an S3 destination), its S3 bucket, a CloudFront distribution of
the bucket shaped as the seed's (Origin Access Control, `*.m3u8` behaviour,
error caching), a MediaStore container (its CORS and container policies) and
a CloudWatch dashboard whose body is the solution's for that bucket and
distribution (the body is taken from the provider's plan of an
lsms_dashboard, the one thing the provider computes here; the dashboard
itself is put by boto3). Each carries the tag adopt=<run>; decoys do not (a
bucket with the same prefix, a dashboard of another shape).

`terraform query` over a .tfquery.hcl listing the five types with the
filters (name prefix, tags, the distribution's origin bucket) finds exactly
those five and shows their identities; `-generate-config-out` writes a
resource and an import block (by identity) for each; the plan of that
configuration is five imports and nothing else, and after the apply the
plan is empty. boto3 then reads the objects unchanged.

Only Terraform 1.14+ has list resources and `terraform query`.
"""

import json
import os
import re

import pytest

from harness import PROVIDER_BLOCK, REPO, provider_for_emulator

SEED_PROFILE = os.path.join(REPO, "..", "shared", "reference", "encoding-profiles", "hd-720p.json")
ERROR_CODES = [400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504]
RUN = "adopt"


def distribution_config(bucket, oac_id, ref):
    """The seed solution's distribution, on an S3 origin signed by an OAC."""
    forwarded = {"QueryString": False, "Cookies": {"Forward": "none"},
                 "Headers": {"Quantity": 3, "Items": ["Origin", "Access-Control-Request-Method",
                                                      "Access-Control-Request-Headers"]}}
    methods = {"Quantity": 3, "Items": ["GET", "HEAD", "OPTIONS"],
               "CachedMethods": {"Quantity": 2, "Items": ["GET", "HEAD"]}}

    def behaviour(ttl, pattern=None):
        b = {"TargetOriginId": "origin", "ViewerProtocolPolicy": "redirect-to-https",
             "ForwardedValues": forwarded, "AllowedMethods": methods, "MinTTL": 0,
             "DefaultTTL": ttl, "MaxTTL": ttl, "Compress": False}
        if pattern:
            b["PathPattern"] = pattern
        return b

    return {
        "CallerReference": ref, "Comment": f"{RUN} live stream", "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [{
            "Id": "origin", "DomainName": f"{bucket}.s3.us-east-1.amazonaws.com",
            "OriginPath": "", "S3OriginConfig": {"OriginAccessIdentity": ""},
            "OriginAccessControlId": oac_id}]},
        "DefaultCacheBehavior": behaviour(86400),
        "CacheBehaviors": {"Quantity": 1, "Items": [behaviour(2, "*.m3u8")]},
        "CustomErrorResponses": {"Quantity": len(ERROR_CODES), "Items": [
            {"ErrorCode": c, "ErrorCachingMinTTL": 1} for c in ERROR_CODES]},
        "PriceClass": "PriceClass_All", "HttpVersion": "http2and3", "IsIPV6Enabled": True,
    }


def create_with_boto3(emulator, name, tags):
    """The five objects and the decoys; returns their ids."""
    s3 = emulator.client("s3")
    bucket = f"{name}-origin"
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": [{"Key": "adopt", "Value": name}]})
    s3.create_bucket(Bucket=f"{name}-decoy")  # same prefix, no tag

    ml = emulator.client("medialive")
    group = ml.create_input_security_group(WhitelistRules=[{"Cidr": "198.51.100.0/24"}])
    inp = ml.create_input(Name=f"{name}-input", Type="RTMP_PUSH",
                          InputSecurityGroups=[group["SecurityGroup"]["Id"]],
                          Destinations=[{"StreamName": f"{name}/stream"}])["Input"]
    role = emulator.client("iam").create_role(
        RoleName=f"{name}-medialive",
        AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Service": "medialive.amazonaws.com"},
            "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
    with open(SEED_PROFILE) as f:
        encoder = json.load(f)
    channel = ml.create_channel(
        Name=f"{name}-live", RoleArn=role, ChannelClass="SINGLE_PIPELINE",
        InputAttachments=[{"InputId": inp["Id"], "InputAttachmentName": f"{name}-input"}],
        InputSpecification={"Codec": "AVC", "Resolution": "HD", "MaximumBitrate": "MAX_10_MBPS"},
        Destinations=[{"Id": "destination1",
                       "Settings": [{"Url": f"s3ssl://{bucket}/stream/index"}]}],
        EncoderSettings=encoder, Tags=tags)["Channel"]

    cf = emulator.client("cloudfront")
    oac = cf.create_origin_access_control(OriginAccessControlConfig={
        "Name": f"{name}-oac", "SigningProtocol": "sigv4", "SigningBehavior": "always",
        "OriginAccessControlOriginType": "s3"})["OriginAccessControl"]["Id"]
    dist = cf.create_distribution_with_tags(DistributionConfigWithTags={
        "DistributionConfig": distribution_config(bucket, oac, f"{name}-cdn"),
        "Tags": {"Items": [{"Key": k, "Value": v} for k, v in tags.items()]}})["Distribution"]

    ms = emulator.client("mediastore")
    ms.create_container(ContainerName=f"{name}_legacy",
                        Tags=[{"Key": k, "Value": v} for k, v in tags.items()])
    ms.describe_container(ContainerName=f"{name}_legacy")  # CREATING -> ACTIVE
    ms.put_cors_policy(ContainerName=f"{name}_legacy", CorsPolicy=[{
        "AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "AllowedHeaders": ["*"],
        "MaxAgeSeconds": 3000}])
    ms.put_container_policy(ContainerName=f"{name}_legacy", Policy=json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Sid": "PublicRead", "Effect": "Allow", "Principal": "*",
            "Action": ["mediastore:GetObject", "mediastore:DescribeObject"],
            "Resource": f"arn:aws:mediastore:us-east-1:123456789012:container/{name}_legacy/*",
            "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]}))
    return {"bucket": bucket, "channel": channel["Id"], "distribution": dist["Id"],
            "container": f"{name}_legacy", "dashboard": f"{name}-ops"}


def solution_dashboard_body(workspace_factory, client, url, bucket, distribution_id):
    """The solution's dashboard body for that bucket and distribution, from
    the provider's plan of an lsms_dashboard (nothing is applied)."""
    ws = workspace_factory(client)
    ws.write("main.tf", PROVIDER_BLOCK + provider_for_emulator(url) + f"""
resource "lsms_dashboard" "ops" {{
  name            = "body-only"
  bucket_name     = "{bucket}"
  distribution_id = "{distribution_id}"
}}
""")
    ws.init()
    ws.plan("-out=body.tfplan")
    plan = json.loads(ws.run("show", "-json", "body.tfplan").stdout)
    (change,) = plan["resource_changes"]
    return change["change"]["after"]["dashboard_body"]


def query_hcl(name, bucket):
    tags = f'tags = {{ adopt = "{name}" }}'
    return f"""
list "lsms_bucket" "buckets" {{
  provider = lsms
  config {{
    name_prefix = "{name}-"
    {tags}
  }}
}}

list "lsms_channel" "channels" {{
  provider = lsms
  config {{
    name_prefix = "{name}-"
    {tags}
  }}
}}

list "lsms_distribution" "distributions" {{
  provider = lsms
  config {{
    origin_bucket = "{bucket}"
    {tags}
  }}
}}

list "lsms_container" "containers" {{
  provider = lsms
  config {{
    name_prefix = "{name}_"
    {tags}
  }}
}}

list "lsms_dashboard" "dashboards" {{
  provider = lsms
  config {{
    name_prefix = "{name}-"
  }}
}}
"""


def listed(output):
    """{list address: [identity text]} from `terraform query` output."""
    found = {}
    for line in output.splitlines():
        m = re.match(r"^(list\.\S+)\s+(\S+=\S+)\s", line)
        if m:
            found.setdefault(m.group(1), []).append(m.group(2))
    return found


@pytest.mark.clients("list")
def test_query_finds_what_boto3_made_and_its_generated_config_imports_to_an_empty_plan(
        client, workspace_factory, emulator):
    name = f"{RUN}-{client.name}"
    tags = {"adopt": name}
    made = create_with_boto3(emulator, name, tags)
    body = solution_dashboard_body(workspace_factory, client, emulator.url, made["bucket"],
                                   made["distribution"])
    cw = emulator.client("cloudwatch")
    cw.put_dashboard(DashboardName=made["dashboard"], DashboardBody=body)
    cw.put_dashboard(DashboardName=f"{name}-other",  # not the solution's: left out
                     DashboardBody=json.dumps({"widgets": [{"type": "text", "x": 0, "y": 0,
                                                            "width": 6, "height": 2,
                                                            "properties": {"markdown": "hi"}}]}))

    ws = workspace_factory(client)
    ws.write("main.tf", PROVIDER_BLOCK + provider_for_emulator(emulator.url))
    ws.write("adopt.tfquery.hcl", query_hcl(name, made["bucket"]))
    ws.init()
    found = listed(ws.run("query", "-no-color").stdout)
    assert found == {
        "list.lsms_bucket.buckets": [f"account_id=123456789012,name={made['bucket']},region=us-east-1"],
        "list.lsms_channel.channels": [f"account_id=123456789012,id={made['channel']},region=us-east-1"],
        "list.lsms_distribution.distributions": [
            f"account_id=123456789012,id={made['distribution']}"],
        "list.lsms_container.containers": [
            f"account_id=123456789012,name={made['container']},region=us-east-1"],
        "list.lsms_dashboard.dashboards": [f"account_id=123456789012,name={made['dashboard']}"],
    }, found

    ws.run("query", "-no-color", "-generate-config-out=generated.tf")
    with open(os.path.join(ws.path, "generated.tf")) as f:
        generated = f.read()
    assert generated.count("import {") == 5 and generated.count("identity = {") == 5, generated
    plan = ws.plan()
    assert "Plan: 5 to import, 0 to add, 0 to change, 0 to destroy." in plan.stdout, \
        generated + plan.stdout
    ws.apply()
    code, plan = ws.plan_exitcode()
    assert code == 0, f"{generated}\n{plan.stdout}"

    # Adopted, not changed: boto3 reads what it made.
    ch = emulator.client("medialive").describe_channel(ChannelId=made["channel"])
    assert ch["State"] == "IDLE" and \
        ch["Destinations"][0]["Settings"][0]["Url"] == f"s3ssl://{made['bucket']}/stream/index"
    assert cw.get_dashboard(DashboardName=made["dashboard"])["DashboardBody"] == body
    values = ws.resource_values("lsms_channel.channels_0")
    assert values["encoding_profile"] == "HD-720p" and values["input_type"] == "RTMP_PUSH"
