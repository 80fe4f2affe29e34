#!/usr/bin/env python3
"""Release artifacts of terraform-provider-lsms (`make release`, `make install`).

    release.py check-version VERSION
    release.py build --binary OS_ARCH=BIN [--binary ...] --version V --out DIR [--sign-key KEY]
    release.py build --binary BIN --os-arch linux_amd64 --version V --out DIR   (one platform)
    release.py install --release DIR --version V --os-arch linux_amd64 --mirror DIR --tfrc FILE
    release.py h1 PATH          (the h1: hash of a zip file or of a directory)

`build` writes into DIR what a provider registry and a network mirror serve,
for each platform given (linux_amd64, linux_arm64) and for every other
platform whose zip of version V is already in DIR (so platforms built one at
a time make one release):

    terraform-provider-lsms_V_<os_arch>.zip     the binary terraform-provider-lsms_vV, mode 0755
    terraform-provider-lsms_V_SHA256SUMS        sha256sum lines of the zips and the manifest
    terraform-provider-lsms_V_manifest.json     the registry manifest (plugin protocol 6.0)
    terraform-provider-lsms_V_SHA256SUMS.sig    only with --sign-key: gpg detached signature
    mirror/<host>/lsms/lsms/terraform-provider-lsms_V_<os_arch>.zip
                                                the packed filesystem-mirror layout, for
                                                registry.opentofu.org and registry.terraform.io
    mirror/<host>/lsms/lsms/index.json, V.json  the network-mirror protocol's JSON, next to
                                                the zip so the archive URL is relative

The zip is reproducible: one entry, fixed time stamp and mode, so the same
binary gives the same bytes (with the same zlib) whatever the umask or the
binary's mtime. Standard library only: `make release` needs no virtualenv.

`install` extracts the release's zip (after checking it against SHA256SUMS)
into the unpacked filesystem-mirror layout <mirror>/<host>/lsms/lsms/V/<os_arch>/
and writes a CLI configuration pointing at it. Unpacked, because the CLIs
link such a directory into .terraform instead of extracting 50 MB per
`init`; its h1: hash is the zip's (h1 covers names and contents only).
"""

import argparse
import base64
import hashlib
import io
import json
import os
import re
import stat
import subprocess
import sys
import tempfile
import zipfile

NAME = "terraform-provider-lsms"
HOSTS = ("registry.opentofu.org", "registry.terraform.io")
SOURCE = ("lsms", "lsms")  # namespace, type
# The earliest time a zip's DOS time stamp can hold: any fixed value makes
# the archive reproducible, this one says plainly that it is not a date.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
ZIP_LEVEL = 6
MANIFEST = {"version": 1, "metadata": {"protocol_versions": ["6.0"]}}

# Semantic Versioning 2.0.0 without build metadata: MAJOR.MINOR.PATCH, an
# optional pre-release. Written with [0-9], not \d, which matches any
# Unicode digit.
_NUM = r"(?:0|[1-9][0-9]*)"
_PRE_ID = r"(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)"
SEMVER = re.compile(rf"{_NUM}\.{_NUM}\.{_NUM}(?:-{_PRE_ID}(?:\.{_PRE_ID})*)?")


class ReleaseError(Exception):
    pass


def version_error(version):
    """None when `version` is acceptable, else the sentence saying why not."""
    if SEMVER.fullmatch(version):
        return None
    why = ("it must be a semantic version MAJOR.MINOR.PATCH with an optional "
           "-PRERELEASE, e.g. 0.1.0 or 1.0.0-rc.1")
    if version.startswith("v") and SEMVER.fullmatch(version[1:]):
        why = "write it without the leading v (the binary's name adds it)"
    elif "+" in version and SEMVER.fullmatch(version.split("+", 1)[0]):
        why = ("build metadata (+...) is not accepted: Terraform and OpenTofu ignore it "
               "when comparing versions, so two releases would be indistinguishable")
    return f'VERSION "{version}" is refused: {why}'


def check_version(version):
    err = version_error(version)
    if err:
        raise ReleaseError(err)


def names(version, os_arch):
    return {
        "zip": f"{NAME}_{version}_{os_arch}.zip",
        "binary": f"{NAME}_v{version}",
        "sums": f"{NAME}_{version}_SHA256SUMS",
        "manifest": f"{NAME}_{version}_manifest.json",
    }


# ---- h1: Go's golang.org/x/mod/sumdb/dirhash Hash1, as Terraform's PackageHashV1 uses it ----

def hash1(files, open_file):
    """h1: of the named files, each read with open_file(name) (a binary file
    object). The summary hashed is one line per file, in byte order of the
    names: the hex SHA-256 of its content, two spaces, the name, a newline;
    the result is "h1:" and the base64 of that summary's SHA-256."""
    summary = hashlib.sha256()
    # Go's sort.Strings compares bytes; sorting the UTF-8 encodings does too.
    for name in sorted(files, key=lambda n: n.encode("utf-8")):
        if "\n" in name:
            raise ReleaseError(f"h1: file names with a newline are not supported: {name!r}")
        digest = hashlib.sha256()
        with open_file(name) as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
        summary.update(f"{digest.hexdigest()}  {name}\n".encode("utf-8"))
    return "h1:" + base64.b64encode(summary.digest()).decode("ascii")


