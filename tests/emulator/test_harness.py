"""tests/emulator/start and stop: URL on the last line, state directory,
explicit port, stop by URL or all, nothing left running.

Each test uses its own LSMS_EMULATOR_DIR so that `stop` without arguments
cannot reach emulators other test runs started.
"""

import os
import socket
import subprocess
import urllib.request

import pytest

from fixture import HERE, Emulator


def running(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            return "\nState:\tZ" not in f.read()
    except FileNotFoundError:
        return False


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def state_root(tmp_path):
    return str(tmp_path / "emulators")


def test_start_on_given_port_and_stop_by_url(state_root):
    port = free_port()
    emu = Emulator(env={"LSMS_EMULATOR_DIR": state_root}, port=port)
    assert emu.url == f"http://127.0.0.1:{port}"
    state = os.path.join(state_root, str(port))
    assert emu.state_dir == state
    pid = int(open(os.path.join(state, "pid")).read())
    assert running(pid)
    assert open(os.path.join(state, "url")).read().strip() == emu.url
    urllib.request.urlopen(emu.url + "/moto-api/data.json", timeout=5)
    assert os.path.exists(os.path.join(state, "server.log"))
    subprocess.run([os.path.join(HERE, "stop"), emu.url], env=emu.env, check=True)
    assert not running(pid)
    assert not os.path.exists(state)


def test_stop_without_argument_stops_all(state_root):
    env = {"LSMS_EMULATOR_DIR": state_root}
    emus = [Emulator(env=env), Emulator(env=env)]
    assert emus[0].port != emus[1].port
    pids = [int(open(os.path.join(e.state_dir, "pid")).read()) for e in emus]
    subprocess.run([os.path.join(HERE, "stop")], env=emus[0].env, check=True)
    assert not any(running(p) for p in pids)
    assert os.listdir(state_root) == []


def test_start_refuses_a_busy_port(state_root):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        busy = s.getsockname()[1]
        result = subprocess.run(
            [os.path.join(HERE, "start"), str(busy)],
            env=dict(os.environ, LSMS_EMULATOR_DIR=state_root),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert result.returncode != 0
    assert "exited before serving" in result.stderr
    assert result.stdout == ""


def test_cloudfront_in_progress_reads_is_configurable(state_root):
    from test_emulator import distribution_config

    emu = Emulator(env={"LSMS_EMULATOR_DIR": state_root, "LSMS_EMULATOR_CF_INPROGRESS_READS": "0"})
    try:
        cf = emu.client("cloudfront")
        created = cf.create_distribution(DistributionConfig=distribution_config("zero-reads"))
        assert created["Distribution"]["Status"] == "InProgress"
        assert cf.get_distribution(Id=created["Distribution"]["Id"])["Distribution"]["Status"] == "Deployed"
    finally:
        emu.stop()
