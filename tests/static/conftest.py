"""Fixtures of the static-binary suite (tests/static, README.md beside it).

The platforms tested are LSMS_STATIC_PLATFORMS (default linux_amd64; make
test-static-arm64 gives linux_arm64): each one's release is made with `make
release PLATFORM=<p>` (built when missing), and its tofu is a static one
(CGO_ENABLED=0) of the same architecture, built by tests/tools/tofu-client.
linux_arm64 runs under qemu-user (Debian's qemu-user-static), registered
with binfmt_misc so that tofu can exec the provider as it would natively.
"""
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(REPO, "tests", "acceptance"))
sys.path.insert(0, os.path.join(REPO, "tests", "emulator"))
sys.path.insert(0, os.path.join(REPO, "tests", "tools"))

import staticlib  # noqa: E402
from fixture import Emulator  # noqa: E402

PLATFORMS = [p for p in os.environ.get("LSMS_STATIC_PLATFORMS", "linux_amd64").split(",") if p]


def pytest_generate_tests(metafunc):
    if "platform" in metafunc.fixturenames:
        metafunc.parametrize("platform", PLATFORMS, scope="session")


@pytest.fixture(scope="session")
def release(platform, tmp_path_factory):
    """The release directory of `platform` (make release PLATFORM=...)."""
    dest = str(tmp_path_factory.mktemp("release-" + platform))
    staticlib.make_release(platform, dest)
    return dest


@pytest.fixture(scope="session")
def binary(platform):
    path = staticlib.static_binary(platform)
    assert os.path.exists(path), path
    if platform != staticlib.HOST_PLATFORM:
        staticlib.ensure_binfmt(platform)
    return path


@pytest.fixture(scope="session")
def tofu(platform):
    """A static tofu of the platform's architecture."""
    path = staticlib.static_tofu(platform)
    if platform != staticlib.HOST_PLATFORM:
        staticlib.ensure_binfmt(platform)
    return path


@pytest.fixture(scope="module")
def emulator():
    emu = Emulator()
    try:
        yield emu
    finally:
        emu.stop()
