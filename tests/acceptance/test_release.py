"""Issue 14: installable release artifacts.

`make release` writes what a provider registry and a network mirror serve
(the zip, SHA256SUMS, the manifest, a packed filesystem mirror with the
network-mirror JSON); the real clients install lsms/lsms from it with
`-plugin-dir`, from it served as a network mirror over HTTPS, and from it
served by a registry (SHA256SUMS signed with a throwaway gpg key); the lock
file they write pins the hashes the release claims, a second init verifies
them, and a tampered zip is refused. `make install` installs from the release.
"""

import base64
import datetime
import functools
import hashlib
import http.server
import ipaddress
import json
import os
import re
import shutil
import ssl
import stat
import subprocess
import threading
import zipfile

import pytest

import harness

NAME = "terraform-provider-lsms"
HOSTS = ("registry.opentofu.org", "registry.terraform.io")
# A release is made of static binaries: this suite releases the platform the
# clients here run (make release PLATFORM=linux_amd64 builds it when
# missing; LSMS_BUILD names another build of it) and installs it.
PLATFORM = "linux_amd64"
BUILD = os.environ.get("LSMS_BUILD") or f"build/static/{PLATFORM}"
BINARY = os.path.join(harness.REPO, BUILD, NAME)
HOST_OF = {"tofu": "registry.opentofu.org", "terraform": "registry.terraform.io"}
CHECKSUM_MISMATCH = "doesn't match any of the checksums previously recorded in the dependency lock file"


def makefile_version():
    with open(os.path.join(harness.REPO, "Makefile")) as f:
        return re.search(r"^VERSION = (\S+)$", f.read(), re.M).group(1)


VERSION = makefile_version()


