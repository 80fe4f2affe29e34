"""Lists everything the solution's resources leave in an AWS account (the
emulator here): MediaStore containers, S3 buckets and the statements of their
bucket policies, MediaLive channels, inputs and input security groups,
CloudFront distributions and origin access controls, CloudWatch dashboards,
IAM roles and SSM parameters the provider creates.

A bucket policy statement is listed as "<bucket> <Sid> <distribution ARN>"
(the distribution its AWS:SourceArn condition names, "-" when none): the
statement lsms_distribution adds for its Origin Access Control, which must
go when the distribution goes.

Objects in buckets and containers are listed outside the stream's folder
(`stream/`, where MediaLive writes and which the origin's force_destroy
empties) as "s3://<bucket>/<key>" or "mediastore://<container>/<path>": what
lsms_player writes, which must go when the player goes.

    python emulator_inventory.py URL            # prints JSON
    python emulator_inventory.py URL --expect-empty   # exit 1 unless empty
"""

import json
import sys

import boto3
import botocore.exceptions

IGNORED_ROLES = {"MediaStoreAccessLogs"}  # shared by all containers, kept on purpose


def inventory(url, region="us-east-1"):
    session = boto3.Session(aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
                            aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                            region_name=region)

    def client(name):
        return session.client(name, endpoint_url=url)

    live = client("medialive")
    s3 = client("s3")
    buckets = [b["Name"] for b in s3.list_buckets().get("Buckets", [])]
    containers = client("mediastore").list_containers()["Containers"]
    found = {
        "containers": [c["Name"] for c in containers],
        "objects": [o for b in buckets for o in bucket_objects(s3, b)] +
                   [o for c in containers for o in container_objects(session, c)],
        "buckets": buckets,
        "bucket_policy_statements": [s for b in buckets for s in policy_statements(s3, b)],
        "channels": [c["Id"] for c in live.list_channels()["Channels"]
                     if c.get("State") != "DELETED"],
        "inputs": [i["Id"] for i in live.list_inputs()["Inputs"] if i.get("State") != "DELETED"],
        "input_security_groups": [g["Id"] for g in
                                  live.list_input_security_groups()["InputSecurityGroups"]
                                  if g.get("State") != "DELETED"],
        "distributions": [d["Id"] for d in
                          (client("cloudfront").list_distributions()["DistributionList"]
                           .get("Items") or [])],
        "origin_access_controls": [
            o["Id"] for o in (client("cloudfront").list_origin_access_controls()
                              ["OriginAccessControlList"].get("Items") or [])],
        "dashboards": [d["DashboardName"] for d in
                       client("cloudwatch").list_dashboards()["DashboardEntries"]],
        "roles": [r["RoleName"] for r in client("iam").list_roles()["Roles"]
                  if r["RoleName"] not in IGNORED_ROLES],
        "parameters": [p["Name"] for p in client("ssm").describe_parameters()["Parameters"]],
    }
    return found


STREAM_FOLDER = "stream/"


def bucket_objects(s3, bucket):
    """Every object of `bucket` outside the stream's folder, as
    "s3://<bucket>/<key>"."""
    keys = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        keys += [o["Key"] for o in page.get("Contents", [])]
    return [f"s3://{bucket}/{k}" for k in keys if not k.startswith(STREAM_FOLDER)]


def container_objects(session, container):
    """Every object of a container (ListContainers' entry) outside the
    stream's folder, as "mediastore://<container>/<path>"."""
    endpoint = container.get("Endpoint")
    if not endpoint or container.get("Status") != "ACTIVE":
        return []
    data = session.client("mediastore-data", endpoint_url=endpoint)

    def walk(folder):
        out = []
        for item in data.list_items(**({"Path": folder} if folder else {})).get("Items", []):
            path = f"{folder}/{item['Name']}" if folder else item["Name"]
            if item["Type"] == "FOLDER":
                if f"{path}/" != STREAM_FOLDER:
                    out += walk(path)
            else:
                out.append(path)
        return out

    return [f"mediastore://{container['Name']}/{p}" for p in walk("")]


def policy_statements(s3, bucket):
    """The statements of `bucket`'s policy as "<bucket> <Sid> <SourceArn>"."""
    try:
        policy = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
    except botocore.exceptions.ClientError as e:
        if e.response["Error"]["Code"] in ("NoSuchBucketPolicy", "NoSuchBucket"):
            return []
        raise
    statements = policy.get("Statement") or []
    if isinstance(statements, dict):
        statements = [statements]
    out = []
    for st in statements:
        condition = st.get("Condition") or {}
        arn = next((v for op in condition.values() if isinstance(op, dict)
                    for k, v in op.items() if k.lower() == "aws:sourcearn"), None)
        if isinstance(arn, list):
            arn = arn[0] if len(arn) == 1 else ",".join(arn)
        out.append(f"{bucket} {st.get('Sid') or '-'} {arn or '-'}")
    return out


def main():
    url = sys.argv[1]
    found = inventory(url)
    print(json.dumps(found, indent=2))
    if "--expect-empty" in sys.argv and any(found.values()):
        print("emulator is not empty", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
