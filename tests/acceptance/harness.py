"""Drives real OpenTofu / Terraform binaries against the provider.

A `Workspace` is a temporary directory with a configuration, run with a CLI
config that installs lsms/lsms from the filesystem mirror `make install`
wrote, so `init` never touches the network. Every command's output is kept
for assertions and shown when a test fails.
"""

import json
import os
import shutil
import subprocess
import textwrap

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.path.join(REPO, "build")


def available_clients():
    """[(name, path)] of the clients to test with: tofu always (built from the
    Go module proxy when missing), terraform when it is on PATH."""
    clients = []
    tofu = subprocess.run(
        [os.path.join(REPO, "tests", "tools", "tofu-client")],
        check=True, stdout=subprocess.PIPE, text=True,
    ).stdout.strip().splitlines()[-1]
    clients.append(("tofu", tofu))
    if os.environ.get("LSMS_TEST_TOFU_ONLY") != "1":
        terraform = shutil.which("terraform")
        if terraform:
            clients.append(("terraform", terraform))
    return clients


def name_per_client(prefix):
    """{client name: "<prefix>-<client name>"} for both clients a test may run
    with: each names its resources apart, as the clients share an emulator."""
    return {c: f"{prefix}-{c}" for c in ("tofu", "terraform")}


def provider_build():
    """(make variables, build folder) of the provider under test: the
    development build by default; with LSMS_PLATFORM=linux_amd64 (make
    PLATFORM=...) the static release binary of build/static/<platform>.
    LSMS_BUILD names another build folder of either kind."""
    platform = os.environ.get("LSMS_PLATFORM", "")
    build = os.environ.get("LSMS_BUILD") or (f"build/static/{platform}" if platform else "build")
    return [f"BUILD={build}"] + ([f"PLATFORM={platform}"] if platform else []), build


def install_provider(dest):
    """Runs `make install` of the provider under test into `dest`; returns
    the CLI config path."""
    mirror = os.path.join(dest, "mirror")
    tfrc = os.path.join(dest, "lsms.tfrc")
    make_vars, _ = provider_build()
    subprocess.run(
        ["make", "-s", "-C", REPO, "install", *make_vars, f"MIRROR_DIR={mirror}",
         f"TFRC={tfrc}"],
        check=True, stdout=subprocess.DEVNULL,
    )
    return tfrc


class CommandFailed(AssertionError):
    pass


class Result:
    def __init__(self, args, proc):
        self.args = args
        self.returncode = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr

    @property
    def output(self):
        return self.stdout + self.stderr

    def __repr__(self):
        return f"<{' '.join(self.args)} rc={self.returncode}>\n{self.output}"


class Workspace:
    def __init__(self, client, path, tfrc, env=None):
        self.client_name, self.client = client
        self.path = path
        self.env = dict(os.environ)
        self.env.update({
            "TF_CLI_CONFIG_FILE": tfrc,
            "TF_IN_AUTOMATION": "1",
            "CHECKPOINT_DISABLE": "1",
            "TF_INPUT": "0",
        })
        self.env.update(env or {})
        os.makedirs(path, exist_ok=True)

    def write(self, name, text):
        with open(os.path.join(self.path, name), "w") as f:
            f.write(textwrap.dedent(text))

    def run(self, *args, check=True, timeout=600, extra_env=None):
        env = dict(self.env, **(extra_env or {}))
        cmd = [self.client, *args]
        proc = subprocess.run(cmd, cwd=self.path, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, timeout=timeout)
        result = Result([self.client_name, *args], proc)
        if check and proc.returncode != 0:
            raise CommandFailed(repr(result))
        return result

    def init(self):
        return self.run("init", "-no-color", "-input=false")

    def validate(self, check=True):
        return self.run("validate", "-no-color", check=check)

    def plan(self, *extra, check=True):
        return self.run("plan", "-no-color", "-input=false", *extra, check=check)

    def plan_exitcode(self, *extra):
        """0 = no changes, 2 = changes present (as -detailed-exitcode says)."""
        r = self.run("plan", "-no-color", "-input=false", "-detailed-exitcode", *extra,
                     check=False)
        if r.returncode not in (0, 2):
            raise CommandFailed(repr(r))
        return r.returncode, r

    def apply(self, *extra, check=True):
        return self.run("apply", "-no-color", "-input=false", "-auto-approve", *extra,
                        check=check)

    def destroy(self, *extra, check=True):
        return self.run("destroy", "-no-color", "-input=false", "-auto-approve", *extra,
                        check=check)

    def import_(self, address, resource_id, *extra, check=True):
        return self.run("import", "-no-color", "-input=false", *extra, address, resource_id,
                        check=check)

    def output(self):
        return json.loads(self.run("output", "-json").stdout)

    def state(self):
        return json.loads(self.run("show", "-json").stdout)

    def resource_values(self, address):
        state = self.state()
        resources = state.get("values", {}).get("root_module", {}).get("resources", [])
        for r in resources:
            if r["address"] == address:
                return r["values"]
        return None

    def providers_schema(self):
        return json.loads(self.run("providers", "schema", "-json").stdout)

    def reset_state(self):
        for name in ("terraform.tfstate", "terraform.tfstate.backup"):
            p = os.path.join(self.path, name)
            if os.path.exists(p):
                os.remove(p)


PROVIDER_BLOCK = """
terraform {
  required_providers {
    lsms = { source = "lsms/lsms" }
  }
}
"""


EMULATOR_SERVICES = ("cloudfront", "cloudwatch", "iam", "logs", "medialive", "mediastore", "s3",
                     "ssm", "sts")
EMULATOR_KEYS = ("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")


def emulator_env(url, keys=EMULATOR_KEYS):
    """The environment that points a configuration without a provider block
    (the examples) at the emulator, or a proxy in front of it, at `url`:
    AWS_ENDPOINT_URL and `keys` (an IAM user's in moto's auth mode)."""
    access_key, secret_key = keys
    return {"AWS_ENDPOINT_URL": url, "AWS_ACCESS_KEY_ID": access_key,
            "AWS_SECRET_ACCESS_KEY": secret_key, "AWS_REGION": "us-east-1"}


def provider_for_emulator(url, extra="", keys=EMULATOR_KEYS, services=EMULATOR_SERVICES):
    """A provider block pointing `services` (every one by default) at the
    emulator, signing with `keys` (an IAM user's in moto's auth mode; None:
    no keys in the block, the provider finds credentials as it does for a
    user), with `extra` lines inside the block."""
    endpoints = "\n".join(f'    {s} = "{url}"' for s in services)
    key_lines = "" if keys is None else \
        f'  access_key = "{keys[0]}"\n  secret_key = "{keys[1]}"\n'
    return f"""
provider "lsms" {{
  region     = "us-east-1"
{key_lines}  endpoints {{
{endpoints}
  }}
{extra}
}}
"""
