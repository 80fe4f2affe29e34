"""Issue 14: the managed MediaLive role may write to the channel's own
destination and nowhere else.

Runs in moto's auth mode (INITIAL_NO_AUTH_ACTION_COUNT): every request is
signed and evaluated against the caller's IAM policies. The provider (as an
admin user) creates a channel and its managed role; the test then takes the
role's credentials with STS AssumeRole and writes with them, through boto3,
to the MediaStore data plane and to S3, as MediaLive would.

The role trusts only medialive.amazonaws.com, so AssumeRole by the test's
user is first shown to be refused; the test then adds itself to the trust
policy (standing in for MediaLive; the permissions evaluated are the role's
own inline policy, untouched) and puts the trust policy back afterwards.

MediaStore destination: PutObject/GetObject/ListItems on its container
succeed, PutObject on another container is AccessDenied. S3 destination (the
same channel moved in place): PutObject/GetObject under the bucket's stream
folder (both pipelines' paths), a listing of that prefix and DeleteObject
there (MediaLive deletes the segments past KeepSegments) succeed; another
bucket, another folder or the top of the bucket, a listing without the
prefix, a delete in another folder, and the container it no longer writes
to are AccessDenied. The
emulator evaluates the data plane on the object's ARN and S3's s3:prefix
condition as AWS does (tests/emulator/README.md §4).
"""

import json

import boto3
import botocore.config
import pytest
from botocore.exceptions import ClientError

from fixture import Emulator
from harness import PROVIDER_BLOCK, provider_for_emulator
from test_channel import check_gone

