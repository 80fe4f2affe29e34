"""Start-up contract: cookie, first stdout line, listener, certificate."""
import os
import stat
import statistics
import subprocess

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from plugin_client import COOKIE_KEY, COOKIE_VALUE, Provider, assert_clean_exit


def test_without_cookie_exits_1_with_message_on_stderr_only(provider_bin):
    env = {k: v for k, v in os.environ.items() if k != COOKIE_KEY}
    r = subprocess.run([provider_bin], env=env, capture_output=True, timeout=10,
                       stdin=subprocess.DEVNULL)
    assert r.returncode == 1
    assert r.stdout == b""
    assert b"This binary is a plugin" in r.stderr


def test_wrong_cookie_is_refused(provider_bin):
    env = dict(os.environ, **{COOKIE_KEY: "not-the-cookie"})
    r = subprocess.run([provider_bin], env=env, capture_output=True, timeout=10,
                       stdin=subprocess.DEVNULL)
    assert r.returncode == 1
    assert r.stdout == b""
    assert b"This binary is a plugin" in r.stderr


def check_handshake(p):
    hs = p.handshake
    assert hs.line.endswith("\n")
    assert len(hs.fields) == 6, hs.line
    assert hs.core == "1"
    assert hs.app == "6"
    assert hs.protocol == "grpc"
    assert hs.network == "unix"
    assert os.path.basename(hs.address).startswith("plugin")
    assert stat.S_ISSOCK(os.stat(hs.address).st_mode)
    parent = os.stat(os.path.dirname(hs.address))
    assert stat.S_IMODE(parent.st_mode) == 0o700
    assert parent.st_uid == os.getuid()
    # Field 6: base64 standard alphabet, no padding, no newline (go-plugin
    # uses RawStdEncoding and only parses fields longer than 50 chars).
    b64 = hs.cert_b64
    assert len(b64) > 50
    assert "=" not in b64 and "\n" not in b64
    assert set(b64) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    der = hs.server_cert_der()
    cert = hs.server_cert()
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["localhost"]
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "localhost"
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert ExtendedKeyUsageOID.SERVER_AUTH in eku and ExtendedKeyUsageOID.CLIENT_AUTH in eku
    assert cert.issuer == cert.subject
    return len(der) % 3


def test_handshake_line_repeated(provider_bin, client_cert):
    """20 starts: ECDSA signatures vary in length, so DER length mod 3 (and
    hence whether padding would appear) varies too."""
    times, remainders, rss = [], set(), []
    for _ in range(20):
        with Provider(provider_bin, client=client_cert) as p:
            remainders.add(check_handshake(p))
            times.append(p.handshake_s)
            rss.append(p.rss_kib())
    print("\nexec->handshake p50 %.1f ms, min %.1f ms, max %.1f ms; RSS after start p50 %d KiB; "
          "DER length mod 3 seen: %s" % (statistics.median(times) * 1000, min(times) * 1000,
                                          max(times) * 1000, statistics.median(rss),
                                          sorted(remainders)))
    # The point of repeating: at least one certificate whose padded base64
    # would have ended in '='.
    assert remainders - {0}


def test_cert_public_key_is_the_signing_key(provider):
    """The certificate holds the P-256 key that signed it. Its
    SubjectPublicKeyInfo is written from the key's point (tls_identity.c:
    OpenSSL's X509_set_pubkey costs ~0.8 ms at start-up), so check that it
    is that key: the self-signature verifies under it, and the subject key
    identifier is the SHA-1 of it (RFC 5280, 4.2.1.2)."""
    cert = provider.handshake.server_cert()
    key = cert.public_key()
    assert isinstance(key, ec.EllipticCurvePublicKey)
    assert isinstance(key.curve, ec.SECP256R1)
    cert.verify_directly_issued_by(cert)
    ski = cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    assert ski == x509.SubjectKeyIdentifier.from_public_key(key)


@pytest.mark.parametrize("versions", ["5,6", "6,5", "6"])
def test_protocol_versions_any_order(start_provider, versions):
    p = start_provider(versions=versions)
    assert p.handshake.app == "6"
    assert len(p.handshake.fields) == 6


def test_cert_validity_window(provider):
    import datetime
    cert = provider.handshake.server_cert()
    now = datetime.datetime.now(datetime.timezone.utc)
    nb, na = cert.not_valid_before_utc, cert.not_valid_after_utc
    # Backdated by about 30 s, in UTC, and valid for about 30 years.
    assert datetime.timedelta(seconds=20) <= now - nb <= datetime.timedelta(seconds=45)
    assert na - nb >= datetime.timedelta(days=365 * 29)


