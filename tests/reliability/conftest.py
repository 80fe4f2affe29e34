"""Fixtures of the reliability suite: the provider installed once, the
clients (OpenTofu 1.12.6 and Terraform 1.16.4, the newest of each family:
`client` runs a test with each; tests/acceptance/conftest.py has the matrix),
and helpers to run an example through tests/tools/faultproxy.py.

Sharing with the acceptance suite: harness.py (Workspace, install_provider)
and the emulator fixture are imported from their directories.
"""

import json
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
for sub in ("acceptance", "emulator", "tools"):
    sys.path.insert(0, os.path.join(REPO, "tests", sub))
sys.path.insert(0, HERE)

import harness  # noqa: E402

CLIENTS = harness.available_clients()


def pytest_configure(config):
    harness.register_client_markers(config)


def pytest_collection_modifyitems(config, items):
    # The matrix of tests/acceptance/conftest.py: the reliability suite runs
    # with the newest client of each family (OpenTofu 1.12.6, Terraform
    # 1.16.4); none of its tests is in the older_clients sample.
    harness.deselect_by_client(config, items)


def pytest_addoption(parser):
    parser.addoption("--soak", action="store_true",
                     help="long versions: every call index, every input type (make soak)")


@pytest.fixture(scope="session")
def soak(request):
    return request.config.getoption("--soak")


@pytest.fixture(scope="session")
def tfrc(tmp_path_factory):
    return harness.install_provider(str(tmp_path_factory.mktemp("install")))


@pytest.fixture(scope="module", params=CLIENTS, ids=[c.name for c in CLIENTS])
def client(request):
    """One client (harness.Client, unpacks as (name, path)); module-scoped so
    that a module-scoped stack is made per client (a module's tests run
    client by client)."""
    return request.param


@pytest.fixture(scope="session")
def clients():
    """The clients this suite runs with (the newest of each family), in the
    order `client` takes them: the tests that split a sample between the
    clients deal it out in this order."""
    return [c for c in CLIENTS if c.newest]


def _summary_line(name, doc):
    if name.startswith("fault-steps-"):
        return (f"{name}: clean apply {doc['clean_apply_calls']} calls, clean destroy "
                f"{doc['clean_destroy_calls']} calls; {doc['indexes_tested']} {doc['phase']} "
                f"call indexes failed one by one ({doc['runs_failed_by_fault']} runs failed); "
                f"indexes with orphans or no convergence: {doc['failing_indexes'] or 'none'}")
    if name.startswith("throttling"):
        retries = sum(s["retries_logged"] for s in doc["steps"].values())
        return (f"{name}: {doc['calls']} calls, {doc['throttled']} throttled, "
                f"{retries} retries in the provider log")
    if name.startswith("stop-"):
        return f"{name}: StopProvider to exit {doc['latency_s']:.3f} s"
    if name.startswith("concurrency"):
        return f"{name}: " + ", ".join(f"{k} {v}" for k, v in doc.items())
    return f"{name}: {json.dumps(doc)[:200]}"


def pytest_terminal_summary(terminalreporter):
    """Under `make soak`: one line of figures per report written."""
    out = os.environ.get("LSMS_RELIABILITY_REPORT_DIR")
    if not out or not os.path.isdir(out):
        return
    terminalreporter.section("reliability figures")
    for name in sorted(os.listdir(out)):
        if name.endswith(".json"):
            with open(os.path.join(out, name)) as f:
                doc = json.load(f)
            terminalreporter.write_line(_summary_line(name[:-5], doc))
