"""Fixtures of the reliability suite: the provider installed once, the tofu
client, and helpers to run an example through tests/tools/faultproxy.py.

Sharing with the acceptance suite: harness.py (Workspace, install_provider)
and the emulator fixture are imported from their directories.
"""

import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
for sub in ("acceptance", "emulator", "tools"):
    sys.path.insert(0, os.path.join(REPO, "tests", sub))
sys.path.insert(0, HERE)

import harness  # noqa: E402


def pytest_addoption(parser):
    parser.addoption("--soak", action="store_true",
                     help="long versions: every call index, every input type (make soak)")


@pytest.fixture(scope="session")
def soak(request):
    return request.config.getoption("--soak")


@pytest.fixture(scope="session")
def tfrc(tmp_path_factory):
    return harness.install_provider(str(tmp_path_factory.mktemp("install")))


@pytest.fixture(scope="session")
def tofu():
    return next(c for c in harness.available_clients() if c[0] == "tofu")
