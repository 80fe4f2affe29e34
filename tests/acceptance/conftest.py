"""
The client matrix (harness.available_clients, harness.CAPABILITY_SINCE)
=======================================================================

Three clients, each test id ending in the client's name:

| name        | client            | where from                        | runs                    |
|-------------|-------------------|-----------------------------------|-------------------------|
| `tofu`      | OpenTofu 1.12.6   | tests/tools/tofu-client (cached)  | every suite             |
| `terraform` | Terraform 1.16.4  | tests/tools/terraform-client      | every suite             |
| `tf111`     | Terraform 1.11.4  | `terraform` on PATH               | the older_clients sample|

- The newest client of each family (OpenTofu 1.12.6, Terraform 1.16.4) runs
  the full acceptance, reliability and example suites.
- The older Terraform runs only the tests marked `@pytest.mark.older_clients`:
  the sample that proves clients without the newer protocol keep working
  (schema from an offline mirror, a plan of every resource, the examples'
  module test suite (apply, plan, destroy) and multi-stream, import of every
  resource, write-only attributes, the remote state backend).
- A feature a client lacks is tested only with the clients that have it:
  `@pytest.mark.clients("identity")` (any of functions, ephemeral, write_only,
  identity, list, actions, s3_backend) keeps the clients having every
  capability named. With older_clients too, an older client that has it runs
  it as well.
- Pairs the matrix excludes are deselected at collection (pytest reports them
  as deselected, never as passed or skipped).

What each client supports: functions (all three); ephemeral resources and
write-only attributes (all three); identity and import by identity (tofu,
terraform); list resources, `terraform query` and actions (terraform only);
Terraform's S3 state backend (tofu, tf111: the Terraform built from the module
proxy lacks it).

Selecting: LSMS_TEST_CLIENTS=tofu,tf111 (names, comma separated; the older
Terraform then runs everything when Terraform 1.16.4 is left out),
LSMS_TEST_TOFU_ONLY=1. Names per client in resources: harness.name_per_client.
"""
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "emulator"))

import harness  # noqa: E402
from fixture import Emulator  # noqa: E402

CLIENTS = harness.available_clients()


def pytest_configure(config):
    harness.register_client_markers(config)


def pytest_collection_modifyitems(config, items):
    harness.deselect_by_client(config, items)


@pytest.fixture(scope="session")
def tfrc(tmp_path_factory):
    return harness.install_provider(str(tmp_path_factory.mktemp("install")))


@pytest.fixture(params=CLIENTS, ids=[c.name for c in CLIENTS])
def client(request):
    """One client (harness.Client: unpacks as (name, path), with .family,
    .version, .capabilities): each end-to-end test runs with the clients the
    matrix above selects for it."""
    return request.param


@pytest.fixture
def workspace_factory(tmp_path, tfrc):
    counter = [0]

    def make(client, env=None):
        counter[0] += 1
        return harness.Workspace(client, str(tmp_path / f"ws{counter[0]}"), tfrc, env)

    return make


@pytest.fixture(scope="module")
def emulator():
    emu = Emulator()
    try:
        yield emu
    finally:
        emu.stop()
