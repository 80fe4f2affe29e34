"""Helpers of the static-binary suite: the binaries, static tofu, binfmt for
qemu, chroots holding nothing of the host, a DNS server, TLS in front of the
emulator with a throwaway CA, and an HTTPS proxy."""
import datetime
import ipaddress
import json
import os
import platform as _platform
import select
import shutil
import socket
import socketserver
import ssl
import stat
import struct
import subprocess
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
NAME = "terraform-provider-lsms"
GOARCH = {"linux_amd64": "amd64", "linux_arm64": "arm64"}
QEMU = {"linux_arm64": "aarch64"}
HOST_PLATFORM = "linux_" + {"x86_64": "amd64", "aarch64": "arm64"}[_platform.machine()]
EMULATOR_KEYS = ("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")


def make(*args):
    """make -s in the repository, with none of the caller's make variables."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    proc = subprocess.run(["make", "-s", "-C", REPO, *args], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    if proc.returncode != 0:
        raise AssertionError(f"make {' '.join(args)} failed:\n{proc.stdout[-6000:]}")
    return proc.stdout


def static_binary(platform):
    return os.path.join(REPO, "build", "static", platform, NAME)


def make_release(platform, dest):
    make("release", f"PLATFORM={platform}", f"RELEASE_DIR={dest}")


# ---- ELF ----

def readelf(path, *flags):
    return subprocess.run(["readelf", "-W", *flags, path], check=True, stdout=subprocess.PIPE,
                          text=True).stdout


def needed(path):
    """The NEEDED entries of the dynamic section (shared libraries)."""
    return [line.split("[", 1)[1].rstrip("]") for line in readelf(path, "-d").splitlines()
            if "(NEEDED)" in line]


def interpreter(path):
    """The program interpreter (PT_INTERP), or None for a static binary."""
    for line in readelf(path, "-l").splitlines():
        if "Requesting program interpreter" in line:
            return line.split(":", 1)[1].strip(" ]")
    return None


def machine(path):
    for line in readelf(path, "-h").splitlines():
        if line.strip().startswith("Machine:"):
            return line.split(":", 1)[1].strip()
    return None


# ---- tofu and qemu ----

def static_tofu(platform):
    """A static tofu (CGO_ENABLED=0) for the platform, built once into the
    cache by tests/tools/tofu-client (TOFU_GOARCH)."""
    env = dict(os.environ, TOFU_GOARCH=GOARCH[platform])
    env.pop("TOFU", None)
    out = subprocess.run([os.path.join(REPO, "tests", "tools", "tofu-client")], env=env,
                         check=True, stdout=subprocess.PIPE, text=True).stdout
    path = out.strip().splitlines()[-1]
    assert needed(path) == [] and interpreter(path) is None, f"{path} is not static"
    return path


def ensure_binfmt(platform):
    """Registers Debian's qemu-user-static for the platform with binfmt_misc
    (what systemd-binfmt does at boot), so the kernel runs its binaries;
    the F flag makes it work inside chroots too."""
    arch = QEMU[platform]
    binfmt = "/proc/sys/fs/binfmt_misc"
    if not os.path.exists(os.path.join(binfmt, "register")):
        subprocess.run(["mount", "-t", "binfmt_misc", "binfmt_misc", binfmt], check=True)
    if os.path.exists(os.path.join(binfmt, f"qemu-{arch}")):
        return
    conf = f"/usr/lib/binfmt.d/qemu-{arch}.conf"
    if not os.path.exists(conf):
        raise AssertionError(f"{conf} is missing: apt-get install qemu-user-static")
    with open(conf) as f:
        line = f.read().strip()
    with open(os.path.join(binfmt, "register"), "w") as f:
        f.write(line)


# ---- chroots ----

class Chroot:
    """A directory that becomes / for the commands run in it: it holds only
    what is put there (no /lib, /usr, /bin of the host), /dev/null and /tmp."""

    def __init__(self, path):
        self.path = path
        for d in ("dev", "tmp", "root", "etc"):
            os.makedirs(os.path.join(path, d), exist_ok=True)
        os.chmod(os.path.join(path, "tmp"), 0o1777)
        null = os.path.join(path, "dev", "null")
        if not os.path.exists(null):
            # Go's os/exec opens /dev/null for a child's missing stdin.
            os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
            os.chmod(null, 0o666)

    def host(self, inside):
        return os.path.join(self.path, inside.lstrip("/"))

    def put(self, inside, src=None, data=None, mode=0o644):
        dst = self.host(inside)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        if src is not None:
            if os.path.isdir(src):
                shutil.copytree(src, dst, symlinks=True)
                return dst
            shutil.copyfile(src, dst)
        else:
            with open(dst, "wb" if isinstance(data, bytes) else "w") as f:
                f.write(data)
        os.chmod(dst, mode)
        return dst

    def link(self, inside, target):
        dst = self.host(inside)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        os.symlink(target, dst)

    def files(self):
        """Every file and link in the chroot, relative, for the record."""
        out = []
        for d, _dirs, files in os.walk(self.path):
            for f in files:
                out.append("/" + os.path.relpath(os.path.join(d, f), self.path))
        return sorted(out)

    def run(self, argv, cwd="/", env=None, timeout=600):
        """Runs argv (paths inside) with the chroot as /; env is the whole
        environment (nothing of the caller's)."""
        def enter():
            os.chroot(self.path)
            os.chdir(cwd)
        return subprocess.run(argv, env=env or {}, preexec_fn=enter, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, timeout=timeout)


def tofu_root(path, tofu, release_dir, examples=None):
    """A chroot with a static tofu at /bin/tofu, the release's filesystem
    mirror at /mirror, a CLI config using it at /root/.tofurc, an
    /etc/resolv.conf naming the suite's DNS server, and the examples at
    /work (when given)."""
    root = Chroot(path)
    root.put("/bin/tofu", tofu, mode=0o755)
    root.put("/mirror", os.path.join(release_dir, "mirror"))
    root.put("/root/.tofurc", data='provider_installation {\n  filesystem_mirror {\n'
             '    path    = "/mirror"\n    include = ["registry.opentofu.org/lsms/*"]\n  }\n}\n')
    root.put("/etc/resolv.conf", data=f"nameserver {DNS_ADDRESS}\n")
    if examples:
        root.put("/work", examples)
    return root


def tofu_env(extra=None):
    env = {"HOME": "/root", "PATH": "/bin", "TF_CLI_CONFIG_FILE": "/root/.tofurc",
           "TF_IN_AUTOMATION": "1", "TF_INPUT": "0", "CHECKPOINT_DISABLE": "1",
           "AWS_ACCESS_KEY_ID": EMULATOR_KEYS[0], "AWS_SECRET_ACCESS_KEY": EMULATOR_KEYS[1],
           "AWS_REGION": "us-east-1"}
    env.update(extra or {})
    return env


def check(proc, what):
    assert proc.returncode == 0, f"{what} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    return proc


# ---- DNS: answers every A question with 127.0.0.1 ----

DNS_ADDRESS = "127.0.0.153"  # a loopback address of its own: port 53 is free there


class DnsServer:
    """A UDP DNS server on DNS_ADDRESS:53 answering each A query with
    127.0.0.1 and any other type with no record; keeps the names asked."""

    def __init__(self):
        self.questions = []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((DNS_ADDRESS, 53))
        self.stop_r, self.stop_w = os.pipe()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            ready, _, _ = select.select([self.sock, self.stop_r], [], [])
            if self.stop_r in ready:
                return
            data, peer = self.sock.recvfrom(512)
            try:
                answer = self._answer(data)
            except (IndexError, struct.error):
                continue
            self.sock.sendto(answer, peer)

    def _answer(self, q):
        qid, _flags, qdcount = struct.unpack("!HHH", q[:6])
        i, labels = 12, []
        while q[i]:
            labels.append(q[i + 1:i + 1 + q[i]].decode("ascii", "replace"))
            i += 1 + q[i]
        qtype = struct.unpack("!H", q[i + 1:i + 3])[0]
        question = q[12:i + 5]
        self.questions.append((".".join(labels), qtype))
        ancount = 1 if qtype == 1 else 0
        header = struct.pack("!HHHHHH", qid, 0x8180, 1, ancount, 0, 0)
        answer = b""
        if ancount:
            answer = struct.pack("!HHHIH", 0xC00C, 1, 1, 60, 4) + socket.inet_aton("127.0.0.1")
        return header + question + answer

    def close(self):
        os.write(self.stop_w, b"x")
        self.thread.join(5)
        self.sock.close()
        os.close(self.stop_r)
        os.close(self.stop_w)


# ---- TLS: a throwaway CA, and the emulator behind a TLS-terminating proxy ----

def make_ca(directory, name):
    """A CA certificate and key, and a server certificate it signs for
    localhost, *.lsms.test and 127.0.0.1. Returns {ca, cert, key} paths."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{name} throwaway CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - datetime.timedelta(minutes=5))
          .not_valid_after(now + datetime.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                       key_encipherment=False, data_encipherment=False,
                                       key_agreement=False, key_cert_sign=True, crl_sign=True,
                                       encipher_only=False, decipher_only=False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca_name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([
                x509.DNSName("localhost"), x509.DNSName("*.lsms.test"),
                x509.DNSName("lsms.test"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(ca_key, hashes.SHA256()))
    os.makedirs(directory, exist_ok=True)
    paths = {k: os.path.join(directory, f"{name}-{k}.pem") for k in ("ca", "cert", "key")}
    with open(paths["ca"], "wb") as f:
        f.write(ca.public_bytes(serialization.Encoding.PEM))
    with open(paths["cert"], "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(paths["key"], "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    return paths


def _pipe(a, b):
    """Copies bytes both ways between sockets a and b until either closes."""
    socks = [a, b]
    try:
        while True:
            ready, _, _ = select.select(socks, [], [], 30)
            if not ready:
                return
            for s in ready:
                data = s.recv(65536)
                if not data:
                    return
                (b if s is a else a).sendall(data)
    except OSError:
        return


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class TlsFront:
    """TLS on 127.0.0.1:<port> with `cert`/`key`, forwarding the plaintext to
    the emulator's port: the emulator as an HTTPS endpoint. Counts the TLS
    handshakes that completed."""

    def __init__(self, cert, key, upstream_port):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        outer = self
        self.handshakes = 0
        self.failures = 0

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                try:
                    tls = ctx.wrap_socket(self.request, server_side=True)
                except (ssl.SSLError, OSError):
                    outer.failures += 1
                    return
                outer.handshakes += 1
                up = socket.create_connection(("127.0.0.1", upstream_port))
                try:
                    _pipe(tls, up)
                finally:
                    up.close()
                    tls.close()

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class ConnectProxy:
    """An HTTP proxy on 127.0.0.1 that tunnels CONNECT and keeps the targets."""

    def __init__(self):
        outer = self
        self.connects = []

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                line = self.rfile.readline().decode("latin-1").strip()
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                method, target, _ = (line.split(" ") + ["", ""])[:3]
                if method != "CONNECT":
                    self.wfile.write(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
                    return
                outer.connects.append(target)
                host, port = target.rsplit(":", 1)
                up = socket.create_connection((host, int(port)))
                self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
                self.wfile.flush()
                try:
                    _pipe(self.connection, up)
                finally:
                    up.close()

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def inventory(url):
    from emulator_inventory import inventory as inv
    return inv(url)


def dump(obj):
    return json.dumps(obj, indent=1, sort_keys=True)