def test_plaintext_without_client_cert(start_provider):
    p = start_provider(plaintext=True)
    assert len(p.handshake.fields) == 5, p.handshake.line
    ch = p.channel()
    assert p.unary(ch, "/grpc.health.v1.Health/Check", b"\x0a\x06plugin") == b"\x08\x01"


def test_stdout_has_only_the_handshake_line(provider):
    ch = provider.channel()
    provider.unary(ch, "/plugin.GRPCController/Shutdown")
    assert_clean_exit(provider, 5)
    assert provider.stdout_rest() == b""


def test_tcp_fallback_when_socket_path_too_long(start_provider, tmp_path):
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    p1 = start_provider(env={"TMPDIR": str(deep), "PLUGIN_MIN_PORT": "23000",
                             "PLUGIN_MAX_PORT": "23100"})
    hs = p1.handshake
    assert hs.network == "tcp"
    host, port = hs.address.rsplit(":", 1)
    assert host == "127.0.0.1" and 23000 <= int(port) <= 23100
    assert p1.unary(p1.channel(), "/grpc.health.v1.Health/Check", b"\x0a\x06plugin") == b"\x08\x01"
    # A second provider in the same range must get its own port (gRPC core's
    # default SO_REUSEPORT would let both bind the same one).
    p2 = start_provider(env={"TMPDIR": str(deep), "PLUGIN_MIN_PORT": "23000",
                             "PLUGIN_MAX_PORT": "23100"})
    assert p2.handshake.network == "tcp"
    assert p2.handshake.address != hs.address
    assert list(deep.iterdir()) == []


def test_stderr_is_hclog_json(provider):
    import json
    import re
    ch = provider.channel()
    provider.unary(ch, "/grpc.health.v1.Health/Check", b"\x0a\x06plugin")
    provider.unary(ch, "/plugin.GRPCController/Shutdown")
    assert_clean_exit(provider, 5)
    lines = [l for l in provider.stderr_text().splitlines() if l]
    assert lines
    finished = []
    for l in lines:
        rec = json.loads(l)
        assert isinstance(rec["@message"], str)
        assert rec["@level"] in ("trace", "debug", "info", "warn", "error")
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", rec["@timestamp"])
        if rec["@message"] == "rpc finished":
            finished.append(rec)
    methods = {r["method"] for r in finished}
    assert "/grpc.health.v1.Health/Check" in methods
    assert all(int(r["duration_us"]) >= 0 for r in finished)


def test_client_without_protocol_6_still_gets_6(start_provider):
    """As go-plugin's server: answer our version; the client then refuses it
    with "incompatible API version" rather than timing out."""
    p = start_provider(versions="5")
    assert p.handshake.app == "6"


def test_socket_dir_follows_tmpdir_and_plugin_unix_socket_dir(start_provider, tmp_path):
    a = tmp_path / "a"
    b = tmp_path / "b"
    a.mkdir()
    b.mkdir()
    p = start_provider(env={"TMPDIR": str(a)})
    assert os.path.dirname(os.path.dirname(p.handshake.address)) == str(a)
    p = start_provider(env={"TMPDIR": str(a), "PLUGIN_UNIX_SOCKET_DIR": str(b)})
    assert os.path.dirname(os.path.dirname(p.handshake.address)) == str(b)


def test_no_log_output_when_tf_log_unset(start_provider):
    p = start_provider(env={"TF_LOG": "", "TF_LOG_PROVIDER": ""})
    ch = p.channel()
    p.unary(ch, "/grpc.health.v1.Health/Check", b"\x0a\x06plugin")
    p.unary(ch, "/plugin.GRPCController/Shutdown")
    assert_clean_exit(p, 5)
    assert p.stderr_text() == ""


def test_unparseable_client_cert_fails_start(provider_bin):
    env = dict(os.environ, **{COOKIE_KEY: COOKIE_VALUE,
                              "PLUGIN_PROTOCOL_VERSIONS": "5,6", "TF_LOG": "error",
                              "PLUGIN_CLIENT_CERT": "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n"})
    r = subprocess.run([provider_bin], env=env, capture_output=True, timeout=10,
                       stdin=subprocess.DEVNULL)
    assert r.returncode == 1
    assert r.stdout == b""
    assert b"PLUGIN_CLIENT_CERT" in r.stderr