def hash1_zip(path):
    """h1: of a zip (a path or a binary file object): its entries (every entry's name, directories included, as
    dirhash.HashZip lists them), independent of compression and time stamps."""
    with zipfile.ZipFile(path) as zf:
        return hash1([i.filename for i in zf.infolist()], zf.open)


def hash1_dir(path):
    """h1: of the files under a directory, names relative with '/' (as
    dirhash.HashDir with an empty prefix)."""
    files = []
    for root, _dirs, entries in os.walk(path):
        for entry in entries:
            rel = os.path.relpath(os.path.join(root, entry), path)
            files.append(rel.replace(os.sep, "/"))
    return hash1(files, lambda name: open(os.path.join(path, name), "rb"))


# ---- writing ----

def write_atomic(path, data, mode=0o644):
    """Writes `data` to `path` through a temporary file in the same directory
    and a rename, so a reader (or a concurrent `make install`) never sees a
    half-written file. The temporary name starts with a dot: globs of the
    mirror never match it."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def zip_bytes(entry_name, data):
    """A zip holding one file `entry_name` with `data`, mode 0755, fixed time."""
    info = zipfile.ZipInfo(entry_name, date_time=ZIP_TIME)
    info.create_system = 3  # Unix: external_attr carries the mode bits
    info.external_attr = (stat.S_IFREG | 0o755) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(info, data, compresslevel=ZIP_LEVEL)
    return buf.getvalue()


def mirror_versions(provider_dir, version):
    """The versions index.json lists: this one, and any other whose <v>.json
    is already in the directory (a mirror several releases were written to)."""
    versions = {version}
    if os.path.isdir(provider_dir):
        for entry in os.listdir(provider_dir):
            if entry.endswith(".json") and entry != "index.json":
                v = entry[: -len(".json")]
                if SEMVER.fullmatch(v):
                    versions.add(v)
    return versions


OS_ARCH = re.compile(r"[a-z0-9]+_[a-z0-9]+")


def platform_zips(out, version):
    """{os_arch: zip path} of the zips of `version` already in `out`."""
    found = {}
    prefix, suffix = f"{NAME}_{version}_", ".zip"
    if os.path.isdir(out):
        for entry in os.listdir(out):
            if entry.startswith(prefix) and entry.endswith(suffix):
                os_arch = entry[len(prefix):-len(suffix)]
                if OS_ARCH.fullmatch(os_arch):
                    found[os_arch] = os.path.join(out, entry)
    return found


def build(binaries, version, out, sign_key=None):
    """`binaries`: {os_arch: path of the binary}. Writes their zips and the
    files that list every platform of `version` in `out`."""
    check_version(version)
    for os_arch in binaries:
        if not OS_ARCH.fullmatch(os_arch):
            raise ReleaseError(f"{os_arch!r} is not a platform name like linux_amd64")
    archives = {}
    for os_arch, zip_path in platform_zips(out, version).items():
        if os_arch not in binaries:  # another platform, built before: kept
            with open(zip_path, "rb") as f:
                archives[os_arch] = f.read()
    for os_arch, binary in binaries.items():
        with open(binary, "rb") as f:
            archives[os_arch] = zip_bytes(names(version, os_arch)["binary"], f.read())
    n = names(version, "")
    manifest = (json.dumps(MANIFEST, indent=2) + "\n").encode()
    files = [(names(version, a)["zip"], data) for a, data in archives.items()]
    sums = "".join(
        f"{hashlib.sha256(content).hexdigest()}  {name}\n"
        for name, content in sorted(files + [(n["manifest"], manifest)])
    ).encode()

    # The h1 is read back through the zip reader, as a client reading the
    # archive would, not from the bytes put in.
    h1 = {a: hash1_zip(io.BytesIO(data)) for a, data in archives.items()}

    write_atomic(os.path.join(out, n["manifest"]), manifest)
    write_atomic(os.path.join(out, n["sums"]), sums)
    sig = os.path.join(out, n["sums"] + ".sig")
    if sign_key:
        sign(os.path.join(out, n["sums"]), sig, sign_key)
    elif os.path.exists(sig):
        os.unlink(sig)  # a signature of an older SHA256SUMS would be a lie
    for host in HOSTS:
        provider_dir = os.path.join(out, "mirror", host, *SOURCE)
        for os_arch, data in sorted(archives.items()):
            write_atomic(os.path.join(provider_dir, names(version, os_arch)["zip"]), data)
        version_doc = {"archives": {a: {"url": names(version, a)["zip"], "hashes": [h1[a]]}
                                    for a in sorted(archives)}}
        write_atomic(os.path.join(provider_dir, f"{version}.json"),
                     (json.dumps(version_doc, indent=2) + "\n").encode())
        index = {"versions": {v: {} for v in sorted(mirror_versions(provider_dir, version))}}
        write_atomic(os.path.join(provider_dir, "index.json"),
                     (json.dumps(index, indent=2) + "\n").encode())
    # The zips last: make takes a zip as the sign that the whole release is there.
    for os_arch in sorted(binaries):
        write_atomic(os.path.join(out, names(version, os_arch)["zip"]), archives[os_arch])
    print(f"released lsms/lsms {version} ({', '.join(sorted(archives))}) into {out}")
    for os_arch in sorted(archives):
        data = archives[os_arch]
        print(f"  {names(version, os_arch)['zip']}: {len(data)} bytes, "
              f"sha256 {hashlib.sha256(data).hexdigest()}, {h1[os_arch]}")


def sign(sums_path, sig_path, key):
    """A binary detached signature of SHA256SUMS, the form provider registries
    take, with the caller's gpg key (GNUPGHOME as gpg finds it)."""
    tmp = sig_path + ".tmp"
    proc = subprocess.run(
        ["gpg", "--batch", "--yes", "--local-user", key, "--detach-sign",
         "--output", tmp, sums_path],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if proc.returncode != 0:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise ReleaseError(f"gpg could not sign with key {key!r}:\n{proc.stdout}")
    os.replace(tmp, sig_path)


# ---- installing ----

def read_sums(path):
    sums = {}
    with open(path) as f:
        for line in f:
            digest, _, name = line.rstrip("\n").partition("  ")
            sums[name] = digest
    return sums


def install(release, version, os_arch, mirror, tfrc):
    check_version(version)
    n = names(version, os_arch)
    zip_path = os.path.join(release, n["zip"])
    if not os.path.exists(zip_path):
        raise ReleaseError(f"{zip_path} is missing: run `make release VERSION={version}` first")
    with open(zip_path, "rb") as f:
        archive = f.read()
    want = read_sums(os.path.join(release, n["sums"])).get(n["zip"])
    got = hashlib.sha256(archive).hexdigest()
    if want != got:
        raise ReleaseError(f"{zip_path} has sha256 {got}, but {n['sums']} says {want}")
    with open(os.path.join(release, "mirror", HOSTS[0], *SOURCE, f"{version}.json")) as f:
        claimed = json.load(f)["archives"][os_arch]["hashes"]

    with zipfile.ZipFile(zip_path) as zf:
        entries = zf.namelist()
        if entries != [n["binary"]]:
            raise ReleaseError(f"{zip_path} should hold only {n['binary']}, not {entries}")
        binary = zf.read(n["binary"])
    for host in HOSTS:
        d = os.path.join(mirror, host, *SOURCE, version, os_arch)
        # Replaced by a rename: a provider process may be running this file.
        write_atomic(os.path.join(d, n["binary"]), binary, mode=0o755)
        h1 = hash1_dir(d)
        if h1 not in claimed:
            raise ReleaseError(f"{d} hashes to {h1}, not to the release's {claimed}: "
                               "remove the stray files in it")

    mirror_abs = os.path.abspath(mirror)
    os.makedirs(os.path.dirname(os.path.abspath(tfrc)), exist_ok=True)
    with open(tfrc, "w") as f:
        f.write("# Written by `make install` of terraform-provider-lsms.\n"
                "provider_installation {\n"
                "  filesystem_mirror {\n"
                f'    path    = "{mirror_abs}"\n'
                '    include = ["registry.opentofu.org/lsms/*", "registry.terraform.io/lsms/*"]\n'
                "  }\n"
                "}\n")
    print(f"installed lsms/lsms {version} into {mirror}")
    print(f"use it with: export TF_CLI_CONFIG_FILE={tfrc}")


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check-version")
    c.add_argument("version")
    b = sub.add_parser("build")
    b.add_argument("--binary", required=True, action="append",
                   help="OS_ARCH=PATH, or a PATH of the --os-arch platform")
    b.add_argument("--version", required=True)
    b.add_argument("--os-arch", default="linux_amd64")
    b.add_argument("--out", required=True)
    b.add_argument("--sign-key", default="")
    i = sub.add_parser("install")
    i.add_argument("--release", required=True)
    i.add_argument("--version", required=True)
    i.add_argument("--os-arch", default="linux_amd64")
    i.add_argument("--mirror", required=True)
    i.add_argument("--tfrc", required=True)
    h = sub.add_parser("h1")
    h.add_argument("path")
    args = p.parse_args(argv)
    try:
        if args.cmd == "check-version":
            check_version(args.version)
        elif args.cmd == "build":
            binaries = {}
            for b in args.binary:
                os_arch, eq, path = b.partition("=")
                if not eq:
                    os_arch, path = args.os_arch, b
                binaries[os_arch] = path
            build(binaries, args.version, args.out, args.sign_key or None)
        elif args.cmd == "install":
            install(args.release, args.version, args.os_arch, args.mirror, args.tfrc)
        else:
            print(hash1_dir(args.path) if os.path.isdir(args.path) else hash1_zip(args.path))
    except ReleaseError as e:
        print(f"release: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
