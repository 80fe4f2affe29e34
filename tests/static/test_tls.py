"""Issue 21 proof: the static binary brings no TLS configuration of the
host, and trusts what the machine it runs on trusts.

The emulator is served over HTTPS by a TLS-terminating front whose
certificate a throwaway CA signed. In a chroot holding a static tofu and the
release's mirror, that CA is placed in turn where Debian/Ubuntu, RHEL/Amazon
Linux/Fedora, Alpine and SUSE keep their bundle (with their symbolic
links), in SSL_CERT_FILE and in an SSL_CERT_DIR of hashed certificates: a
plan that configures the provider (STS GetCallerIdentity over HTTPS)
succeeds each time. With a bundle from another CA in the same places, the
provider refuses the certificate. HTTPS_PROXY sends the same calls through
a CONNECT proxy; NO_PROXY bypasses it.
"""
import subprocess

import pytest

import staticlib
from harness import provider_for_emulator

CONFIG = """
terraform {
  required_providers {
    lsms = { source = "lsms/lsms" }
  }
}
%s
resource "lsms_dashboard" "tls" {
  name        = "tls-check"
  bucket_name = "tls-check"
}
"""

# Where each distribution keeps its bundle: (file, [(link, target)]).
LAYOUTS = {
    "debian": ("/etc/ssl/certs/ca-certificates.crt", []),
    "rhel": ("/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
             [("/etc/pki/tls/certs/ca-bundle.crt",
               "../../ca-trust/extracted/pem/tls-ca-bundle.pem"),
              ("/etc/pki/tls/cert.pem", "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem")]),
    "alpine": ("/etc/ssl/certs/ca-certificates.crt", [("/etc/ssl/cert.pem",
                                                       "certs/ca-certificates.crt")]),
    "alpine-cert-pem": ("/etc/ssl/cert.pem", []),
    "suse": ("/var/lib/ca-certificates/ca-bundle.pem",
             [("/etc/ssl/ca-bundle.pem", "../../var/lib/ca-certificates/ca-bundle.pem")]),
}
# The path the provider reports for a layout (the first of aws/ca_bundle.h's
# list that exists there).
FOUND = {"debian": "/etc/ssl/certs/ca-certificates.crt",
         "rhel": "/etc/pki/tls/certs/ca-bundle.crt"}


@pytest.fixture(scope="module")
def tls(emulator, tmp_path_factory):
    d = str(tmp_path_factory.mktemp("tls"))
    trusted = staticlib.make_ca(d, "trusted")
    other = staticlib.make_ca(d, "other")
    front = staticlib.TlsFront(trusted["cert"], trusted["key"], emulator.port)
    yield {"trusted": trusted, "other": other, "front": front,
           "url": f"https://127.0.0.1:{front.port}"}
    front.close()


@pytest.fixture(scope="module")
def proxy():
    p = staticlib.ConnectProxy()
    yield p
    p.close()


def subject_hash(cert):
    return subprocess.run(["openssl", "x509", "-hash", "-noout", "-in", cert], check=True,
                          stdout=subprocess.PIPE, text=True).stdout.strip()


def plan(platform, tofu, release, tls, tmp_path, place, env=None):
    """tofu init + plan in a chroot prepared by place(root); returns the
    plan's result."""
    root = staticlib.tofu_root(str(tmp_path / f"root-{platform}"), tofu, release)
    place(root)
    root.put("/work/main.tf", data=CONFIG % provider_for_emulator(tls["url"]))
    e = staticlib.tofu_env(env)
    staticlib.check(root.run(["/bin/tofu", "init", "-no-color"], "/work", e), "tofu init")
    return root.run(["/bin/tofu", "plan", "-no-color", "-input=false"], "/work", e)


def layout(name, ca):
    def place(root):
        path, links = LAYOUTS[name]
        root.put(path, ca)
        for link, target in links:
            root.link(link, target)
    return place


