"""50 resources (25 containers, 25 dashboards) applied with -parallelism=16:
no crash, all 50 exist (boto3), the plan after is empty and destroy leaves
nothing. The same scenario runs with the ThreadSanitizer build of the
provider (make SAN=thread, build/tsan or $LSMS_TSAN_BUILD), which must report
no data race: TSAN_OPTIONS halt_on_error=1 with a log file per process,
suppressions limited to third-party frames in tests/tools/tsan.supp.
Both run with each client found (OpenTofu, and Terraform when it is on PATH),
each with an emulator of its own.
"""

import glob
import os
import subprocess
import time

import pytest

import harness
from fixture import Emulator
from stack import report

COUNT = 25
TSAN_SUPP = os.path.join(harness.REPO, "tests", "tools", "tsan.supp")


def config(url):
    return harness.PROVIDER_BLOCK + harness.provider_for_emulator(url) + f"""
resource "lsms_container" "c" {{
  count = {COUNT}
  name  = "conc-${{count.index}}"
  tags  = {{ index = tostring(count.index) }}
}}

# Independent of the containers (a literal container name), so all 50
# creates can run at once.
resource "lsms_dashboard" "d" {{
  count          = {COUNT}
  name           = "conc-dash-${{count.index}}"
  container_name = "conc-${{count.index}}"
}}
"""


@pytest.fixture(scope="module")
def tsan_tfrc(tmp_path_factory):
    dest = str(tmp_path_factory.mktemp("tsan-install"))
    build = os.environ.get("LSMS_TSAN_BUILD", "build/tsan")
    tfrc = os.path.join(dest, "lsms.tfrc")
    subprocess.run(["make", "-s", "-C", harness.REPO, "install", "SAN=thread", f"BUILD={build}",
                    f"MIRROR_DIR={os.path.join(dest, 'mirror')}", f"TFRC={tfrc}"],
                   check=True, stdout=subprocess.DEVNULL)
    binaries = glob.glob(os.path.join(dest, "mirror", "**", "terraform-provider-lsms*"),
                         recursive=True)
    assert binaries
    for path in binaries:  # really the instrumented build, or the test proves nothing
        with open(path, "rb") as f:
            assert b"__tsan_init" in f.read(), path
    return tfrc


@pytest.fixture
def emulator():
    emu = Emulator()
    yield emu
    emu.stop()


def run_scenario(ws, emulator, env=None):
    """Returns the apply's wall time in seconds."""
    ws.write("main.tf", config(emulator.url))
    ws.init()
    t0 = time.monotonic()
    ws.run("apply", "-no-color", "-input=false", "-auto-approve", "-parallelism=16",
           extra_env=env)
    seconds = time.monotonic() - t0
    ms, cw = emulator.client("mediastore"), emulator.client("cloudwatch")
    containers = {c["Name"] for c in ms.list_containers()["Containers"]}
    dashboards = {d["DashboardName"] for d in cw.list_dashboards()["DashboardEntries"]}
    assert containers == {f"conc-{i}" for i in range(COUNT)}, containers
    assert dashboards == {f"conc-dash-{i}" for i in range(COUNT)}, dashboards
    r = ws.run("plan", "-no-color", "-input=false", "-detailed-exitcode", "-parallelism=16",
               check=False, extra_env=env)
    assert r.returncode == 0, r.output
    ws.run("destroy", "-no-color", "-input=false", "-auto-approve", "-parallelism=16",
           extra_env=env)
    assert not ms.list_containers()["Containers"]
    assert not cw.list_dashboards()["DashboardEntries"]
    return seconds


def test_fifty_resources_in_parallel(client, tfrc, tmp_path, emulator):
    ws = harness.Workspace(client, str(tmp_path / "ws"), tfrc)
    seconds = run_scenario(ws, emulator)
    report(f"concurrency-{client[0]}", {"resources": 2 * COUNT, "parallelism": 16,
                                        "apply_seconds": round(seconds, 1)}, tmp_path)


def test_fifty_resources_under_thread_sanitizer(client, tsan_tfrc, tmp_path, emulator):
    logs = tmp_path / "tsan"
    logs.mkdir()
    halt = os.environ.get("LSMS_TSAN_HALT", "1")  # 0: collect every report of a run
    env = {"TSAN_OPTIONS": f"halt_on_error={halt} second_deadlock_stack=1 "
                           f"ignore_noninstrumented_modules=1 "
                           f"log_path={logs}/tsan suppressions={TSAN_SUPP}"}
    ws = harness.Workspace(client, str(tmp_path / "ws"), tsan_tfrc, env)
    seconds = None
    try:
        seconds = run_scenario(ws, emulator)
    finally:
        reports = []
        for path in glob.glob(str(logs / "tsan*")):
            with open(path, errors="replace") as f:
                text = f.read()
            if "WARNING: ThreadSanitizer" in text or "ERROR: ThreadSanitizer" in text:
                reports.append(f"{path}:\n{text[:6000]}")
    report(f"concurrency-tsan-{client[0]}", {"resources": 2 * COUNT, "parallelism": 16,
                                             "apply_seconds": seconds and round(seconds, 1),
                                             "tsan_reports": len(reports)}, tmp_path)
    assert not reports, "\n\n".join(reports)
