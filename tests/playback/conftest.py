"""Fixtures of the playback suite: one emulator, the provider installed once,
one headless Chromium. The scenarios are dealt out between the clients found
(harness.deal_out; test_playback.py says how)."""

import json
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
for sub in ("acceptance", "emulator", "tools"):
    sys.path.insert(0, os.path.join(REPO, "tests", sub))
sys.path.insert(0, HERE)

import harness  # noqa: E402
from fixture import Emulator  # noqa: E402
from player import ARTIFACTS, Browser  # noqa: E402


@pytest.fixture(scope="session")
def tfrc(tmp_path_factory):
    return harness.install_provider(str(tmp_path_factory.mktemp("install")))


@pytest.fixture(scope="session")
def emulator():
    emu = Emulator()
    try:
        yield emu
    finally:
        emu.stop()


@pytest.fixture(scope="session")
def browser():
    dist = subprocess.run([os.path.join(REPO, "tests", "tools", "hlsjs")], check=True,
                          stdout=subprocess.PIPE, text=True).stdout.strip().splitlines()[-1]
    b = Browser(dist)
    try:
        yield b
    finally:
        b.close()


@pytest.fixture(scope="session")
def figures():
    """Measurements the scenarios record ({name: value}); written to
    build/playback/figures.json at the end of the session."""
    found = {}
    yield found
    os.makedirs(ARTIFACTS, exist_ok=True)
    with open(os.path.join(ARTIFACTS, "figures.json"), "w") as f:
        json.dump(found, f, indent=2, sort_keys=True)
