"""Lists everything the solution's resources leave in an AWS account (the
emulator here): MediaStore containers, S3 buckets, MediaLive channels, inputs
and input security groups, CloudFront distributions and origin access
controls, CloudWatch dashboards,
IAM roles and SSM parameters the provider creates.

    python emulator_inventory.py URL            # prints JSON
    python emulator_inventory.py URL --expect-empty   # exit 1 unless empty
"""

import json
import sys

import boto3

IGNORED_ROLES = {"MediaStoreAccessLogs"}  # shared by all containers, kept on purpose


def inventory(url, region="us-east-1"):
    session = boto3.Session(aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
                            aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                            region_name=region)

    def client(name):
        return session.client(name, endpoint_url=url)

    live = client("medialive")
    found = {
        "containers": [c["Name"] for c in client("mediastore").list_containers()["Containers"]],
        "buckets": [b["Name"] for b in client("s3").list_buckets().get("Buckets", [])],
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


def main():
    url = sys.argv[1]
    found = inventory(url)
    print(json.dumps(found, indent=2))
    if "--expect-empty" in sys.argv and any(found.values()):
        print("emulator is not empty", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