NO_RETRY = botocore.config.Config(retries={"max_attempts": 1})
ALLOW_ALL = {"Version": "2012-10-17",
             "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


@pytest.fixture(scope="module")
def auth_emulator():
    """An auth-mode emulator with an admin user, two containers and two buckets."""
    emu = Emulator(env={"INITIAL_NO_AUTH_ACTION_COUNT": "3"})
    try:
        emu.admin_keys = emu.create_user("admin", ALLOW_ALL)
        emu.admin = emu.session(*emu.admin_keys)
        emu.admin_arn = "arn:aws:iam::123456789012:user/admin"
        ms = emu.client("mediastore", session=emu.admin)
        emu.containers = {}
        for name in ("role-own", "role-other"):
            ms.create_container(ContainerName=name)
            emu.containers[name] = ms.describe_container(ContainerName=name)["Container"]
        s3 = emu.client("s3", session=emu.admin)
        for name in ("role-own-bucket", "role-other-bucket"):
            s3.create_bucket(Bucket=name)
        yield emu
    finally:
        emu.stop()


def channel_hcl(emu, name, destination):
    return PROVIDER_BLOCK + provider_for_emulator(emu.url, keys=emu.admin_keys) + f"""
resource "lsms_channel" "live" {{
  name          = "{name}"
  input_type    = "RTMP_PUSH"
  input_cidr    = ["203.0.113.0/24"]
  channel_class = "STANDARD"
  {destination}
}}
"""


def refused(call):
    with pytest.raises(ClientError) as e:
        call()
    err = e.value.response
    return err["ResponseMetadata"]["HTTPStatusCode"], err["Error"]["Code"]


class RoleAsMediaLive:
    """The managed role's credentials, obtained as MediaLive would (the test
    stands in for medialive.amazonaws.com in the trust policy meanwhile)."""

    def __init__(self, emu, role_arn):
        self.emu, self.role_name = emu, role_arn.rsplit("/", 1)[1]
        self.iam = emu.client("iam", session=emu.admin, config=NO_RETRY)
        sts = emu.client("sts", session=emu.admin, config=NO_RETRY)
        assume = lambda: sts.assume_role(RoleArn=role_arn, RoleSessionName="medialive")  # noqa: E731
        self.trust = self.iam.get_role(RoleName=self.role_name)["Role"]["AssumeRolePolicyDocument"]
        if isinstance(self.trust, str):
            self.trust = json.loads(self.trust)
        principals = [s["Principal"] for s in self.trust["Statement"]]
        assert principals == [{"Service": "medialive.amazonaws.com"}], principals
        assert refused(assume) == (403, "AccessDenied")  # only MediaLive may assume it
        stand_in = dict(self.trust, Statement=self.trust["Statement"] + [{
            "Effect": "Allow", "Principal": {"AWS": emu.admin_arn}, "Action": "sts:AssumeRole"}])
        self.iam.update_assume_role_policy(RoleName=self.role_name,
                                           PolicyDocument=json.dumps(stand_in))
        try:
            creds = assume()["Credentials"]
        finally:
            self.iam.update_assume_role_policy(RoleName=self.role_name,
                                               PolicyDocument=json.dumps(self.trust))
        self.session = boto3.Session(
            aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"], region_name="us-east-1")

    def data(self, container):
        return self.emu.client("mediastore-data", session=self.session, config=NO_RETRY,
                               endpoint_url=self.emu.containers[container]["Endpoint"])

    def s3(self):
        return self.emu.client("s3", session=self.session, config=NO_RETRY)


def test_managed_role_writes_only_to_its_destination(client, workspace_factory, auth_emulator):
    emu = auth_emulator
    name = f"acc-role-{client[0]}"
    ws = workspace_factory(client)
    own = emu.containers["role-own"]["Endpoint"]
    ws.write("main.tf", channel_hcl(emu, name, f'container_endpoint = "{own}"'))
    ws.init()
    ws.apply()
    values = ws.resource_values("lsms_channel.live")

    role = RoleAsMediaLive(emu, values["role_arn"])
    data = role.data("role-own")
    # Both pipelines' files of a STANDARD channel, in its own container.
    for path in ("stream/index.m3u8", "stream/pipeline1/index.m3u8"):
        data.put_object(Path=path, Body=b"#EXTM3U\n")
        assert data.get_object(Path=path)["Body"].read() == b"#EXTM3U\n"
    assert sorted(i["Name"] for i in data.list_items(Path="stream")["Items"]) == \
        ["index.m3u8", "pipeline1"]
    assert refused(lambda: role.data("role-other").put_object(
        Path="stream/index.m3u8", Body=b"x")) == (403, "AccessDenied")
    assert refused(lambda: role.data("role-other").list_items()) == (403, "AccessDenied")
    for path in ("stream/index.m3u8", "stream/pipeline1/index.m3u8"):
        data.delete_object(Path=path)

    # The same channel, moved in place to a bucket: the role follows.
    ws.write("main.tf", channel_hcl(emu, name, 'destination_bucket = "role-own-bucket"'))
    ws.apply()
    after = ws.resource_values("lsms_channel.live")
    assert (after["id"], after["role_arn"]) == (values["id"], values["role_arn"])
    role = RoleAsMediaLive(emu, values["role_arn"])
    s3 = role.s3()
    for key in ("stream/index.m3u8", "stream/pipeline1/index.m3u8", "stream/_720p_00001.ts"):
        s3.put_object(Bucket="role-own-bucket", Key=key, Body=b"#EXTM3U\n")
        assert s3.get_object(Bucket="role-own-bucket", Key=key)["Body"].read() == b"#EXTM3U\n"
    listed = s3.list_objects_v2(Bucket="role-own-bucket", Prefix="stream/")["Contents"]
    assert len(listed) == 3
    denied = [
        lambda: s3.put_object(Bucket="role-other-bucket", Key="stream/index.m3u8", Body=b"x"),
        lambda: s3.put_object(Bucket="role-own-bucket", Key="other/index.m3u8", Body=b"x"),
        lambda: s3.put_object(Bucket="role-own-bucket", Key="index.m3u8", Body=b"x"),
        lambda: s3.get_object(Bucket="role-other-bucket", Key="stream/index.m3u8"),
        lambda: s3.list_objects_v2(Bucket="role-own-bucket"),
        lambda: s3.list_objects_v2(Bucket="role-own-bucket", Prefix="other/"),
        lambda: s3.list_objects_v2(Bucket="role-other-bucket", Prefix="stream/"),
        lambda: s3.delete_object(Bucket="role-own-bucket", Key="other/index.m3u8"),
        lambda: role.data("role-own").put_object(Path="stream/index.m3u8", Body=b"x"),
    ]
    for call in denied:
        assert refused(call) == (403, "AccessDenied"), call
    # MediaLive deletes the segments past KeepSegments: its role may delete
    # below the stream's folder, and nowhere else (above).
    for obj in listed:
        s3.delete_object(Bucket="role-own-bucket", Key=obj["Key"])
    assert "Contents" not in emu.client("s3", session=emu.admin).list_objects_v2(
        Bucket="role-own-bucket", Prefix="stream/")
    assert ws.plan_exitcode()[0] == 0

    ws.destroy()
    check_gone(AsAdmin(emu), name, values)


class AsAdmin:
    """check_gone's view of the emulator, asked with the admin key."""

    def __init__(self, emu):
        self.emu = emu

    def client(self, service):
        return self.emu.client(service, session=self.emu.admin)
