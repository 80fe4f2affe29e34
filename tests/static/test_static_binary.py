"""Issue 21: the release binary needs no shared library at all, and starts.

Each platform's binary (from `make release PLATFORM=<p>`) has no NEEDED entry
and no program interpreter, is built for the right machine, completes the
go-plugin handshake and answers GetProviderSchema — linux_arm64 under
qemu-user. The checks are shown to fail on a binary that does need shared
libraries (the host's own /bin/sh), so they cannot pass by accident.
"""
import os
import sys
import zipfile

import staticlib

sys.path.insert(0, os.path.join(staticlib.REPO, "tests", "protocol"))
import plugin_client  # noqa: E402

MACHINE = {"linux_amd64": "Advanced Micro Devices X86-64", "linux_arm64": "AArch64"}


def released_binary(release_dir, platform):
    """The binary inside the release's zip of `platform`, extracted."""
    zips = [f for f in os.listdir(release_dir) if f.endswith(f"_{platform}.zip")]
    assert len(zips) == 1, os.listdir(release_dir)
    with zipfile.ZipFile(os.path.join(release_dir, zips[0])) as zf:
        (entry,) = zf.namelist()
        out = os.path.join(release_dir, "extracted-" + platform)
        zf.extract(entry, out)
        path = os.path.join(out, entry)
        os.chmod(path, 0o755)
        return path


def test_checks_catch_a_dynamic_binary():
    sh = os.path.realpath("/bin/sh")
    assert staticlib.needed(sh), "the host's shell should need libc"
    assert staticlib.interpreter(sh)


def test_release_binary_needs_no_shared_library(platform, release, binary):
    path = released_binary(release, platform)
    with open(path, "rb") as a, open(binary, "rb") as b:
        assert a.read() == b.read(), "the zip does not hold the static build"
    assert staticlib.needed(path) == []
    assert staticlib.interpreter(path) is None
    assert staticlib.machine(path) == MACHINE[platform]
    # No dynamic section at all: nothing for a loader to do.
    assert "There is no dynamic section" in staticlib.readelf(path, "-d")


def test_handshake_and_schema(platform, binary):
    """tofu's first steps with the binary: handshake (AutoMTLS) and
    GetProviderSchema over mTLS (under qemu for another architecture)."""
    cert = plugin_client.ClientCert()
    with plugin_client.Provider(binary, client=cert, env={"TF_LOG": ""}) as p:
        assert p.handshake.app == "6", p.handshake
        ch = p.channel()
        schema = p.unary(ch, plugin_client.GET_PROVIDER_SCHEMA, b"", timeout=60)
        for resource in (b"lsms_bucket", b"lsms_channel", b"lsms_distribution",
                         b"lsms_dashboard", b"lsms_container"):
            assert resource in schema
