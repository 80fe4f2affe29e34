"""Least privilege (issue 8): the IAM actions listed in
examples/provider/iam-actions.txt and examples/resources/*/iam-actions.txt are
enough for the complete example, and each one the example calls is needed.

Runs in moto's auth mode (INITIAL_NO_AUTH_ACTION_COUNT): every request must be
SigV4-signed with an IAM user's key and allowed by that user's policy. The
complete example is applied, planned and destroyed as a user holding exactly
the union of the lists (once with a URL_PULL input and a pull password, once
with RTMP_PUSH, which between them call every action the example needs).
Then, with one action removed from the policy, the step that calls it fails
with an AccessDenied diagnostic naming the operation. `make test` runs that
for a sample of actions; `make soak-iam` (LSMS_IAM_ALL_ACTIONS=1) for every
action the example calls.

Two differences between moto and AWS, handled in the policy given to moto:
- moto names CloudWatch actions after the SigV4 signing name, monitoring:*
  (moto/iam/access_control.py), AWS says cloudwatch:*: both are granted.
- moto authorizes CreateDistributionWithTags as itself; AWS as
  cloudfront:CreateDistribution plus cloudfront:TagResource (the botocore
  documentation of the operation): both are granted.
sts:GetCallerIdentity needs no permission (AWS allows it to every identity),
so it is not among the removals. iam:PassRole and iam:TagRole are listed for AWS (CreateChannel's roleArn,
CreateRole with tags) but moto never evaluates these implicit permissions, so
no removal test can prove them here.
"""

import glob
import json
import os
import shutil

import botocore.config
import botocore.exceptions
import pytest

from fixture import Emulator
from harness import REPO, CommandFailed

EXAMPLES = os.path.join(REPO, "examples")
NO_RETRY = botocore.config.Config(retries={"max_attempts": 1})

# The IAM action of each S3 operation, where it is not "s3:<operation>"
# (S3 user guide, "Required permissions for Amazon S3 API operations").
S3_ACTIONS = {
    "HeadBucket": "s3:ListBucket", "ListObjects": "s3:ListBucket",
    "ListObjectsV2": "s3:ListBucket", "ListObjectVersions": "s3:ListBucketVersions",
    "ListBuckets": "s3:ListAllMyBuckets", "HeadObject": "s3:GetObject",
    "DeleteObjects": "s3:DeleteObject",
    "PutBucketCors": "s3:PutBucketCORS", "GetBucketCors": "s3:GetBucketCORS",
    "DeleteBucketCors": "s3:PutBucketCORS",
    "PutBucketLifecycleConfiguration": "s3:PutLifecycleConfiguration",
    "GetBucketLifecycleConfiguration": "s3:GetLifecycleConfiguration",
    "DeleteBucketLifecycle": "s3:PutLifecycleConfiguration",
    "PutBucketMetricsConfiguration": "s3:PutMetricsConfiguration",
    "GetBucketMetricsConfiguration": "s3:GetMetricsConfiguration",
    "DeleteBucketMetricsConfiguration": "s3:PutMetricsConfiguration",
    "ListBucketMetricsConfigurations": "s3:GetMetricsConfiguration",
    "PutPublicAccessBlock": "s3:PutBucketPublicAccessBlock",
    "GetPublicAccessBlock": "s3:GetBucketPublicAccessBlock",
    "DeletePublicAccessBlock": "s3:PutBucketPublicAccessBlock",
    "DeleteBucketOwnershipControls": "s3:PutBucketOwnershipControls",
    "DeleteBucketTagging": "s3:PutBucketTagging",
    "PutBucketEncryption": "s3:PutEncryptionConfiguration",
    "GetBucketEncryption": "s3:GetEncryptionConfiguration",
}

# moto's name for an action, where it differs from AWS's.
MOTO_ALIASES = {
    "cloudfront:CreateDistribution": ["cloudfront:CreateDistributionWithTags"],
    # moto authorizes HeadBucket as s3:HeadBucket (tests/emulator/README.md).
    "s3:ListBucket": ["s3:HeadBucket"],
}
# Implicit permissions moto never checks (see the module docstring).
NOT_EVALUATED_BY_MOTO = {"iam:PassRole", "iam:TagRole"}
# Listed, but AWS (and moto) let every identity call it: "No permissions are
# required to perform this operation" (API_GetCallerIdentity.html).
NEEDS_NO_PERMISSION = {"sts:GetCallerIdentity"}

