"""An emulator with tests/tools/faultproxy.py in front of it, and an example
copied into a workspace whose provider talks to the proxy
(AWS_ENDPOINT_URL), plus the orphan check: everything the emulator holds must
be referenced by the client's (OpenTofu's or Terraform's) state.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

import harness
from emulator_inventory import inventory
from fixture import Emulator

REPO = harness.REPO
FAULTPROXY = os.path.join(REPO, "tests", "tools", "faultproxy.py")
EXAMPLES = os.path.join(REPO, "examples")


class Proxy:
    """One faultproxy process (bounded: it exits by itself after an hour)."""

    def __init__(self, upstream, log_path, max_seconds=3600, rules_path=None):
        rules = ["--rules", rules_path] if rules_path else []
        self.proc = subprocess.Popen(
            [sys.executable, FAULTPROXY, "--upstream", upstream, "--log", log_path,
             "--max-seconds", str(max_seconds), *rules],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("FAULTPROXY_READY "):
            self.proc.kill()
            raise RuntimeError(f"faultproxy did not start: {line}{self.proc.stdout.read()}")
        self.url = line.split()[1]

    def _post(self, name, doc=None):
        req = urllib.request.Request(f"{self.url}/__faultproxy/{name}",
                                     data=json.dumps(doc or {}).encode(), method="POST")
        urllib.request.urlopen(req, timeout=10).read()

    def set_rules(self, rules):
        self._post("rules", rules)

    def reset(self):
        """Index back to 0, log cleared (the rules stay)."""
        self._post("reset")

    def calls(self):
        with urllib.request.urlopen(f"{self.url}/__faultproxy/calls", timeout=10) as r:
            return json.loads(r.read())

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Stack:
    """Emulator + proxy + a copy of examples/ with `example` as workspace
    (example=None: an empty workspace)."""

    def __init__(self, client, tfrc, tmp_path, example="complete", emulator_env=None,
                 workspace_env=None):
        self.tmp = str(tmp_path)
        self.emulator = Emulator(env=emulator_env)
        try:
            self.proxy = Proxy(self.emulator.url, os.path.join(self.tmp, "proxy.jsonl"))
        except Exception:
            self.emulator.stop()
            raise
        if example:
            dest = os.path.join(self.tmp, "examples")
            # The whole examples/ tree is copied so `../modules/live-stream` resolves.
            shutil.copytree(EXAMPLES, dest,
                            ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
            path = os.path.join(dest, example)
        else:
            path = os.path.join(self.tmp, "ws")  # an empty workspace for the test's own config
        env = dict(harness.emulator_env(self.proxy.url), **(workspace_env or {}))
        self.ws = harness.Workspace(client, path, tfrc, env)

    def close(self):
        self.proxy.stop()
        self.emulator.stop()

    def reset_emulator(self):
        """A fresh, empty account (moto's reset also clears the layer's state)."""
        req = urllib.request.Request(f"{self.emulator.url}/moto-api/reset", data=b"",
                                     method="POST")
        urllib.request.urlopen(req, timeout=30).read()

    def inventory(self):
        return inventory(self.emulator.url)


def state_resources(state):
    """Every resource of a `show -json` document, child modules included."""
    out = []

    def walk(module):
        out.extend(module.get("resources", []))
        for child in module.get("child_modules", []):
            walk(child)

    walk((state.get("values") or {}).get("root_module") or {})
    return out


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def unknown_to_state(found, state):
    """What the emulator holds that no resource in `state` references:
    {kind: [names or ids]}. A thing is referenced when some string attribute
    of a resource equals it or holds it as an ARN / path component (a role
    in role_arn); the pull-password parameter is named after its channel.
    A bucket policy statement ("<bucket> <Sid> <distribution ARN>", see
    emulator_inventory) is referenced only by a distribution of the state
    that still exists and still has that bucket as its origin: a statement
    naming a deleted distribution, or left on a former origin, grants
    CloudFront reads nobody manages. An object (outside the stream's folder,
    emulator_inventory) is referenced only by an lsms_player of the state
    whose `objects` name it."""
    refs = set()
    grants = set()
    owned = set()
    resources = state_resources(state)
    # A container by its endpoint (which names the proxy, when the provider
    # talks to the emulator through one).
    containers = {(r.get("values") or {}).get("endpoint"): (r.get("values") or {}).get("name")
                  for r in resources if r.get("type") == "lsms_container"}
    for res in resources:
        values = res.get("values") or {}
        if res.get("type") == "lsms_player":
            endpoint = values.get("container_endpoint") or ""
            where = (f"s3://{values['bucket']}/" if values.get("bucket") else
                     f"mediastore://{containers.get(endpoint) or endpoint.rstrip('/').rsplit('/', 1)[-1]}/")
            owned.update(where + key for key in (values.get("objects") or {}))
        for s in _strings(values):
            refs.add(s)
            refs.update(p for p in re.split(r"[/:]", s) if p)
        if res.get("type") == "lsms_channel" and values.get("name"):
            refs.add(f"/lsms/channel/{values['name']}/pull-password")
        if res.get("type") == "lsms_distribution" and \
                values.get("id") in found.get("distributions", []):
            grants.add((values.get("origin_bucket"), values.get("arn")))

    def referenced(kind, item):
        if kind == "bucket_policy_statements":
            bucket, _, arn = item.split(" ", 2)
            return (bucket, arn) in grants
        if kind == "objects":
            return item in owned
        return item in refs

    return {kind: [x for x in items if not referenced(kind, x)]
            for kind, items in found.items() if any(not referenced(kind, x) for x in items)}


def retries_in_log(path):
    """(attempts, retries) from the provider's debug log: one "aws call" line
    per attempt, attempt=N counting from 1, so retries = lines with N > 1."""
    attempts = retries = 0
    with open(path, errors="replace") as f:
        for line in f:
            if "aws call" not in line:
                continue
            m = re.search(r"\battempt=(\d+)", line)
            if not m:
                continue
            attempts += 1
            if int(m.group(1)) > 1:
                retries += 1
    return attempts, retries


def report(name, doc, tmp_path):
    """Writes a test's figures as <name>.json into $LSMS_RELIABILITY_REPORT_DIR
    (where `make soak` collects them), else into the test's tmp_path."""
    out = os.environ.get("LSMS_RELIABILITY_REPORT_DIR") or str(tmp_path)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, f"{name}.json"), "w") as f:
        json.dump(doc, f, indent=1)


def wait_for(predicate, timeout, interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()
