"""Secrets never reach the provider's log or a diagnostic (issue 8, issue 13).

Distinctive values for the AWS secret key, the session token, a channel's
pull password (URL_PULL input) and a distribution's explicit origin secret,
plus the origin secret the container generates (read from state), go through
apply, plan and destroy of all four resources with TF_LOG=trace and
TF_LOG_PATH; none may appear in the log file or in the client's output. Error
diagnostics are forced too: a channel whose CreateChannel the emulator
refuses (its pull password in play) and, in moto's auth mode, a wrong secret
key (SignatureDoesNotMatch) and a wrong session token.

The S3 example (examples/complete-s3, credentials and session token from the
environment as a user gives them) goes through the same: apply, plan, show
and a destroy that empties the bucket, with a URL_PULL password; then an
apply whose CreateChannel is refused, and the destroy after it.

Every test runs with each client found (OpenTofu, and Terraform when it is on
PATH). The resources are named after the client, and each client has its own
channel whose CreateChannel the emulator refuses (once per name).
"""

import json
import os
import shutil
import sys

import pytest

from fixture import Emulator
from harness import (EMULATOR_KEYS, PROVIDER_BLOCK, REPO, CommandFailed, emulator_env,
                     name_per_client, provider_for_emulator)

sys.path.insert(0, os.path.join(REPO, "tests", "tools"))
from emulator_inventory import inventory  # noqa: E402

SECRET_KEY = "SecretKey-lsms-5b0c1e-do-not-log"
SESSION_TOKEN = "SessionToken-lsms-77d2aa-do-not-log"
PULL_PASS = "PullPass-lsms-c4e91f-do-not-log"
ORIGIN_SECRET = "OriginSecret-lsms-0a8d3b-do-not-log"
FAILING_CHANNEL = name_per_client("sec-refused")


@pytest.fixture(scope="module")
def emulator():
    emu = Emulator(env={"LSMS_EMULATOR_MEDIALIVE_FAIL_CREATE_CHANNEL":
                            ",".join(FAILING_CHANNEL.values())})
    try:
        yield emu
    finally:
        emu.stop()


def provider_block(url, access_key=EMULATOR_KEYS[0], token=SESSION_TOKEN):
    """The provider block with SECRET_KEY, and the session token unless
    `token` is None."""
    extra = "" if token is None else f'  token = "{token}"'
    return PROVIDER_BLOCK + provider_for_emulator(url, extra, keys=(access_key, SECRET_KEY))


def all_four(name, channel=None):
    return f"""
resource "lsms_container" "c" {{
  name          = "{name}"
  force_destroy = true
}}

resource "lsms_channel" "ch" {{
  name               = "{channel or name}"
  input_type         = "URL_PULL"
  pull_url           = "https://example.com/live/index.m3u8"
  pull_user          = "viewer"
  pull_pass          = "{PULL_PASS}"
  container_endpoint = lsms_container.c.endpoint
}}

resource "lsms_distribution" "generated" {{
  origin_endpoint = lsms_container.c.endpoint
  origin_secret   = lsms_container.c.origin_secret
}}

resource "lsms_distribution" "explicit" {{
  origin_endpoint = lsms_container.c.endpoint
  origin_secret   = "{ORIGIN_SECRET}"
}}

resource "lsms_dashboard" "d" {{
  name            = "{name}-dash"
  container_name  = lsms_container.c.name
  distribution_id = lsms_distribution.generated.id
}}
"""


def traced_workspace(workspace_factory, client, tmp_path, hcl_text, name):
    log = tmp_path / f"{name}.log"
    ws = workspace_factory(client, env={"TF_LOG": "trace", "TF_LOG_PATH": str(log)})
    ws.write("main.tf", hcl_text)
    ws.init()
    return ws, log


def provider_lines(log):
    """The log lines the provider wrote (the client prefixes them with the
    plugin's name), so a failure points at the provider, not at the client."""
    with open(log, errors="replace") as f:
        return [l for l in f if "terraform-provider-lsms" in l]


def assert_absent(secrets, log, outputs):
    with open(log, errors="replace") as f:
        text = f.read()
    assert provider_lines(log), "the provider logged nothing at trace"
    for s in secrets:
        leaked = [l for l in provider_lines(log) if s in l]
        assert not leaked, leaked[:3]
        assert s not in text, f"{s} in the TF_LOG file"
        for out in outputs:
            assert s not in out, f"{s} in a diagnostic or output:\n{out}"


def test_secrets_stay_out_of_logs_and_diagnostics(client, workspace_factory, tmp_path,
                                                  emulator):
    ws, log = traced_workspace(workspace_factory, client, tmp_path,
                               provider_block(emulator.url) + all_four(f"sec-ok-{client[0]}"),
                               "lifecycle")
    outputs = [ws.apply("-auto-approve").output]
    state = json.loads(open(os.path.join(ws.path, "terraform.tfstate")).read())
    generated = [r["instances"][0]["attributes"]["origin_secret"] for r in state["resources"]
                 if r["type"] == "lsms_container"][0]
    assert generated and len(generated) >= 16
    # The secrets really were used: the explicit origin secret is the
    # distribution's User-Agent origin header, the pull password in SSM.
    cf = emulator.client("cloudfront")
    headers = [h for d in cf.list_distributions()["DistributionList"]["Items"]
               for o in d["Origins"]["Items"] for h in o["CustomHeaders"].get("Items", [])]
    assert {"HeaderName": "User-Agent", "HeaderValue": ORIGIN_SECRET} in headers
    assert {"HeaderName": "User-Agent", "HeaderValue": generated} in headers
    outputs.append(ws.plan().output)
    outputs.append(ws.run("show", "-no-color").output)
    outputs.append(ws.destroy("-auto-approve").output)
    assert_absent([SECRET_KEY, SESSION_TOKEN, PULL_PASS, ORIGIN_SECRET, generated], log, outputs)