# The actions the complete example calls in apply, plan and destroy, per
# variant (the emulator's request log; test_policy_covers_every_call checks
# the log against the lists).
PULL_ONLY = {"ssm:PutParameter", "ssm:DeleteParameter"}
PUSH_ONLY = {"medialive:CreateInputSecurityGroup", "medialive:DescribeInputSecurityGroup",
             "medialive:DeleteInputSecurityGroup"}
COMMON = {
    "sts:GetCallerIdentity",
    "mediastore:CreateContainer", "mediastore:DescribeContainer", "mediastore:DeleteContainer",
    "mediastore:PutContainerPolicy", "mediastore:GetContainerPolicy", "mediastore:PutCorsPolicy",
    "mediastore:GetCorsPolicy", "mediastore:PutLifecyclePolicy", "mediastore:GetLifecyclePolicy",
    "mediastore:PutMetricPolicy", "mediastore:GetMetricPolicy", "mediastore:StartAccessLogging",
    "mediastore:ListTagsForResource", "mediastore:ListContainers",
    "iam:GetRole", "iam:CreateRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:DeleteRole",
    "medialive:CreateInput", "medialive:DescribeInput", "medialive:DeleteInput",
    "medialive:CreateChannel", "medialive:DescribeChannel", "medialive:DeleteChannel",
    "cloudfront:CreateDistribution", "cloudfront:GetDistribution",
    "cloudfront:GetDistributionConfig", "cloudfront:UpdateDistribution",
    "cloudfront:DeleteDistribution", "cloudfront:ListTagsForResource",
    "cloudwatch:PutDashboard", "cloudwatch:GetDashboard", "cloudwatch:DeleteDashboards",
    "cloudwatch:ListTagsForResource",
}
EXERCISED = sorted((COMMON | PULL_ONLY | PUSH_ONLY) - NEEDS_NO_PERMISSION)
SAMPLE = ["mediastore:PutCorsPolicy", "medialive:CreateChannel", "cloudfront:UpdateDistribution",
          "cloudwatch:PutDashboard", "ssm:PutParameter"]
REMOVED = EXERCISED if os.environ.get("LSMS_IAM_ALL_ACTIONS") == "1" else SAMPLE

VARIANTS = {
    "pull": 'input_type = "URL_PULL"\npull_user = "viewer"\npull_pass = "lp-pull-password"\n',
    "push": 'input_type = "RTMP_PUSH"\ninput_cidr = ["203.0.113.0/24"]\n',
}


def listed_actions():
    files = [os.path.join(EXAMPLES, "provider", "iam-actions.txt")]
    files += sorted(glob.glob(os.path.join(EXAMPLES, "resources", "*", "iam-actions.txt")))
    actions = set()
    for path in files:
        with open(path) as f:
            actions.update(l.strip() for l in f if l.strip() and not l.startswith("#"))
    return actions


def moto_policy(actions):
    granted = set()
    for a in actions:
        granted.add(a)
        granted.update(MOTO_ALIASES.get(a, []))
        if a.startswith("cloudwatch:"):
            granted.add("monitoring:" + a.split(":", 1)[1])
    return json.dumps({"Version": "2012-10-17",
                       "Statement": [{"Effect": "Allow", "Action": sorted(granted),
                                      "Resource": "*"}]})


