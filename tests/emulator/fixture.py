"""pytest fixtures for the lsms emulator, importable by any test suite.

    import sys; sys.path.insert(0, "<repo>/tests/emulator")
    from fixture import emulator          # module-scoped pytest fixture

    def test_x(emulator):
        ms = emulator.client("mediastore")
        ...

`Emulator` starts one emulator through tests/emulator/start (so tests run
exactly what `make demo` runs) and stops it through tests/emulator/stop.
Sessions use region us-east-1 and dummy credentials; clients get the
emulator's URL as endpoint_url.
"""

import json
import os
import subprocess

import boto3
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REGION = "us-east-1"
DUMMY_ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
DUMMY_SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


class Emulator:
    """One running emulator. `env` adds to the environment it starts with
    (e.g. {"INITIAL_NO_AUTH_ACTION_COUNT": "3"})."""

    def __init__(self, env=None, port=0):
        self.env = dict(os.environ, **(env or {}))
        out = subprocess.run(
            [os.path.join(HERE, "start"), str(port)],
            env=self.env,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        ).stdout
        self.url = out.strip().splitlines()[-1]
        self.port = int(self.url.rsplit(":", 1)[1])
        root = self.env.get("LSMS_EMULATOR_DIR") or f"/tmp/lsms-emulator-{os.getuid()}"
        self.state_dir = os.path.join(root, str(self.port))

    def stop(self):
        subprocess.run([os.path.join(HERE, "stop"), str(self.port)], env=self.env, check=True)

    def session(self, access_key=DUMMY_ACCESS_KEY, secret_key=DUMMY_SECRET_KEY, region=REGION):
        """A boto3 Session with the given (by default dummy) credentials."""
        return boto3.Session(
            aws_access_key_id=access_key, aws_secret_access_key=secret_key, region_name=region
        )

    def client(self, service, session=None, **kwargs):
        """A boto3 client for `service` whose endpoint is the emulator."""
        kwargs.setdefault("endpoint_url", self.url)
        return (session or self.session()).client(service, **kwargs)

    def create_user(self, name, policy, session=None):
        """Creates IAM user `name` with `policy` (a dict) as its inline policy
        and an access key; returns (access key id, secret). In auth mode this
        spends unauthenticated actions, or runs as `session`."""
        iam = self.client("iam", session=session)
        iam.create_user(UserName=name)
        iam.put_user_policy(UserName=name, PolicyName="policy",
                            PolicyDocument=json.dumps(policy))
        key = iam.create_access_key(UserName=name)["AccessKey"]
        return key["AccessKeyId"], key["SecretAccessKey"]

    def request_log(self):
        """Every request served so far: [{"service", "operation", "status"}]."""
        with open(os.path.join(self.state_dir, "requests.jsonl")) as f:
            return [json.loads(line) for line in f if line.strip()]


def code_of(excinfo):
    """(error code, HTTP status) of the botocore ClientError in a
    pytest.raises excinfo."""
    return excinfo.value.response["Error"]["Code"], \
        excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"]


@pytest.fixture(scope="module")
def emulator():
    emu = Emulator()
    try:
        yield emu
    finally:
        emu.stop()
