"""Protocol tests talk to the built provider binary; nothing is built here.

Run: make && $(tests/tools/venv) -m pytest tests/protocol
Against another build: LSMS_PROVIDER_BIN=build/asan/terraform-provider-lsms.
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
