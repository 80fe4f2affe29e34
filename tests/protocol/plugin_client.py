"""Test-side stand-in for a go-plugin client (what tofu does at start-up).

Starts the provider binary with the magic cookie and an AutoMTLS client
certificate, parses the handshake line and opens grpcio channels to it.
Messages are raw bytes (generic calls, no generated code); the few protobuf
messages needed are encoded by hand.
"""
import base64
import datetime
import os
import select
import signal
import subprocess
import tempfile
import time

import grpc
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

COOKIE_KEY = "TF_PLUGIN_MAGIC_COOKIE"
COOKIE_VALUE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"

HEALTH_CHECK = "/grpc.health.v1.Health/Check"
SHUTDOWN = "/plugin.GRPCController/Shutdown"
STREAM_STDIO = "/plugin.GRPCStdio/StreamStdio"
START_STREAM = "/plugin.GRPCBroker/StartStream"
GET_PROVIDER_SCHEMA = "/tfplugin6.Provider/GetProviderSchema"

HANDSHAKE_TIMEOUT_S = 10


class ClientCert:
    """A client certificate made like go-plugin's: ECDSA P-521, self-signed,
    CA:TRUE, SAN localhost, serverAuth+clientAuth, 30 years."""

    def __init__(self, curve=None):
        key = ec.generate_private_key(curve or ec.SECP521R1())
        name = x509.Name([
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "HashiCorp"),
            x509.NameAttribute(NameOID.COMMON_NAME, "localhost"),
        ])
        now = datetime.datetime.now(datetime.timezone.utc)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(seconds=30))
            .not_valid_after(now + datetime.timedelta(hours=262980))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True, content_commitment=False, key_encipherment=True,
                    data_encipherment=False, key_agreement=True, key_cert_sign=True,
                    crl_sign=False, encipher_only=False, decipher_only=False),
                critical=True)
            .add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH,
                                       ExtendedKeyUsageOID.SERVER_AUTH]),
                critical=False)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]),
                           critical=False)
            .sign(key, hashes.SHA512())
        )
        self.cert_pem = cert.public_bytes(serialization.Encoding.PEM)
        self.key_pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption())


class Handshake:
    """The parsed first stdout line: CORE|APP|NETWORK|ADDRESS|PROTOCOL[|CERT]."""

    def __init__(self, line):
        self.line = line
        self.fields = line.rstrip("\n").split("|")
        self.core, self.app, self.network, self.address, self.protocol = self.fields[:5]
        self.cert_b64 = self.fields[5] if len(self.fields) > 5 else None

    def server_cert_der(self):
        # go-plugin decodes with base64.RawStdEncoding: no padding allowed.
        # b64decode needs the padding back to accept it.
        s = self.cert_b64
        return base64.b64decode(s + "=" * (-len(s) % 4), validate=True)

    def server_cert(self):
        return x509.load_der_x509_certificate(self.server_cert_der())

    def server_cert_pem(self):
        return self.server_cert().public_bytes(serialization.Encoding.PEM)

    def target(self):
        return "unix:" + self.address if self.network == "unix" else self.address


def hs_health_request(service):
    """grpc.health.v1.HealthCheckRequest{service=1}."""
    data = service.encode()
    assert len(data) < 128
    return b"\x0a" + bytes([len(data)]) + data if data else b""


class Provider:
    """One provider process. Use as a context manager so it is always reaped."""

    def __init__(self, binary, client=None, env=None, versions="5,6", plaintext=False):
        self.binary = binary
        self.client = client if client is not None else ClientCert()
        self.plaintext = plaintext
        self.extra_env = env or {}
        self.versions = versions
        self.proc = None
        self.handshake = None
        self.handshake_s = None
        self._stderr = tempfile.TemporaryFile()
        self._channels = []

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.close()

    def start(self):
        env = dict(os.environ)
        env.update({
            COOKIE_KEY: COOKIE_VALUE,
            "PLUGIN_MIN_PORT": "10000",
            "PLUGIN_MAX_PORT": "25000",
            "PLUGIN_PROTOCOL_VERSIONS": self.versions,
        })
        env.setdefault("TF_LOG", "trace")
        env.pop("PLUGIN_CLIENT_CERT", None)
        if not self.plaintext:
            env["PLUGIN_CLIENT_CERT"] = self.client.cert_pem.decode()
        env.update(self.extra_env)
        t0 = time.perf_counter()
        # stdin is a pipe we never write to nor close: a provider that read
        # stdin would block (tofu's stdin belongs to the user's terminal).
        self.proc = subprocess.Popen([self.binary], env=env, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self._stderr)
        line = self._read_first_line()
        self.handshake_s = time.perf_counter() - t0
        self.handshake = Handshake(line)
        return self.handshake

    def _read_first_line(self):
        fd = self.proc.stdout.fileno()
        data = b""
        deadline = time.monotonic() + HANDSHAKE_TIMEOUT_S
        while b"\n" not in data:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("no handshake line within %ss; got %r" % (HANDSHAKE_TIMEOUT_S, data))
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                chunk = os.read(fd, 65536)
                if not chunk:
                    raise AssertionError("stdout closed before the handshake line; got %r, stderr %r"
                                         % (data, self.stderr_text()))
                data += chunk
        line, _, rest = data.partition(b"\n")
        self._stdout_rest = rest
        return line.decode() + "\n"

    def channel(self, cert=None, key=None, root=None, secure=True):
        """A channel to the provider. By default it authenticates with the
        client cert given to the provider and trusts only field 6."""
        hs = self.handshake
        if self.plaintext or not secure:
            ch = grpc.insecure_channel(hs.target())
        else:
            if cert is None and key is None:
                cert, key = self.client.cert_pem, self.client.key_pem
            creds = grpc.ssl_channel_credentials(
                root_certificates=root or hs.server_cert_pem(),
                private_key=key, certificate_chain=cert)
            ch = grpc.secure_channel(hs.target(), creds,
                                     options=[("grpc.ssl_target_name_override", "localhost")])
        self._channels.append(ch)
        return ch

    def unary(self, channel, method, request=b"", timeout=5):
        return channel.unary_unary(method)(request, timeout=timeout)

    def wait(self, timeout):
        return self.proc.wait(timeout=timeout)

    def pid(self):
        return self.proc.pid

    def rss_kib(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return None

    def stderr_text(self):
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace")

    def stderr_records(self):
        """Every stderr line parsed as JSON (raises if one is not): go-plugin
        shows non-JSON lines as raw text at the wrong level."""
        import json
        return [json.loads(l) for l in self.stderr_text().splitlines() if l]

    def stdout_rest(self):
        """Everything on stdout after the handshake line (call after exit)."""
        return self._stdout_rest + self.proc.stdout.read()

    def close(self):
        for ch in self._channels:
            ch.close()
        self._channels = []
        if self.proc and self.proc.poll() is None:
            # SIGTERM lets the provider remove its socket directory; SIGKILL
            # only if it does not go (a bug the lifecycle tests report).
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.send_signal(signal.SIGKILL)
                self.proc.wait(timeout=10)
        if self.proc:
            self.proc.stdout.close()
            self.proc.stdin.close()
        self._stderr.close()


def assert_clean_exit(provider, timeout):
    """The provider exits 0 within `timeout` seconds. A sanitizer report also
    ends the process with 1, so the failure shows the end of its stderr."""
    rc = provider.wait(timeout)
    assert rc == 0, "exit code %r; stderr ends with:\n%s" % (rc, provider.stderr_text()[-6000:])
