"""Issue 3: where the provider's AWS credentials come from, through each real
client found (OpenTofu, and Terraform when it is on PATH; the dashboards are
named after the client, as both share one emulator).

A shared credentials file with a named profile (provider arguments, then the
AWS_PROFILE / AWS_SHARED_CREDENTIALS_FILE environment) against the emulator in
moto's auth mode, where only the profile's key is a real IAM key, so an apply
that succeeds proves that profile was the one used. And a TF_LOG=trace
apply/destroy whose whole log never holds the secret key or the session token
while it does show the provider's AWS calls.
"""

import re

import pytest
from botocore.exceptions import ClientError

from fixture import Emulator
from harness import PROVIDER_BLOCK, provider_for_emulator

CREDENTIAL_ENV = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                  "AWS_SECURITY_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
                  "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE")
SECRET = "SECRETabc123lsms"
TOKEN = "TOKENxyz789lsmsSESSION"

POLICY = {
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        # AWS: cloudwatch:*; moto checks the signing name, monitoring:*.
        "Action": ["cloudwatch:*", "monitoring:*", "sts:GetCallerIdentity"],
        "Resource": "*",
    }],
}


@pytest.fixture(scope="module")
def auth_emulator():
    emu = Emulator(env={"INITIAL_NO_AUTH_ACTION_COUNT": "3"})
    try:
        emu.keys = emu.create_user("lsms-profile-user", POLICY)
        yield emu
    finally:
        emu.stop()


def provider_block(url, extra):
    """Every service at the emulator, no keys: the credentials come from
    where the test puts them."""
    return provider_for_emulator(url, extra, keys=None)


def dashboard(name):
    return f"""
resource "lsms_dashboard" "x" {{
  name           = "{name}"
  container_name = "{name}-origin"
}}
"""


def credentials_file(tmp_path, profile_keys, default_keys):
    """A shared credentials file: [default] and [lsms-test]."""
    path = tmp_path / "credentials"
    lines = []
    for name, (key, secret) in (("default", default_keys), ("lsms-test", profile_keys)):
        lines += [f"[{name}]", f"aws_access_key_id = {key}", f"aws_secret_access_key = {secret}", ""]
    path.write_text("\n".join(lines))
    return str(path)


def clean_workspace(workspace_factory, client, tmp_path, hcl, env=None):
    """A workspace whose environment holds no AWS credentials of its own."""
    ws = workspace_factory(client)
    for name in CREDENTIAL_ENV:
        ws.env.pop(name, None)
    empty_config = tmp_path / "empty-aws-config"
    empty_config.write_text("")
    ws.env["AWS_CONFIG_FILE"] = str(empty_config)
    ws.env.update(env or {})
    ws.write("main.tf", PROVIDER_BLOCK + hcl)
    ws.init()
    return ws


def assert_gone(cw, name):
    with pytest.raises(ClientError) as e:
        cw.get_dashboard(DashboardName=name)
    assert e.value.response["Error"]["Code"] == "ResourceNotFound"


def apply_check_destroy(ws, emu, name):
    cw = emu.client("cloudwatch", session=emu.session(*emu.keys))
    ws.apply()
    assert cw.get_dashboard(DashboardName=name)["DashboardName"] == name
    ws.destroy()
    assert_gone(cw, name)


def test_named_profile_in_provider_block(client, workspace_factory, tmp_path, auth_emulator):
    emu = auth_emulator
    name = f"acc-cred-block-{client[0]}"
    creds = credentials_file(tmp_path, emu.keys, (emu.keys[0], "wrong-default-secret"))
    extra = f'  profile = "lsms-test"\n  shared_credentials_files = ["{creds}"]'
    ws = clean_workspace(workspace_factory, client, tmp_path,
                         provider_block(emu.url, extra) + dashboard(name))
    apply_check_destroy(ws, emu, name)


def test_named_profile_from_environment(client, workspace_factory, tmp_path, auth_emulator):
    emu = auth_emulator
    name = f"acc-cred-env-{client[0]}"
    creds = credentials_file(tmp_path, emu.keys, (emu.keys[0], "wrong-default-secret"))
    ws = clean_workspace(workspace_factory, client, tmp_path,
                         provider_block(emu.url, "") + dashboard(name),
                         env={"AWS_PROFILE": "lsms-test", "AWS_SHARED_CREDENTIALS_FILE": creds})
    apply_check_destroy(ws, emu, name)


def test_wrong_profile_is_refused(client, workspace_factory, tmp_path, auth_emulator):
    """The control: the same file with the profile's secret wrong fails, so
    the passing tests above really used the profile."""
    emu = auth_emulator
    name = f"acc-cred-wrong-{client[0]}"
    creds = credentials_file(tmp_path, (emu.keys[0], "wrong-profile-secret"), emu.keys)
    ws = clean_workspace(workspace_factory, client, tmp_path,
                         provider_block(emu.url, "") + dashboard(name),
                         env={"AWS_PROFILE": "lsms-test", "AWS_SHARED_CREDENTIALS_FILE": creds})
    r = ws.plan(check=False)
    assert r.returncode != 0 and "SignatureDoesNotMatch" in r.output, r.output
    assert "wrong-profile-secret" not in r.output


def test_trace_log_never_holds_secrets(client, workspace_factory, tmp_path, emulator):
    name = f"acc-cred-trace-{client[0]}"
    path = tmp_path / "credentials"
    path.write_text(f"[lsms-test]\naws_access_key_id = AKIALSMSTRACETEST001\n"
                    f"aws_secret_access_key = {SECRET}\naws_session_token = {TOKEN}\n")
    log = tmp_path / "trace.log"
    extra = f'  profile = "lsms-test"\n  shared_credentials_files = ["{path}"]'
    ws = clean_workspace(workspace_factory, client, tmp_path,
                         provider_block(emulator.url, extra) + dashboard(name),
                         env={"TF_LOG": "trace", "TF_LOG_PATH": str(log)})
    ws.apply()
    ws.destroy()
    text = log.read_text()
    assert SECRET not in text
    assert TOKEN not in text
    # The provider's own debug lines for the AWS calls are in the same log.
    for op in ("GetCallerIdentity", "PutDashboard", "GetDashboard", "DeleteDashboards"):
        line = re.compile(rf"\[DEBUG\] provider\.terraform-provider-lsms[^\n]*aws call:[^\n]*"
                          rf"operation={op}\b")
        assert line.search(text), op
    assert_gone(emulator.client("cloudwatch"), name)
