"""Drives real OpenTofu / Terraform binaries against the provider.

A `Workspace` is a temporary directory with a configuration, run with a CLI
config that installs lsms/lsms from the filesystem mirror `make install`
wrote, so `init` never touches the network. Every command's output is kept
for assertions and shown when a test fails.
"""

import collections
import functools
import json
import os
import shutil
import subprocess
import textwrap

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.path.join(REPO, "build")


# ---- the clients (the matrix: tests/acceptance/conftest.py) ----

# What a client can do that older ones cannot, by family and first version.
# A test that needs one says so with @pytest.mark.clients("<capability>").
CAPABILITY_SINCE = {
    "functions": {"terraform": (1, 8), "tofu": (1, 7)},     # provider functions
    "ephemeral": {"terraform": (1, 10), "tofu": (1, 11)},   # ephemeral resources
    "write_only": {"terraform": (1, 11), "tofu": (1, 11)},  # write-only attributes
    "identity": {"terraform": (1, 12), "tofu": (1, 12)},    # identity, import by identity
    "list": {"terraform": (1, 14)},                         # list resources, terraform query
    "actions": {"terraform": (1, 14)},                      # action blocks, apply -invoke
    # Terraform's own S3 state backend: every release has it; the Terraform
    # that tests/tools/terraform-client builds does not (the proxy does not
    # serve the nested module it lives in).
    "s3_backend": {"terraform": (0, 0), "tofu": (0, 0)},
}


class Client(collections.namedtuple("_Client", "name path")):
    """One client binary. Unpacks and indexes as (name, path), as the tests
    have always used it; also carries family ("tofu" or "terraform"),
    version (tuple of ints), capabilities (frozenset of CAPABILITY_SINCE
    keys) and newest (the newest client of its family: it runs every suite;
    an older one runs only the tests marked older_clients)."""

    def __new__(cls, name, path, family, version, capabilities, newest):
        self = super().__new__(cls, name, path)
        self.family = family
        self.version = version
        self.capabilities = frozenset(capabilities)
        self.newest = newest
        return self

    @property
    def label(self):
        return f"{'OpenTofu' if self.family == 'tofu' else 'Terraform'} " \
               f"{'.'.join(map(str, self.version))}"


def _client_version(path):
    out = subprocess.run([path, "version", "-json"], check=True, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True,
                         env=dict(os.environ, CHECKPOINT_DISABLE="1")).stdout
    # OpenTofu may print CLI-config warnings before the JSON; it answers with
    # the same key as Terraform.
    doc, _ = json.JSONDecoder().raw_decode(out[out.index("{"):])
    text = doc["terraform_version"]
    return tuple(int(p) for p in text.split("-")[0].split(".")[:3])


def _client(name, path, family, newest, without=()):
    version = _client_version(path)
    caps = {cap for cap, since in CAPABILITY_SINCE.items()
            if family in since and version >= since[family]} - set(without)
    return Client(name, path, family, version, caps, newest)


def _tool(script):
    return subprocess.run([os.path.join(REPO, "tests", "tools", script)], check=True,
                          stdout=subprocess.PIPE, text=True).stdout.strip().splitlines()[-1]


