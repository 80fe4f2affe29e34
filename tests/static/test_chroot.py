"""Issue 21 proof: the release binary works on a machine that has nothing.

A chroot holds only the release's filesystem mirror (the zip `make release`
wrote), a static tofu of the same architecture, the host's CA bundle,
/etc/resolv.conf, /dev/null and /tmp: no /lib, no /usr, no loader, no NSS.
Inside it, `tofu init` installs lsms/lsms from the mirror, applies
examples/complete-s3 against the emulator, plans again (empty) and
destroys; boto3 checks what exists after each step. The emulator is named
lsms-emulator in AWS_ENDPOINT_URL (one label: moto then takes S3 buckets from
the path, as the provider sends them): the provider resolves it through
/etc/resolv.conf (musl's resolver; the suite's DNS server answers
127.0.0.1), so DNS works without NSS too. linux_arm64 runs the same with
an arm64 tofu and provider under qemu-user.
"""
import os
import shutil

import pytest

import staticlib

HOST_CA = "/etc/ssl/certs/ca-certificates.crt"


@pytest.fixture
def dns():
    server = staticlib.DnsServer()
    yield server
    server.close()


def test_complete_s3_in_an_empty_chroot(platform, release, tofu, binary, emulator, dns,
                                        tmp_path):
    examples = tmp_path / "examples"
    shutil.copytree(os.path.join(staticlib.REPO, "examples"), examples,
                    ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
    root = staticlib.tofu_root(str(tmp_path / "root"), tofu, release, str(examples))
    root.put("/etc/ssl/certs/ca-certificates.crt", HOST_CA)
    files = root.files()
    assert not [f for f in files if f.startswith(("/lib", "/usr", "/bin/sh"))], files
    assert [f for f in files if f.startswith("/bin/")] == ["/bin/tofu"], files

    endpoint = f"http://lsms-emulator:{emulator.port}"
    env = staticlib.tofu_env({"AWS_ENDPOINT_URL": endpoint})
    work = "/work/complete-s3"
    name = f"chroot-{platform.replace('_', '-')}"
    args = [f"-var=name={name}", "-no-color", "-input=false"]

    r = staticlib.check(root.run(["/bin/tofu", "init", "-no-color", "-input=false"], work, env),
                        "tofu init")
    assert "Installed lsms/lsms v" in r.stdout, r.stdout
    installed = root.host(f"{work}/.terraform/providers/registry.opentofu.org/lsms/lsms")
    (version,) = os.listdir(installed)
    # (OpenTofu keeps a <platform>.lock file beside the package.)
    assert os.path.isdir(os.path.join(installed, version, platform)), os.listdir(installed)

    staticlib.check(root.run(["/bin/tofu", "apply", "-auto-approve", *args], work, env),
                    "tofu apply")
    found = staticlib.inventory(emulator.url)
    assert len(found["buckets"]) == 1 and found["buckets"][0].startswith(name), found
    assert len(found["channels"]) == 1 and len(found["inputs"]) == 1, found
    assert len(found["distributions"]) == 1 and len(found["origin_access_controls"]) == 1, found
    assert found["dashboards"] == [f"{name}-live-streaming"], found
    # The provider found the emulator by name, through /etc/resolv.conf.
    assert ("lsms-emulator", 1) in dns.questions, dns.questions

    r = root.run(["/bin/tofu", "plan", "-detailed-exitcode", *args], work, env)
    assert r.returncode == 0, f"second plan not empty:\n{r.stdout}\n{r.stderr}"

    staticlib.check(root.run(["/bin/tofu", "destroy", "-auto-approve", *args], work, env),
                    "tofu destroy")
    left = staticlib.inventory(emulator.url)
    assert not any(left.values()), staticlib.dump(left)