def trusted_plan(r, tls, before):
    assert r.returncode == 0, f"plan failed:\n{r.stdout}\n{r.stderr}"
    assert "lsms_dashboard.tls will be created" in r.stdout, r.stdout
    assert tls["front"].handshakes > before


def refused_plan(r):
    assert r.returncode != 0, r.stdout
    text = " ".join((r.stdout + r.stderr).split())
    assert "SSL peer certificate or SSH remote key was not OK" in text or \
        "certificate verify failed" in text, text
    return text


@pytest.mark.parametrize("distribution", sorted(LAYOUTS))
def test_distribution_bundle_is_trusted(platform, tofu, release, binary, tls, tmp_path,
                                        distribution):
    before = tls["front"].handshakes
    r = plan(platform, tofu, release, tls, tmp_path, layout(distribution, tls["trusted"]["ca"]))
    trusted_plan(r, tls, before)


@pytest.mark.parametrize("distribution", ["debian", "rhel"])
def test_another_ca_is_refused(platform, tofu, release, binary, tls, tmp_path, distribution):
    r = plan(platform, tofu, release, tls, tmp_path, layout(distribution, tls["other"]["ca"]))
    # The diagnostic names the bundle the provider used.
    assert f"CA certificates from {FOUND[distribution]}" in refused_plan(r)


def test_no_bundle_at_all_is_refused_with_a_hint(platform, tofu, release, binary, tls,
                                                 tmp_path):
    r = plan(platform, tofu, release, tls, tmp_path, lambda root: None)
    assert "no CA certificates found: set SSL_CERT_FILE or SSL_CERT_DIR" in \
        " ".join(refused_plan(r).split())


def test_ssl_cert_file(platform, tofu, release, binary, tls, tmp_path):
    before = tls["front"].handshakes

    def place(root):
        root.put("/opt/corp/ca.pem", tls["trusted"]["ca"])
        # The distribution's bundle holds another CA: SSL_CERT_FILE wins.
        root.put("/etc/ssl/certs/ca-certificates.crt", tls["other"]["ca"])
    r = plan(platform, tofu, release, tls, tmp_path, place,
             {"SSL_CERT_FILE": "/opt/corp/ca.pem"})
    trusted_plan(r, tls, before)


def test_ssl_cert_file_with_another_ca_is_refused(platform, tofu, release, binary, tls,
                                                  tmp_path):
    def place(root):
        root.put("/opt/corp/ca.pem", tls["other"]["ca"])
        root.put("/etc/ssl/certs/ca-certificates.crt", tls["trusted"]["ca"])
    r = plan(platform, tofu, release, tls, tmp_path, place,
             {"SSL_CERT_FILE": "/opt/corp/ca.pem"})
    assert "CA certificates from /opt/corp/ca.pem" in refused_plan(r)


def test_ssl_cert_dir(platform, tofu, release, binary, tls, tmp_path):
    before = tls["front"].handshakes
    ca = tls["trusted"]["ca"]

    def place(root):
        root.put(f"/opt/certs/{subject_hash(ca)}.0", ca)
    r = plan(platform, tofu, release, tls, tmp_path, place, {"SSL_CERT_DIR": "/opt/certs"})
    trusted_plan(r, tls, before)


def test_https_proxy_and_no_proxy(platform, tofu, release, binary, tls, proxy, tmp_path):
    place = layout("debian", tls["trusted"]["ca"])
    target = f"127.0.0.1:{tls['front'].port}"
    before = tls["front"].handshakes
    r = plan(platform, tofu, release, tls, tmp_path, place,
             {"HTTPS_PROXY": f"http://127.0.0.1:{proxy.port}"})
    trusted_plan(r, tls, before)
    assert target in proxy.connects, proxy.connects
    tunnelled = len(proxy.connects)

    before = tls["front"].handshakes
    r = plan(platform, tofu, release, tls, tmp_path / "no-proxy", place,
             {"HTTPS_PROXY": f"http://127.0.0.1:{proxy.port}", "NO_PROXY": "127.0.0.1"})
    trusted_plan(r, tls, before)
    assert len(proxy.connects) == tunnelled, proxy.connects
