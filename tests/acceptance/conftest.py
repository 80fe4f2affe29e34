import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "emulator"))

import harness  # noqa: E402
from fixture import Emulator  # noqa: E402

CLIENTS = harness.available_clients()


@pytest.fixture(scope="session")
def tfrc(tmp_path_factory):
    return harness.install_provider(str(tmp_path_factory.mktemp("install")))


@pytest.fixture(params=CLIENTS, ids=[c[0] for c in CLIENTS])
def client(request):
    """(name, path) of one client: every end-to-end test runs with each one
    found (OpenTofu always, Terraform when it is on PATH)."""
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