@functools.lru_cache(maxsize=None)
def available_clients():
    """(Client, ...) to test with, newest first per family (found once per
    process):
    - "tofu": OpenTofu (tests/tools/tofu-client; 1.12.6, built from the Go
      module proxy when missing);
    - "terraform": Terraform 1.16.4 (tests/tools/terraform-client, built the
      same way), the newest Terraform;
    - "tf111": the `terraform` on PATH (1.11.4 here), an older Terraform:
      only the tests marked older_clients run with it.
    LSMS_TEST_TOFU_ONLY=1 keeps OpenTofu alone; LSMS_TEST_CLIENTS=a,b keeps
    the named ones (e.g. "tofu,tf111" without building Terraform 1.16.4)."""
    only = os.environ.get("LSMS_TEST_CLIENTS")
    wanted = set(only.split(",")) if only else {"tofu", "terraform", "tf111"}
    if os.environ.get("LSMS_TEST_TOFU_ONLY") == "1":
        wanted = {"tofu"}
    clients = []
    if "tofu" in wanted:
        clients.append(_client("tofu", _tool("tofu-client"), "tofu", newest=True))
    if "terraform" in wanted:
        clients.append(_client("terraform", _tool("terraform-client"), "terraform", newest=True,
                               without=("s3_backend",)))
    path_terraform = shutil.which("terraform")
    if path_terraform and os.environ.get("LSMS_TEST_TOFU_ONLY") != "1":
        version = _client_version(path_terraform)
        # Named by its version ("tf111"): apart from the others in resource
        # names, also in their first two letters (some tests use those).
        name = f"tf{version[0]}{version[1]}"
        newest = "terraform" not in wanted
        if (not only or name in wanted) and \
                all(c.version != version for c in clients if c.family == "terraform"):
            clients.append(_client(name, path_terraform, "terraform", newest=newest))
    return tuple(clients)


def client_deselect_reason(client, item):
    """Why `item` (a collected test) must not run with `client`, or None.
    The rules of the matrix (conftest.py): an older client runs only tests
    marked older_clients; a test marked clients("cap", ...) runs only with
    clients having every capability named."""
    if not client.newest and item.get_closest_marker("older_clients") is None:
        return "older client: not in the older_clients sample"
    for mark in item.iter_markers("clients"):
        missing = set(mark.args) - client.capabilities
        unknown = set(mark.args) - set(CAPABILITY_SINCE)
        if unknown:
            raise ValueError(f"{item.nodeid}: unknown client capability {sorted(unknown)}")
        if missing:
            return f"{client.label} lacks {', '.join(sorted(missing))}"
    return None


def register_client_markers(config):
    config.addinivalue_line(
        "markers", "older_clients: also runs with the older clients (Terraform 1.11.4), "
                   "the sample proving they keep working")
    config.addinivalue_line(
        "markers", "clients(*capabilities): runs only with the clients that have every "
                   "capability named (harness.CAPABILITY_SINCE)")


def deselect_by_client(config, items):
    """pytest_collection_modifyitems for a suite with a `client` fixture:
    drops the (test, client) pairs the matrix excludes. They are reported as
    deselected, never as passed or skipped."""
    keep, drop = [], []
    for item in items:
        client = getattr(item, "callspec", None) and item.callspec.params.get("client")
        if isinstance(client, Client) and client_deselect_reason(client, item):
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def deal_out(scenarios, older_sample=()):
    """{scenario: Client} for suites too costly to run once per client (the
    playback scenarios, `make demo`): scenario i goes to the i-th of the
    clients allowed to run it, round robin, in available_clients' order
    (OpenTofu, Terraform 1.16.4, the older Terraform). The older client is
    allowed only the scenarios in `older_sample` (the matrix's rule, as for
    older_clients), so with the three clients each newest client plays its
    share and the older one what the sample names. With one client, it
    plays everything."""
    clients = available_clients()
    dealt = {}
    for i, scenario in enumerate(scenarios):
        allowed = [c for c in clients if c.newest or scenario in older_sample] or list(clients)
        dealt[scenario] = allowed[i % len(allowed)]
    return dealt


class _NamePerClient(dict):
    def __init__(self, prefix):
        super().__init__()
        self.prefix = prefix

    def __missing__(self, client_name):
        return f"{self.prefix}-{client_name}"


def name_per_client(prefix):
    """{client name: "<prefix>-<client name>"} for every client a test may run
    with: each names its resources apart, as the clients share an emulator."""
    names = _NamePerClient(prefix)
    for c in available_clients():
        names[c.name] = f"{prefix}-{c.name}"
    return names


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
