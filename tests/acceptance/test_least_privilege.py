"""Least privilege (issue 8, issue 13): the IAM actions listed in
examples/provider/iam-actions.txt and examples/resources/*/iam-actions.txt are
enough for the complete examples (examples/complete, the MediaStore origin,
and examples/complete-s3, the S3 origin), and each one an example calls is
needed.

Runs in moto's auth mode (INITIAL_NO_AUTH_ACTION_COUNT): every request must be
SigV4-signed with an IAM user's key and allowed by that user's policy. Each
example is applied, planned and destroyed as a user holding exactly the union
of the lists, in two variants that between them call every action the example
needs: a URL_PULL input with a pull password, and an RTMP_PUSH input (each
with its demo player, lsms_player, writing its objects into the origin). The S3
URL_PULL variant also sets force_destroy and, before the destroy, has objects
written into the bucket the way MediaLive writes its segments (versioning on,
so they are versions and a delete marker), so that the destroy empties it.
The calls are the deployer's own, from the emulator's request log (by access
key id). Then, with one action removed from the policy, the step that calls it
fails with an AccessDenied diagnostic naming the operation (HeadBucket, whose
403 answer has no body, says Forbidden). `make test` runs that for a sample
of actions; `make soak-iam` (LSMS_IAM_ALL_ACTIONS=1) for every action each
example calls.

Every test runs with each client found (OpenTofu, and Terraform when it is on
PATH): a removal costs about a second, so the sample is not split between the
clients. The stacks are named after the client, as all share one emulator
(and a refused apply leaves what it made).

S3 operations are authorized by the emulator as the IAM actions AWS evaluates
for them (tests/emulator/README.md, "moto's auth mode, corrected"): HeadBucket
as s3:ListBucket, PutPublicAccessBlock as s3:PutBucketPublicAccessBlock,
CreateBucket with its x-amz-object-ownership header as s3:CreateBucket plus
s3:PutBucketOwnershipControls, DeleteObjects object by object as
s3:DeleteObject plus s3:DeleteObjectVersion for a named version, and so on.

Two differences between moto and AWS remain, handled in the policy given to moto:
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

import contextlib
import glob
import json
import os
import shutil

import botocore.config
import botocore.exceptions
import pytest

from fixture import Emulator
from harness import REPO, CommandFailed, emulator_env

EXAMPLES = os.path.join(REPO, "examples")
NO_RETRY = botocore.config.Config(retries={"max_attempts": 1})

# The IAM actions of each S3 operation as the provider calls it, where they
# are not just "s3:<operation>" (the S3 API reference's Permissions of each
# operation; IAM service authorization reference for Amazon S3). CreateBucket
# carries x-amz-object-ownership, and DeleteObjects names every object's
# version: both need a second action.
S3_ACTIONS = {
    "HeadBucket": ["s3:ListBucket"], "ListObjects": ["s3:ListBucket"],
    "ListObjectsV2": ["s3:ListBucket"], "ListObjectVersions": ["s3:ListBucketVersions"],
    "ListBuckets": ["s3:ListAllMyBuckets"], "HeadObject": ["s3:GetObject"],
    "CreateBucket": ["s3:CreateBucket", "s3:PutBucketOwnershipControls"],
    "DeleteObjects": ["s3:DeleteObject", "s3:DeleteObjectVersion"],
    "PutBucketCors": ["s3:PutBucketCORS"], "GetBucketCors": ["s3:GetBucketCORS"],
    "DeleteBucketCors": ["s3:PutBucketCORS"],
    "PutBucketLifecycleConfiguration": ["s3:PutLifecycleConfiguration"],
    "GetBucketLifecycleConfiguration": ["s3:GetLifecycleConfiguration"],
    "DeleteBucketLifecycle": ["s3:PutLifecycleConfiguration"],
    "PutBucketMetricsConfiguration": ["s3:PutMetricsConfiguration"],
    "GetBucketMetricsConfiguration": ["s3:GetMetricsConfiguration"],
    "DeleteBucketMetricsConfiguration": ["s3:PutMetricsConfiguration"],
    "ListBucketMetricsConfigurations": ["s3:GetMetricsConfiguration"],
    "PutPublicAccessBlock": ["s3:PutBucketPublicAccessBlock"],
    "GetPublicAccessBlock": ["s3:GetBucketPublicAccessBlock"],
    "DeletePublicAccessBlock": ["s3:PutBucketPublicAccessBlock"],
    "DeleteBucketOwnershipControls": ["s3:PutBucketOwnershipControls"],
    "DeleteBucketTagging": ["s3:PutBucketTagging"],
    "PutBucketEncryption": ["s3:PutEncryptionConfiguration"],
    "GetBucketEncryption": ["s3:GetEncryptionConfiguration"],
}
# Operations answered without a body, so a refusal is "403 Forbidden".
HEAD_OPERATIONS = {"HeadBucket", "HeadObject"}

# moto's name for an action, where it differs from AWS's.
MOTO_ALIASES = {
    "cloudfront:CreateDistribution": ["cloudfront:CreateDistributionWithTags"],
}
# Implicit permissions moto never checks (see the module docstring).
NOT_EVALUATED_BY_MOTO = {"iam:PassRole", "iam:TagRole"}
# Listed, but AWS (and moto) let every identity call it: "No permissions are
# required to perform this operation" (API_GetCallerIdentity.html).
NEEDS_NO_PERMISSION = {"sts:GetCallerIdentity"}

# The actions each example calls in apply, plan and destroy, per variant
# (the emulator's request log; test_listed_actions_are_enough checks the log
# against them and against the lists).
PULL_ONLY = {"ssm:PutParameter", "ssm:DeleteParameter"}
PUSH_ONLY = {"medialive:CreateInputSecurityGroup", "medialive:DescribeInputSecurityGroup",
             "medialive:DeleteInputSecurityGroup"}
CHANNEL = {
    "iam:CreateRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:DeleteRole",
    "medialive:CreateInput", "medialive:DescribeInput", "medialive:DeleteInput",
    "medialive:CreateChannel", "medialive:DescribeChannel", "medialive:DeleteChannel",
}
# cloudfront:GetDistributionConfig is listed for updates and import; the
# examples' destroy disables from GetDistribution's answer.
DISTRIBUTION_AND_DASHBOARD = {
    "cloudfront:CreateDistribution", "cloudfront:GetDistribution",
    "cloudfront:UpdateDistribution",
    "cloudfront:DeleteDistribution", "cloudfront:ListTagsForResource",
    "cloudwatch:PutDashboard", "cloudwatch:GetDashboard", "cloudwatch:DeleteDashboards",
    "cloudwatch:ListTagsForResource",
}
# lsms_player's objects: written, read back (the page whole, the others'
# metadata) and deleted.
PLAYER = {"mediastore:PutObject", "mediastore:GetObject", "mediastore:DescribeObject",
          "mediastore:DeleteObject"}
S3_PLAYER = {"s3:PutObject", "s3:GetObject", "s3:DeleteObject"}
COMMON = {
    "sts:GetCallerIdentity",
    "mediastore:CreateContainer", "mediastore:DescribeContainer", "mediastore:DeleteContainer",
    "mediastore:PutContainerPolicy", "mediastore:GetContainerPolicy", "mediastore:PutCorsPolicy",
    "mediastore:GetCorsPolicy", "mediastore:PutLifecyclePolicy", "mediastore:GetLifecyclePolicy",
    "mediastore:PutMetricPolicy", "mediastore:GetMetricPolicy", "mediastore:StartAccessLogging",
    "mediastore:ListTagsForResource", "mediastore:ListContainers", "iam:GetRole",
} | CHANNEL | DISTRIBUTION_AND_DASHBOARD | PLAYER
S3_COMMON = {
    "sts:GetCallerIdentity",
    # lsms_bucket
    "s3:ListBucket", "s3:CreateBucket", "s3:PutBucketOwnershipControls", "s3:PutBucketCORS",
    "s3:PutBucketPublicAccessBlock", "s3:PutLifecycleConfiguration",
    "s3:PutMetricsConfiguration", "s3:PutBucketTagging", "s3:GetBucketOwnershipControls",
    "s3:GetBucketPublicAccessBlock", "s3:GetBucketCORS", "s3:GetLifecycleConfiguration",
    "s3:GetMetricsConfiguration", "s3:GetBucketLogging", "s3:GetBucketTagging",
    "s3:DeleteBucket",
    # lsms_distribution's origin: the OAC and the bucket policy statement
    "cloudfront:CreateOriginAccessControl", "cloudfront:GetOriginAccessControl",
    "cloudfront:DeleteOriginAccessControl", "s3:GetBucketPolicy", "s3:PutBucketPolicy",
    "s3:DeleteBucketPolicy",
} | CHANNEL | DISTRIBUTION_AND_DASHBOARD | S3_PLAYER
# force_destroy of a bucket holding object versions and a delete marker.
S3_EMPTYING = {"s3:ListBucketVersions", "s3:DeleteObject", "s3:DeleteObjectVersion"}

PULL = 'input_type = "URL_PULL"\npull_url = "https://example.com/live/index.m3u8"\n' \
    'pull_user = "viewer"\npull_pass = "lp-pull-password"\n'
PUSH = 'input_type = "RTMP_PUSH"\ninput_cidr = ["203.0.113.0/24"]\n'
VARIANTS = {
    # name: (example, terraform.tfvars, objects written into the bucket before
    # the destroy, the actions called)
    "pull": ("complete", PULL, False, COMMON | PULL_ONLY),
    "push": ("complete", PUSH, False, COMMON | PUSH_ONLY),
    "s3-pull": ("complete-s3", PULL + "force_destroy = true\n", True,
                S3_COMMON | PULL_ONLY | S3_EMPTYING),
    "s3-push": ("complete-s3", PUSH, False, S3_COMMON | PUSH_ONLY),
}


def exercised(example):
    return sorted(set().union(*(v[3] for v in VARIANTS.values() if v[0] == example))
                  - NEEDS_NO_PERMISSION)


SAMPLE = {
    "complete": ["mediastore:PutCorsPolicy", "medialive:CreateChannel",
                 "cloudfront:UpdateDistribution", "cloudwatch:PutDashboard", "ssm:PutParameter",
                 "mediastore:DescribeObject"],
    "complete-s3": ["s3:ListBucket", "s3:PutBucketPublicAccessBlock",
                    "s3:PutBucketOwnershipControls", "cloudfront:CreateOriginAccessControl",
                    "s3:PutBucketPolicy", "s3:DeleteObjectVersion", "s3:PutObject"],
}
ALL = os.environ.get("LSMS_IAM_ALL_ACTIONS") == "1"
REMOVED = [(example, action) for example in ("complete", "complete-s3")
           for action in (exercised(example) if ALL else SAMPLE[example])]


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


def actions_of(service, operation):
    """The IAM actions AWS evaluates for one call the provider made."""
    if service == "s3":
        return S3_ACTIONS.get(operation, [f"s3:{operation}"])
    if (service, operation) == ("cloudfront", "CreateDistributionWithTags"):
        return ["cloudfront:CreateDistribution"]
    prefix = {"cloudwatch": "cloudwatch", "mediastore-data": "mediastore"}
    return [f"{prefix.get(service, service)}:{operation}"]


def operations_needing(action):
    """The names a refusal of `action` may be reported under: the action's
    (AWS's AccessDenied message names the action refused: "User: ... is not
    authorized to perform: s3:PutBucketPublicAccessBlock on resource: ...")
    and, for S3, the operations that need it (a HEAD answer has no message,
    and DeleteObjects reports each object refused)."""
    service, name = action.split(":")
    if service == "s3":
        return {name} | {op for op, actions in S3_ACTIONS.items() if action in actions}
    return {name}


ALLOW_ALL = {"Version": "2012-10-17",
             "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


@contextlib.contextmanager
def auth_emulator_with_user(user):
    """An auth-mode emulator with an admin key and the IAM user `user`, whose
    access key is emu.keys and whose only policy emu.set_policy(actions)
    replaces."""
    emu = Emulator(env={"INITIAL_NO_AUTH_ACTION_COUNT": "3"})
    try:
        emu.admin = emu.session(*emu.create_user("admin", ALLOW_ALL))
        admin_iam = emu.client("iam", session=emu.admin, config=NO_RETRY)
        admin_iam.create_user(UserName=user)
        key = admin_iam.create_access_key(UserName=user)["AccessKey"]
        emu.keys = (key["AccessKeyId"], key["SecretAccessKey"])
        emu.set_policy = lambda actions: admin_iam.put_user_policy(
            UserName=user, PolicyName="lsms", PolicyDocument=moto_policy(actions))
        yield emu
    finally:
        emu.stop()


@pytest.fixture(scope="module")
def auth_emulator():
    """An auth-mode emulator with an admin key and a deployer user."""
    with auth_emulator_with_user("lsms-deployer") as emu:
        yield emu


def example_workspace(workspace_factory, client, tmp_path, emu, name, variant):
    example, tfvars = VARIANTS[variant][:2]
    dest = tmp_path / f"examples-{name}"
    shutil.copytree(EXAMPLES, dest, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
    ws = workspace_factory(client, env=emulator_env(emu.url, keys=emu.keys))
    ws.path = str(dest / example)
    ws.write("terraform.tfvars", f'name = "{name}"\n' + tfvars)
    ws.init()
    return ws


def write_segments(emu, ws):
    """What MediaLive does to the bucket once the channel runs, as the admin:
    a manifest and segments. Versioning is turned on first (by someone else,
    as it may be on AWS), so they are object versions and a delete marker,
    which force_destroy deletes by version id."""
    bucket = ws.output()["bucket_name"]["value"]
    s3 = emu.client("s3", session=emu.admin, config=NO_RETRY)
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    for key, body in (("stream/index.m3u8", b"#EXTM3U\n"), ("stream/index_1.ts", b"1"),
                      ("stream/index_1.ts", b"2"), ("stream/old.m3u8", b"#EXTM3U\n")):
        s3.put_object(Bucket=bucket, Key=key, Body=body)
    s3.delete_object(Bucket=bucket, Key="stream/old.m3u8")  # a delete marker on top
    assert len(s3.list_object_versions(Bucket=bucket, Prefix="stream/")["Versions"]) == 4


def container_exists(ms, name):
    try:
        ms.describe_container(ContainerName=name)
        return True
    except botocore.exceptions.ClientError as e:
        if e.response["Error"]["Code"] != "ContainerNotFoundException":
            raise
        return False


def inventory(emu, name):
    """What exists of the example named `name`, asked with the admin key."""
    c = lambda s: emu.client(s, session=emu.admin, config=NO_RETRY)  # noqa: E731
    distributions = [x for x in
                     c("cloudfront").list_distributions()["DistributionList"].get("Items", [])
                     if x["Comment"] == f"Live stream {name}"]
    oac_ids = {o.get("OriginAccessControlId") for d in distributions
               for o in d["Origins"]["Items"]} - {None, ""}
    return {
        "containers": [name] if container_exists(c("mediastore"), name) else [],
        "buckets": [b["Name"] for b in c("s3").list_buckets().get("Buckets", [])
                    if b["Name"].startswith(f"{name}-")],
        "channels": [x["Id"] for x in c("medialive").list_channels()["Channels"]
                     if x["Name"] == name and x["State"] != "DELETED"],
        "distributions": [d["Id"] for d in distributions],
        "origin_access_controls": [
            o["Id"] for o in (c("cloudfront").list_origin_access_controls()
                              ["OriginAccessControlList"].get("Items") or [])
            if o["Id"] in oac_ids or o["Name"].startswith(f"{name}-")],
        "dashboards": [x["DashboardName"] for x in
                       c("cloudwatch").list_dashboards()["DashboardEntries"]
                       if x["DashboardName"] == f"{name}-live-streaming"],
    }


def deployer_calls(emu, since):
    """(service, operation, status) of every call the deployer's key made."""
    return {(r["service"], r["operation"], r["status"]) for r in emu.request_log()[since:]
            if r.get("access_key") == emu.keys[0]}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_listed_actions_are_enough(client, workspace_factory, tmp_path, auth_emulator, variant):
    emu = auth_emulator
    example, _, segments, expected = VARIANTS[variant]
    emu.set_policy(listed_actions())
    name = f"lp-ok-{variant}-{client[0]}"
    ws = example_workspace(workspace_factory, client, tmp_path, emu, name, variant)
    start = len(emu.request_log())
    ws.apply("-auto-approve")
    found = inventory(emu, name)
    origin = "buckets" if example == "complete-s3" else "containers"
    assert not found["buckets" if origin == "containers" else "containers"], found
    want = ["channels", "distributions", "dashboards", origin] + \
        (["origin_access_controls"] if origin == "buckets" else [])
    assert all(len(found[k]) == 1 for k in want), found
    code, plan = ws.plan_exitcode()
    assert code == 0, plan.output
    if segments:
        write_segments(emu, ws)
    ws.destroy("-auto-approve")
    assert not any(inventory(emu, name).values()), inventory(emu, name)
    seen = deployer_calls(emu, start)
    refused = {s for s in seen if s[2] in (401, 403)}
    assert not refused, refused
    # Every operation the provider called maps to listed actions.
    called = {a for svc, op, _ in seen for a in actions_of(svc, op)}
    assert called <= listed_actions(), called - listed_actions()
    assert called == expected, (called ^ expected)


@pytest.mark.parametrize("example,action", REMOVED, ids=[f"{e}:{a}" for e, a in REMOVED])
def test_each_action_is_needed(client, workspace_factory, tmp_path, auth_emulator, example,
                               action):
    emu = auth_emulator
    assert action not in NOT_EVALUATED_BY_MOTO
    emu.set_policy(listed_actions() - {action})
    s3 = example == "complete-s3"
    variant = ("s3-" if s3 else "") + ("push" if action in PUSH_ONLY else "pull")
    assert action in VARIANTS[variant][3], (action, variant)
    service, operation = action.split(":")
    name = f"lp{'s3' if s3 else ''}-{client[0][:2]}-{service}-{operation.lower()}"[:40]
    ws = example_workspace(workspace_factory, client, tmp_path, emu, name, variant)

    def destroy():
        if VARIANTS[variant][2]:
            write_segments(emu, ws)
        ws.destroy("-auto-approve")

    failure = None
    for step in (lambda: ws.apply("-auto-approve"), ws.plan, destroy):
        try:
            step()
        except CommandFailed as e:
            failure = str(e)
            break
    assert failure is not None, f"every step passed without {action}"
    operations = operations_needing(action)
    assert any(op in failure for op in operations), (operations, failure)
    denied = "AccessDenied" in failure or \
        (operations & HEAD_OPERATIONS and "Forbidden" in failure and "403" in failure)
    assert denied, failure
    assert "panic" not in failure.lower() and "plugin exited" not in failure.lower()