ALLOW_ALL = {"Version": "2012-10-17",
             "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


@pytest.fixture(scope="module")
def auth_emulator():
    """An auth-mode emulator with an admin key and a deployer user."""
    emu = Emulator(env={"INITIAL_NO_AUTH_ACTION_COUNT": "3"})
    try:
        emu.admin = emu.session(*emu.create_user("admin", ALLOW_ALL))
        admin_iam = emu.client("iam", session=emu.admin, config=NO_RETRY)
        admin_iam.create_user(UserName="lsms-deployer")
        key = admin_iam.create_access_key(UserName="lsms-deployer")["AccessKey"]
        emu.deployer_keys = (key["AccessKeyId"], key["SecretAccessKey"])
        emu.set_policy = lambda actions: admin_iam.put_user_policy(
            UserName="lsms-deployer", PolicyName="lsms", PolicyDocument=moto_policy(actions))
        yield emu
    finally:
        emu.stop()


def complete_workspace(workspace_factory, tofu, tmp_path, emu, name, variant):
    dest = tmp_path / f"examples-{name}"
    shutil.copytree(EXAMPLES, dest, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
    access_key, secret_key = emu.deployer_keys
    ws = workspace_factory(tofu, env={
        "AWS_ENDPOINT_URL": emu.url, "AWS_ACCESS_KEY_ID": access_key,
        "AWS_SECRET_ACCESS_KEY": secret_key, "AWS_REGION": "us-east-1"})
    ws.path = str(dest / "complete")
    ws.write("terraform.tfvars", f'name = "{name}"\n' + VARIANTS[variant])
    ws.init()
    return ws


def container_exists(ms, name):
    try:
        ms.describe_container(ContainerName=name)
        return True
    except botocore.exceptions.ClientError as e:
        if e.response["Error"]["Code"] != "ContainerNotFoundException":
            raise
        return False


def inventory(emu, name):
    """What exists of the example named `name`, asked with the admin key.
    Containers by DescribeContainer: the provider itself calls ListContainers
    (to limit the channel's role to its container), which must show in the
    request log as the provider's."""
    c = lambda s: emu.client(s, session=emu.admin, config=NO_RETRY)  # noqa: E731
    return {
        "containers": [name] if container_exists(c("mediastore"), name) else [],
        "channels": [x["Id"] for x in c("medialive").list_channels()["Channels"]
                     if x["Name"] == name and x["State"] != "DELETED"],
        "distributions": [x["Id"] for x in
                          c("cloudfront").list_distributions()["DistributionList"].get("Items", [])
                          if x["Comment"] == f"Live stream {name}"],
        "dashboards": [x["DashboardName"] for x in
                       c("cloudwatch").list_dashboards()["DashboardEntries"]
                       if x["DashboardName"] == f"{name}-live-streaming"],
    }


# What inventory() asks with the admin key and the provider never calls.
INVENTORY_CALLS = {"ListChannels", "ListDistributions", "ListDashboards"}


def operations_seen(emu, since):
    return {(r["service"], r["operation"], r["status"]) for r in emu.request_log()[since:]
            if r["operation"] not in INVENTORY_CALLS}


@pytest.mark.parametrize("variant", ["pull", "push"])
def test_listed_actions_are_enough(tofu, workspace_factory, tmp_path, auth_emulator, variant):
    emu = auth_emulator
    emu.set_policy(listed_actions())
    name = f"lp-ok-{variant}"
    ws = complete_workspace(workspace_factory, tofu, tmp_path, emu, name, variant)
    start = len(emu.request_log())
    ws.apply("-auto-approve")
    found = inventory(emu, name)
    assert all(len(v) == 1 for v in found.values()), found
    code, plan = ws.plan_exitcode()
    assert code == 0, plan.output
    ws.destroy("-auto-approve")
    assert not any(inventory(emu, name).values())
    seen = operations_seen(emu, start)
    refused = {s for s in seen if s[2] in (401, 403)}
    assert not refused, refused
    # Every operation the provider called maps to a listed action.
    prefix = {"cloudwatch": "cloudwatch", "mediastore-data": "mediastore"}
    called = {S3_ACTIONS.get(op, f"s3:{op}") if svc == "s3" else f"{prefix.get(svc, svc)}:{op}"
              for svc, op, _ in seen if svc != "moto-api"}
    called = {"cloudfront:CreateDistribution" if a == "cloudfront:CreateDistributionWithTags"
              else a for a in called}
    assert called <= listed_actions(), called - listed_actions()
    expected = COMMON | (PULL_ONLY if variant == "pull" else PUSH_ONLY)
    assert called == expected, (called ^ expected)


@pytest.mark.parametrize("action", REMOVED)
def test_each_action_is_needed(tofu, workspace_factory, tmp_path, auth_emulator, action):
    emu = auth_emulator
    assert action not in NOT_EVALUATED_BY_MOTO
    emu.set_policy(listed_actions() - {action})
    variant = "push" if action in PUSH_ONLY else "pull"
    service, operation = action.split(":")
    name = f"lp-{service}-{operation.lower()}"[:40]
    ws = complete_workspace(workspace_factory, tofu, tmp_path, emu, name, variant)
    failure = None
    for step in (lambda: ws.apply("-auto-approve"), ws.plan,
                 lambda: ws.destroy("-auto-approve")):
        try:
            step()
        except CommandFailed as e:
            failure = str(e)
            break
    assert failure is not None, f"every step passed without {action}"
    assert "AccessDenied" in failure, failure
    assert operation in failure, failure
    assert "panic" not in failure.lower() and "plugin exited" not in failure.lower()