def make(*args, env=None, check=True, umask=None):
    proc = subprocess.run(
        ["make", "-s", "-C", harness.REPO, f"BUILD={BUILD}", f"PLATFORM={PLATFORM}", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        preexec_fn=(lambda: os.umask(umask)) if umask is not None else None)
    if check and proc.returncode != 0:
        raise AssertionError(f"make {' '.join(args)} failed:\n{proc.stdout}{proc.stderr}")
    return proc


def release(dest, *args, **kw):
    """`make release RELEASE_DIR=dest ARGS...`."""
    return make("release", f"RELEASE_DIR={dest}", *args, **kw)


def names(version):
    return {
        "zip": f"{NAME}_{version}_linux_amd64.zip",
        "binary": f"{NAME}_v{version}",
        "sums": f"{NAME}_{version}_SHA256SUMS",
        "manifest": f"{NAME}_{version}_manifest.json",
    }


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def claimed_h1(release_dir, version, host):
    with open(os.path.join(release_dir, "mirror", host, "lsms", "lsms", f"{version}.json")) as f:
        hashes = json.load(f)["archives"]["linux_amd64"]["hashes"]
    assert len(hashes) == 1 and hashes[0].startswith("h1:"), hashes
    return hashes[0]


def lock_hashes(ws):
    """{provider address: [hashes]} of the workspace's .terraform.lock.hcl."""
    with open(os.path.join(ws.path, ".terraform.lock.hcl")) as f:
        text = f.read()
    out = {}
    for m in re.finditer(r'provider "([^"]+)" \{(.*?)\n\}', text, re.S):
        out[m.group(1)] = re.findall(r'"((?:h1|zh):[^"]+)"', m.group(2))
    return out


def config(source="lsms/lsms", version=VERSION):
    return ('terraform {\n  required_providers {\n'
            f'    lsms = {{ source = "{source}", version = "{version}" }}\n'
            '  }\n}\n')


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    """`make release` with the Makefile's VERSION (none given) into a temp dir."""
    dest = str(tmp_path_factory.mktemp("release") / "out")
    release(dest)
    return dest


@pytest.fixture
def bare_tfrc(tmp_path):
    """A CLI config without provider_installation: only -plugin-dir and the
    origin registries, never the user's ~/.terraformrc."""
    path = tmp_path / "bare.tfrc"
    path.write_text("# no provider_installation\n")
    return str(path)


@pytest.fixture
def ws_factory(tmp_path):
    counter = [0]

    def make_ws(client, tfrc, env=None):
        counter[0] += 1
        ws = harness.Workspace(client, str(tmp_path / f"ws{counter[0]}"), tfrc, env)
        ws.env.pop("TF_PLUGIN_CACHE_DIR", None)
        return ws

    return make_ws


# ---- the files ----

def test_release_writes_zip_sums_manifest_and_mirror_layout(released):
    n = names(VERSION)
    top = sorted(os.listdir(released))
    assert top == sorted([n["zip"], n["sums"], n["manifest"], "mirror"]), top

    zip_path = os.path.join(released, n["zip"])
    with zipfile.ZipFile(zip_path) as zf:
        infos = zf.infolist()
        assert [i.filename for i in infos] == [n["binary"]]
        info = infos[0]
        assert info.create_system == 3  # Unix, so the mode below is what unzip applies
        mode = info.external_attr >> 16
        assert stat.S_ISREG(mode) and stat.S_IMODE(mode) == 0o755, oct(mode)
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
        assert info.compress_type == zipfile.ZIP_DEFLATED
        content = zf.read(n["binary"])
    with open(BINARY, "rb") as f:
        assert content == f.read(), "the zip does not hold the built binary"

    # SHA256SUMS checked here with hashlib, line by line, in sha256sum's format.
    with open(os.path.join(released, n["sums"])) as f:
        lines = f.read().splitlines()
    assert lines == [
        f"{sha256_file(zip_path)}  {n['zip']}",
        f"{sha256_file(os.path.join(released, n['manifest']))}  {n['manifest']}",
    ]
    check = subprocess.run(["sha256sum", "--check", "--strict", n["sums"]], cwd=released,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert check.returncode == 0, check.stdout

    with open(os.path.join(released, n["manifest"])) as f:
        assert json.load(f) == {"version": 1, "metadata": {"protocol_versions": ["6.0"]}}

    for host in HOSTS:
        d = os.path.join(released, "mirror", host, "lsms", "lsms")
        assert sorted(os.listdir(d)) == sorted([n["zip"], "index.json", f"{VERSION}.json"])
        assert sha256_file(os.path.join(d, n["zip"])) == sha256_file(zip_path)
        with open(os.path.join(d, "index.json")) as f:
            assert json.load(f) == {"versions": {VERSION: {}}}
        with open(os.path.join(d, f"{VERSION}.json")) as f:
            doc = json.load(f)
        assert list(doc["archives"]) == ["linux_amd64"]
        assert doc["archives"]["linux_amd64"]["url"] == n["zip"]  # relative to the JSON
        assert re.fullmatch(r"h1:[A-Za-z0-9+/]{43}=", claimed_h1(released, VERSION, host))
    assert claimed_h1(released, VERSION, HOSTS[0]) == claimed_h1(released, VERSION, HOSTS[1])


def test_same_binary_released_twice_gives_the_same_bytes(released, tmp_path):
    """Neither the binary's mtime nor the umask reaches the zip."""
    st = os.stat(BINARY)
    again = str(tmp_path / "again")
    try:
        os.utime(BINARY)  # now: newer than before, so make does not rebuild it
        assert os.stat(BINARY).st_mtime_ns != st.st_mtime_ns
        release(again, umask=0o077)
    finally:
        os.utime(BINARY, ns=(st.st_atime_ns, st.st_mtime_ns))
    n = names(VERSION)
    for rel in (n["zip"], n["sums"], n["manifest"],
                *(os.path.join("mirror", h, "lsms", "lsms", f) for h in HOSTS
                  for f in (n["zip"], "index.json", f"{VERSION}.json"))):
        with open(os.path.join(released, rel), "rb") as a, open(os.path.join(again, rel), "rb") as b:
            assert a.read() == b.read(), f"{rel} differs between two releases of one binary"


def test_platforms_released_one_at_a_time_make_one_release(released, tmp_path):
    """A release is built one platform at a time (make release builds each
    static binary): the files that list platforms (SHA256SUMS, the mirror
    JSON) list every zip of the version in the directory, and a platform
    released again replaces only its own zip. The second platform's
    binary here is a stand-in file: what is tested is the packaging."""
    dest = str(tmp_path / "two")
    shutil.copytree(released, dest)
    stand_in = tmp_path / "arm64-stand-in"
    stand_in.write_bytes(b"\x7fELF stand-in for the linux_arm64 binary\n")
    subprocess.run(["python3", os.path.join(harness.REPO, "tests", "tools", "release.py"),
                    "build", "--binary", f"linux_arm64={stand_in}", "--version", VERSION,
                    "--out", dest], check=True, stdout=subprocess.DEVNULL)
    n = names(VERSION)
    arm = f"{NAME}_{VERSION}_linux_arm64.zip"
    with zipfile.ZipFile(os.path.join(dest, arm)) as zf:
        assert zf.read(n["binary"]) == stand_in.read_bytes()
    with open(os.path.join(dest, n["sums"])) as f:
        listed = sorted(line.split()[1] for line in f)
    assert listed == sorted([n["zip"], arm, n["manifest"]])
    check = subprocess.run(["sha256sum", "--check", "--strict", n["sums"]], cwd=dest,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert check.returncode == 0, check.stdout
    for host in HOSTS:
        d = os.path.join(dest, "mirror", host, "lsms", "lsms")
        assert sorted(os.listdir(d)) == sorted([n["zip"], arm, "index.json", f"{VERSION}.json"])
        with open(os.path.join(d, f"{VERSION}.json")) as f:
            archives = json.load(f)["archives"]
        assert sorted(archives) == ["linux_amd64", "linux_arm64"]
        assert archives["linux_arm64"]["url"] == arm
        # The platform released before keeps its zip and its h1.
        assert archives["linux_amd64"]["hashes"] == [claimed_h1(released, VERSION, host)]
        assert sha256_file(os.path.join(d, n["zip"])) == sha256_file(os.path.join(released,
                                                                                  n["zip"]))


@pytest.mark.parametrize("bad", ["1.2", "v1.2.3", "1.2.3+build.5", "01.2.3", "1.2.3-", "../1.2.3", ""])
def test_bad_version_is_refused(tmp_path, bad):
    dest = tmp_path / "out"
    proc = release(str(dest), f"VERSION={bad}", check=False)
    assert proc.returncode != 0
    assert "is refused" in proc.stderr and "VERSION" in proc.stderr, proc.stderr
    assert not dest.exists()
    proc = make("install", f"VERSION={bad}", f"MIRROR_DIR={tmp_path / 'm'}",
                f"TFRC={tmp_path / 't.tfrc'}", check=False)
    assert proc.returncode != 0 and "is refused" in proc.stderr, proc.stderr
    assert not (tmp_path / "m").exists()


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory):
    """A pre-release given on the command line, then the default version,
    released into one directory."""
    dest = str(tmp_path_factory.mktemp("two") / "out")
    release(dest, "VERSION=0.2.0-rc.1")
    release(dest)
    return dest


def test_versions_from_the_command_line_share_one_mirror(client, two_versions, bare_tfrc,
                                                         ws_factory):
    host = HOST_OF[client.family]
    d = os.path.join(two_versions, "mirror", host, "lsms", "lsms")
    with open(os.path.join(d, "index.json")) as f:
        assert json.load(f) == {"versions": {"0.2.0-rc.1": {}, VERSION: {}}}
    n = names("0.2.0-rc.1")
    with zipfile.ZipFile(os.path.join(two_versions, n["zip"])) as zf:
        assert zf.namelist() == [n["binary"]]  # terraform-provider-lsms_v0.2.0-rc.1
    for version in ("0.2.0-rc.1", VERSION):  # a pre-release is only taken when asked for
        ws = ws_factory(client, bare_tfrc)
        ws.write("main.tf", config(version=version))
        ws.run("init", "-no-color", "-input=false",
               f"-plugin-dir={os.path.join(two_versions, 'mirror')}")
        selections = json.loads(ws.run("version", "-json").stdout)["provider_selections"]
        assert selections == {f"{host}/lsms/lsms": version}


# ---- the filesystem mirror (-plugin-dir, providers lock -fs-mirror) ----

def lock_from_fs_mirror(ws, layout):
    ws.write("main.tf", config())
    ws.run("providers", "lock", "-no-color", f"-fs-mirror={layout}", "-platform=linux_amd64")
    return lock_hashes(ws)


def test_init_with_plugin_dir_and_lock_verified(client, released, bare_tfrc, ws_factory):
    host = HOST_OF[client.family]
    layout = os.path.join(released, "mirror")

    ws = ws_factory(client, bare_tfrc)
    ws.write("main.tf", config())
    ws.run("init", "-no-color", "-input=false", f"-plugin-dir={layout}")
    assert f"provider[{host}/lsms/lsms] {VERSION}" in ws.run("providers", "-no-color").stdout
    selections = json.loads(ws.run("version", "-json").stdout)["provider_selections"]
    assert selections == {f"{host}/lsms/lsms": VERSION}
    installed = os.path.join(ws.path, ".terraform", "providers", host, "lsms", "lsms", VERSION,
                             "linux_amd64", names(VERSION)["binary"])
    assert os.stat(installed).st_mode & 0o777 == 0o755
    assert sha256_file(installed) == sha256_file(BINARY)

    # providers lock records the h1 our network-mirror JSON claims. A
    # filesystem mirror is unsigned, so the clients record no zh: (that
    # needs a registry's signed SHA256SUMS: test_registry_... below).
    locker = ws_factory(client, bare_tfrc)
    hashes = lock_from_fs_mirror(locker, layout)
    assert hashes == {f"{host}/lsms/lsms": [claimed_h1(released, VERSION, host)]}

    # A second init in a clean folder with that lock file verifies it.
    second = ws_factory(client, bare_tfrc)
    second.write("main.tf", config())
    shutil.copy(os.path.join(locker.path, ".terraform.lock.hcl"), second.path)
    r = second.run("init", "-no-color", "-input=false", f"-plugin-dir={layout}")
    assert "Installed lsms/lsms v" + VERSION in r.stdout, r.stdout
    assert lock_hashes(second) == hashes


def tamper(layout, how):
    """Changes the zip of both hosts in `layout` (a copy of the release's mirror)."""
    n = names(VERSION)
    for host in HOSTS:
        path = os.path.join(layout, host, "lsms", "lsms", n["zip"])
        with zipfile.ZipFile(path) as zf:
            data = bytearray(zf.read(n["binary"]))
            info = zf.getinfo(n["binary"])
        if how == "binary_byte":  # one byte of the binary changed, re-zipped alike
            data[len(data) // 2] ^= 0x01
            with zipfile.ZipFile(path, "w") as zf:
                zf.writestr(info, bytes(data), compress_type=zipfile.ZIP_DEFLATED)
        elif how == "extra_file":  # the zip modified: a file slipped in beside the binary
            with zipfile.ZipFile(path, "a") as zf:
                zf.writestr("README.txt", "not from the release\n")
        else:  # "corrupt": bytes of the zip file itself overwritten
            # At the start of the central directory (its offset is in the
            # end-of-central-directory record, the zip's last 22 bytes: no
            # comment is written). Bytes overwritten in the compressed binary
            # instead break it in ways that depend on the binary (flate's
            # "unexpected EOF", "corrupt input", or the entry's CRC), which
            # made this test change its message with each build.
            with open(path, "r+b") as f:
                f.seek(-22, os.SEEK_END)
                eocd = f.read(22)
                assert eocd[:4] == b"PK\x05\x06", eocd
                f.seek(int.from_bytes(eocd[16:20], "little"))
                f.write(b"\x00" * 16)


@pytest.mark.parametrize("how", ["binary_byte", "extra_file", "corrupt"])
def test_tampered_zip_is_refused(client, released, bare_tfrc, ws_factory, tmp_path, how):
    layout = os.path.join(released, "mirror")
    locker = ws_factory(client, bare_tfrc)
    lock_from_fs_mirror(locker, layout)

    tampered = str(tmp_path / "tampered")
    shutil.copytree(layout, tampered)
    tamper(tampered, how)

    ws = ws_factory(client, bare_tfrc)
    ws.write("main.tf", config())
    shutil.copy(os.path.join(locker.path, ".terraform.lock.hcl"), ws.path)
    r = ws.run("init", "-no-color", "-input=false", f"-plugin-dir={tampered}", check=False)
    assert r.returncode != 0, r
    text = " ".join(r.output.split())  # the clients wrap their messages
    if how == "corrupt":
        # The central directory no longer starts with its signature.
        assert "failed to calculate checksum" in text and "not a valid zip file" in text, r
    else:
        assert CHECKSUM_MISMATCH in text, r
    # Nothing installed (OpenTofu leaves only its linux_amd64.lock file
    # there), and the lock file still pins the released package.
    assert not os.path.exists(os.path.join(ws.path, ".terraform", "providers", HOST_OF[client.family],
                                           "lsms", "lsms", VERSION, "linux_amd64"))
    assert lock_hashes(ws) == lock_hashes(locker)


# ---- HTTPS servers: the release served as a network mirror and as a registry ----

def tls_files(directory):
    """A self-signed certificate for localhost and 127.0.0.1; the clients
    trust it through SSL_CERT_FILE (Go's crypto/x509 reads it on Linux)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path = os.path.join(directory, "cert.pem")
    key_path = os.path.join(directory, "key.pem")
    with open(cert_path, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(key_path, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM,
                                  serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    return cert_path, key_path


class HttpsServer:
    """Serves `routes(path) -> (content_type, bytes) or None` on 127.0.0.1,
    keeping the paths requested."""

    def __init__(self, directory, routes):
        self.requests = []
        cert, key = tls_files(directory)
        self.cert = cert
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outer.requests.append(self.path)
                answer = routes(self.path.split("?", 1)[0])
                if answer is None:
                    self.send_error(404)
                    return
                content_type, body = answer
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def static_files(root, path):
    full = os.path.realpath(os.path.join(root, path.lstrip("/")))
    if not full.startswith(os.path.realpath(root) + os.sep) or not os.path.isfile(full):
        return None
    ctype = "application/json" if full.endswith(".json") else "application/zip"
    with open(full, "rb") as f:
        return ctype, f.read()


@pytest.fixture
def https(tmp_path):
    servers = []

    def start(routes):
        d = tmp_path / f"tls{len(servers)}"
        d.mkdir()
        server = HttpsServer(str(d), routes)
        servers.append(server)
        return server

    yield start
    for s in servers:
        s.close()


def network_mirror_tfrc(path, url):
    with open(path, "w") as f:
        f.write('provider_installation {\n  network_mirror {\n'
                f'    url     = "{url}"\n'
                '    include = ["registry.opentofu.org/lsms/*", "registry.terraform.io/lsms/*"]\n'
                '  }\n}\n')
    return path


def test_network_mirror_serves_the_release(client, released, https, ws_factory, tmp_path):
    host = HOST_OF[client.family]
    root = os.path.join(released, "mirror")
    server = https(functools.partial(static_files, root))
    tfrc = network_mirror_tfrc(str(tmp_path / "net.tfrc"), f"https://127.0.0.1:{server.port}/")
    env = {"SSL_CERT_FILE": server.cert}

    ws = ws_factory(client, tfrc, env)
    ws.write("main.tf", config())
    ws.init()
    base = f"/{host}/lsms/lsms/"
    assert base + "index.json" in server.requests
    assert base + f"{VERSION}.json" in server.requests
    assert base + names(VERSION)["zip"] in server.requests
    # The client checked the download against the h1 of our JSON, and locks it.
    assert lock_hashes(ws) == {f"{host}/lsms/lsms": [claimed_h1(released, VERSION, host)]}
    assert f"provider[{host}/lsms/lsms] {VERSION}" in ws.run("providers", "-no-color").stdout

    # A mirror whose JSON claims another h1 than its zip has is refused: the
    # hash in <version>.json is what the client verifies.
    wrong = str(tmp_path / "wrong")
    shutil.copytree(root, wrong)
    doc_path = os.path.join(wrong, host, "lsms", "lsms", f"{VERSION}.json")
    with open(doc_path) as f:
        doc = json.load(f)
    doc["archives"]["linux_amd64"]["hashes"] = [
        "h1:" + base64.b64encode(hashlib.sha256(b"another package").digest()).decode()]
    with open(doc_path, "w") as f:
        json.dump(doc, f)
    bad_server = https(functools.partial(static_files, wrong))
    bad_tfrc = network_mirror_tfrc(str(tmp_path / "bad.tfrc"),
                                   f"https://127.0.0.1:{bad_server.port}/")
    bad = ws_factory(client, bad_tfrc, {"SSL_CERT_FILE": bad_server.cert})
    bad.write("main.tf", config())
    r = bad.run("init", "-no-color", "-input=false", check=False)
    assert r.returncode != 0, r
    wrong_h1 = doc["archives"]["linux_amd64"]["hashes"][0]
    assert f'doesn\'t match the expected checksum "{wrong_h1}"' in " ".join(r.output.split()), r


# ---- a registry serving the release, SHA256SUMS signed with a throwaway key ----

def gpg(gnupghome, *args):
    return subprocess.run(["gpg", "--batch", "--homedir", gnupghome, *args],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True)


@pytest.fixture
def gnupghome(tmp_path):
    """A keyring of its own with one throwaway signing key; the gpg-agent
    started for it is stopped afterwards."""
    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    yield str(home)
    subprocess.run(["gpgconf", "--homedir", str(home), "--kill", "gpg-agent"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def registry_routes(release_dir, armored_key, key_id, port, path):
    """The provider registry protocol over `release_dir`, as a registry
    would serve what `make release` wrote: the versions (protocols from each
    manifest), one download document per version, the files themselves."""
    if path == "/.well-known/terraform.json":
        return "application/json", json.dumps({"providers.v1": "/v1/providers/"}).encode()
    versions = {}
    for entry in os.listdir(release_dir):
        m = re.fullmatch(rf"{NAME}_(.+)_manifest\.json", entry)
        if m:
            with open(os.path.join(release_dir, entry)) as f:
                versions[m.group(1)] = json.load(f)["metadata"]["protocol_versions"]
    if path == "/v1/providers/lsms/lsms/versions":
        body = {"versions": [{"version": v, "protocols": p,
                              "platforms": [{"os": "linux", "arch": "amd64"}]}
                             for v, p in versions.items()]}
        return "application/json", json.dumps(body).encode()
    m = re.fullmatch(r"/v1/providers/lsms/lsms/([^/]+)/download/linux/amd64", path)
    if m and m.group(1) in versions:
        v = m.group(1)
        n = names(v)
        files = f"https://localhost:{port}/files/"
        body = {
            "protocols": versions[v], "os": "linux", "arch": "amd64",
            "filename": n["zip"], "download_url": files + n["zip"],
            "shasums_url": files + n["sums"], "shasums_signature_url": files + n["sums"] + ".sig",
            "shasum": sha256_file(os.path.join(release_dir, n["zip"])),
            "signing_keys": {"gpg_public_keys": [{"key_id": key_id, "ascii_armor": armored_key}]},
        }
        return "application/json", json.dumps(body).encode()
    if path.startswith("/files/"):
        return static_files(release_dir, path[len("/files/"):])
    return None


def test_registry_serves_the_signed_release(client, https, ws_factory, bare_tfrc, tmp_path,
                                            gnupghome):
    gpg(gnupghome, "--passphrase", "", "--quick-gen-key",
        "lsms release test (throwaway) <release-test@example.invalid>", "rsa2048", "sign", "1d")
    colons = gpg(gnupghome, "--with-colons", "--list-keys").stdout.decode()
    fingerprint = re.search(r"^fpr:+([0-9A-F]{40}):", colons, re.M).group(1)
    armored = gpg(gnupghome, "--armor", "--export", fingerprint).stdout.decode()

    dest = str(tmp_path / "signed")
    env = dict(os.environ, GNUPGHOME=gnupghome)
    release(dest, f"SIGN_KEY={fingerprint}", env=env)
    n = names(VERSION)
    sums = os.path.join(dest, n["sums"])
    gpg(gnupghome, "--verify", sums + ".sig", sums)  # check=True: a bad signature fails here

    server = https(lambda path: registry_routes(dest, armored, fingerprint[-16:], server.port,
                                                path))
    source = f"localhost:{server.port}/lsms/lsms"
    ws = ws_factory(client, bare_tfrc, {"SSL_CERT_FILE": server.cert})
    ws.write("main.tf", config(source))
    ws.init()
    assert f"provider[{source}] {VERSION}" in ws.run("providers", "-no-color").stdout
    hashes = lock_hashes(ws)[source]
    # Signed, so the client takes a zh: for each line of SHA256SUMS (the
    # zip's sha256, and the manifest's as with any registry provider) beside
    # the h1: it computed, which is the one our mirror JSON claims.
    with open(sums) as f:
        sums_zh = ["zh:" + line.split()[0] for line in f]
    assert "zh:" + sha256_file(os.path.join(dest, n["zip"])) in sums_zh
    assert sorted(hashes) == sorted([claimed_h1(dest, VERSION, HOSTS[0]), *sums_zh]), hashes
    assert f"/files/{n['sums']}.sig" in server.requests

    # A second init in a clean folder with that lock file verifies it.
    second = ws_factory(client, bare_tfrc, {"SSL_CERT_FILE": server.cert})
    second.write("main.tf", config(source))
    shutil.copy(os.path.join(ws.path, ".terraform.lock.hcl"), second.path)
    second.init()
    assert sorted(lock_hashes(second)[source]) == sorted(hashes)


# ---- make install uses the release ----

def test_make_install_installs_from_the_release(client, released, ws_factory, tmp_path):
    mirror, tfrc = tmp_path / "mirror", tmp_path / "lsms.tfrc"
    make("install", f"RELEASE_DIR={released}", f"MIRROR_DIR={mirror}", f"TFRC={tfrc}")
    n = names(VERSION)
    with zipfile.ZipFile(os.path.join(released, n["zip"])) as zf:
        from_zip = zf.read(n["binary"])
    for host in HOSTS:
        d = mirror / host / "lsms" / "lsms" / VERSION / "linux_amd64"
        assert os.listdir(d) == [n["binary"]]
        assert (d / n["binary"]).read_bytes() == from_zip
        assert (d / n["binary"]).stat().st_mode & 0o777 == 0o755
    ws = ws_factory(client, str(tfrc))
    ws.write("main.tf", config())
    ws.init()
    host = HOST_OF[client.family]  # each client's default registry host
    assert lock_hashes(ws) == {f"{host}/lsms/lsms": [claimed_h1(released, VERSION, host)]}

    # A release whose zip no longer matches its SHA256SUMS is not installed.
    broken = tmp_path / "broken"
    shutil.copytree(released, broken)
    with open(broken / n["zip"], "ab") as f:
        f.write(b"\0")
    proc = make("install", f"RELEASE_DIR={broken}", f"MIRROR_DIR={tmp_path / 'm2'}",
                f"TFRC={tmp_path / 't2.tfrc'}", check=False)
    assert proc.returncode != 0
    assert f"but {n['sums']} says" in proc.stderr, proc.stderr
    assert not (tmp_path / "m2").exists()
