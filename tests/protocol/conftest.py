"""Protocol tests talk to the built provider binary; nothing is built here.

Run: make test-protocol (or make && make fixture && $(tests/tools/venv) -m pytest tests/protocol)
Against another build: LSMS_PROVIDER_BIN=build/asan/terraform-provider-lsms
LSMS_FIXTURE_BIN=build/asan/tests/terraform-provider-lsms-fixture.

Two binaries: the provider, and the fixture provider (fixture_provider.c: the
same framework, protocol layer and plugin host with a file-backed resource
that has an identity, a list and generated configuration, a data source, a
function and an action) for the generic machinery.
"""
import os
import pathlib

import pytest

from plugin_client import ClientCert, Provider

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def provider_bin():
    path = os.environ.get("LSMS_PROVIDER_BIN", str(ROOT / "build" / "terraform-provider-lsms"))
    if not os.access(path, os.X_OK):
        pytest.fail("provider binary %s not found: run make first (or set LSMS_PROVIDER_BIN)" % path)
    return path


@pytest.fixture(scope="session")
def client_cert():
    return ClientCert()


@pytest.fixture
def provider(provider_bin, client_cert):
    with Provider(provider_bin, client=client_cert) as p:
        yield p


@pytest.fixture
def start_provider(provider_bin, client_cert):
    """Factory for tests that need special settings or several processes."""
    started = []

    def start(**kwargs):
        kwargs.setdefault("client", client_cert)
        p = Provider(provider_bin, **kwargs)
        started.append(p)
        p.start()
        return p

    yield start
    for p in started:
        p.close()


@pytest.fixture(scope="session")
def fixture_bin(provider_bin):
    default = os.path.join(os.path.dirname(provider_bin), "tests",
                           "terraform-provider-lsms-fixture")
    path = os.environ.get("LSMS_FIXTURE_BIN", default)
    if not os.access(path, os.X_OK):
        pytest.fail("fixture provider %s not found: run make fixture (or set LSMS_FIXTURE_BIN)"
                    % path)
    return path


@pytest.fixture
def store(tmp_path):
    """The fixture provider's object store (one file per object)."""
    d = tmp_path / "store"
    d.mkdir()
    return d


@pytest.fixture
def fixture_provider(fixture_bin, client_cert, store):
    with Provider(fixture_bin, client=client_cert, env={"LSMS_FIXTURE_DIR": str(store)}) as p:
        yield p


@pytest.fixture
def start_fixture(fixture_bin, client_cert, store):
    """Factory: a fixture provider with extra environment (e.g. a bug switch)."""
    started = []

    def start(**env):
        p = Provider(fixture_bin, client=client_cert,
                     env={"LSMS_FIXTURE_DIR": str(store), **env})
        started.append(p)
        p.start()
        return p

    yield start
    for p in started:
        p.close()