def test_failed_create_diagnostic_holds_no_password(client, workspace_factory, tmp_path,
                                                    emulator):
    hcl_text = provider_block(emulator.url) + f"""
resource "lsms_channel" "ch" {{
  name               = "{FAILING_CHANNEL[client[0]]}"
  input_type         = "URL_PULL"
  pull_url           = "https://example.com/live/index.m3u8"
  pull_user          = "viewer"
  pull_pass          = "{PULL_PASS}"
  destination_bucket = "refused-origin"
}}
"""
    ws, log = traced_workspace(workspace_factory, client, tmp_path, hcl_text, "refused")
    with pytest.raises(CommandFailed) as e:
        ws.apply("-auto-approve")
    out = str(e.value)
    assert "UnprocessableEntityException" in out, out
    assert_absent([SECRET_KEY, SESSION_TOKEN, PULL_PASS], log, [out])


ALLOW_ALL = {"Version": "2012-10-17",
             "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


@pytest.fixture(scope="module")
def auth_emulator():
    emu = Emulator(env={"INITIAL_NO_AUTH_ACTION_COUNT": "3"})
    try:
        emu.access_key, _ = emu.create_user("sec", ALLOW_ALL)
        yield emu
    finally:
        emu.stop()


def test_auth_errors_hold_no_secret(client, workspace_factory, tmp_path, auth_emulator):
    emu = auth_emulator
    name = f"sec-auth-{client[0]}"
    ws, log = traced_workspace(workspace_factory, client, tmp_path,
                               provider_block(emu.url, emu.access_key) + all_four(name), "auth")
    r = ws.plan(check=False)
    assert r.returncode != 0
    # A long-term key with a session token is refused as an invalid token;
    # without the token the wrong secret is a signature mismatch.
    assert "InvalidClientTokenId" in r.output or "SignatureDoesNotMatch" in r.output, r.output
    outputs = [r.output]
    ws.write("main.tf", provider_block(emu.url, emu.access_key, token=None) + all_four(name))
    r = ws.plan(check=False)
    assert r.returncode != 0 and "SignatureDoesNotMatch" in r.output, r.output
    outputs.append(r.output)
    assert_absent([SECRET_KEY, SESSION_TOKEN, PULL_PASS, ORIGIN_SECRET], log, outputs)


S3_FAILING = name_per_client("sec-s3-refused")


@pytest.fixture(scope="module")
def s3_emulator():
    emu = Emulator(env={"LSMS_EMULATOR_MEDIALIVE_FAIL_CREATE_CHANNEL":
                            ",".join(S3_FAILING.values())})
    try:
        yield emu
    finally:
        emu.stop()


def traced_s3_example(workspace_factory, client, tmp_path, emu, name):
    """examples/complete-s3 with a pull password, the credentials (secret key
    and session token) in the environment, TF_LOG=trace into a file."""
    dest = tmp_path / f"examples-{name}"
    shutil.copytree(os.path.join(REPO, "examples"), dest,
                    ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
    log = tmp_path / f"{name}.log"
    ws = workspace_factory(client, env=dict(
        emulator_env(emu.url, keys=(EMULATOR_KEYS[0], SECRET_KEY)),
        AWS_SESSION_TOKEN=SESSION_TOKEN, TF_LOG="trace", TF_LOG_PATH=str(log)))
    ws.path = str(dest / "complete-s3")
    ws.write("terraform.tfvars", f'''name          = "{name}"
input_type    = "URL_PULL"
pull_url      = "https://example.com/live/index.m3u8"
pull_user     = "viewer"
pull_pass     = "{PULL_PASS}"
force_destroy = true
''')
    ws.init()
    return ws, log


def test_s3_example_keeps_secrets_out(client, workspace_factory, tmp_path, s3_emulator):
    emu = s3_emulator
    name = f"sec-s3-ok-{client[0]}"
    ws, log = traced_s3_example(workspace_factory, client, tmp_path, emu, name)
    outputs = [ws.apply().output]
    # The secrets were used: the password is the input's SecureString, and
    # the bucket holds segments for the destroy to empty.
    param = emu.client("ssm").get_parameter(Name=f"/lsms/channel/{name}/pull-password",
                                            WithDecryption=True)
    assert param["Parameter"]["Value"] == PULL_PASS
    bucket = ws.output()["bucket_name"]["value"]
    emu.client("s3").put_object(Bucket=bucket, Key="stream/index.m3u8", Body=b"#EXTM3U\n")
    outputs.append(ws.plan().output)
    outputs.append(ws.run("show", "-no-color").output)
    outputs.append(ws.destroy().output)
    assert not any(inventory(emu.url).values()), inventory(emu.url)
    assert_absent([SECRET_KEY, SESSION_TOKEN, PULL_PASS], log, outputs)


def test_s3_example_failure_holds_no_secret(client, workspace_factory, tmp_path, s3_emulator):
    emu = s3_emulator
    name = S3_FAILING[client[0]]
    ws, log = traced_s3_example(workspace_factory, client, tmp_path, emu, name)
    r = ws.apply(check=False)
    assert r.returncode != 0 and "UnprocessableEntityException" in r.output, r.output
    # The bucket and the distribution were made, the channel refused.
    assert [b for b in inventory(emu.url)["buckets"] if b.startswith(f"{name}-")]
    outputs = [r.output, ws.destroy().output]
    assert not any(inventory(emu.url).values()), inventory(emu.url)
    assert_absent([SECRET_KEY, SESSION_TOKEN, PULL_PASS], log, outputs)
