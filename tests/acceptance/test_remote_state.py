"""Team use: examples/multi-stream with its state in S3, locked, shared by two
workspaces at once.

The backend block is the one examples/README.md shows (`use_lockfile =
true`), with the emulator's bucket and endpoint put in. Two workspaces hold
the same configuration and the same backend key, as two people's checkouts
do, and run against one emulator:

1. both apply at once: the one that takes the lock first applies everything,
   the other is refused the lock (412 on `<key>.tflock`), waits
   (`-lock-timeout`), then finds nothing to do;
2. one plans while the other applies with `-lock-timeout=0s`: that apply
   fails with the lock error naming the plan's lock, and changes nothing;
3. the second workspace's plan is empty; it destroys; the first then sees
   the destroy (its plan wants everything back).

After each step the state object is read with boto3: one lineage, a serial
that only grows, no serial written twice (two writers starting from the same
state would each write serial+1), and exactly the resources the emulator
holds (each resource of the state exists; nothing exists outside it). The
lock object's history (the bucket is versioned) shows every lock released.

To hold a window open for certain rather than by timing, the lock holder is
paused (SIGSTOP) once its lock object exists, until the other workspace has
been refused; then it goes on (SIGCONT).

Runs with each client found; both OpenTofu (>= 1.10) and Terraform (>= 1.11)
lock with `use_lockfile` against the emulator's S3.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import botocore.exceptions
import pytest

from fixture import Emulator
from harness import REPO, emulator_env

sys.path.insert(0, os.path.join(REPO, "tests", "tools"))
from emulator_inventory import inventory  # noqa: E402

EXAMPLES = os.path.join(REPO, "examples")
README = os.path.join(EXAMPLES, "README.md")
KEY = "live/multi-stream.tfstate"
LOCK = KEY + ".tflock"
WAIT = 120  # seconds any one step may take on a loaded 2-core machine


@pytest.fixture
def fresh_emulator():
    """An emulator of its own, so that the inventory is this test's alone."""
    emu = Emulator()
    try:
        yield emu
    finally:
        emu.stop()


def readme_backend(bucket, url):
    """The README's `backend "s3"` block, with `bucket` for the team's bucket
    and the emulator's S3 at `url` (path-style, no STS/IMDS look-ups)."""
    with open(README) as f:
        blocks = re.findall(r"```hcl\n(.*?)```", f.read(), re.S)
    block = next(b for b in blocks if 'backend "s3"' in b)
    block, n = re.subn(r'(\n\s*bucket\s*=\s*)"[^"]*"', rf'\1"{bucket}"', block)
    assert n == 1, block
    assert f'"{KEY}"' in block, block
    emulator_lines = (
        f'    endpoints                   = {{ s3 = "{url}" }}\n'
        "    use_path_style              = true\n"
        "    skip_credentials_validation = true\n"
        "    skip_requesting_account_id  = true\n"
        "    skip_metadata_api_check     = true\n"
        "    skip_region_validation      = true\n"
    )
    # Before the line closing the backend block.
    head, sep, tail = block.partition('backend "s3" {\n')
    body, close, rest = re.split(r"(\n  \}\n)", tail, maxsplit=1)
    return head + sep + body + "\n" + emulator_lines.rstrip("\n") + close + rest


class Run:
    """One client command running in the background, its output in a file."""

    def __init__(self, ws, log, *args):
        self.log = log
        self.args = args
        with open(log, "w") as out:
            self.proc = subprocess.Popen([ws.client, *args], cwd=ws.path, env=ws.env,
                                         stdout=out, stderr=subprocess.STDOUT,
                                         start_new_session=True)

    def output(self):
        with open(self.log) as f:
            return f.read()

    def wait(self):
        self.proc.wait(timeout=WAIT)
        return self.proc.returncode, self.output()

    def pause(self):
        os.kill(self.proc.pid, signal.SIGSTOP)

    def resume(self):
        os.kill(self.proc.pid, signal.SIGCONT)

    def kill(self):
        """Leaves nothing running: the client and its provider processes."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGCONT)
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=30)


def wait_for(what, predicate, runs=()):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if predicate():
            return
        for run in runs:
            if run.proc.poll() is not None:
                pytest.fail(f"{' '.join(run.args)} ended while waiting for {what}:\n"
                            f"{run.output()}")
        time.sleep(0.02)
    pytest.fail(f"timed out waiting for {what}")


def pause_holding_the_lock(run, s3, bucket):
    """Pauses `run` once it holds the lock; returns the lock's content."""
    wait_for(f"the lock of {' '.join(run.args[:1])}", lambda: lock_info(s3, bucket) is not None,
             [run])
    run.pause()
    holder = lock_info(s3, bucket)
    if holder is None or run.proc.poll() is not None:
        pytest.fail("the command ended before it could be paused holding the lock:\n"
                    + run.output())
    return holder


def lock_info(s3, bucket):
    """The lock object's content (the holder's ID, Operation, Who...), or
    None when nobody holds the lock."""
    try:
        return json.load(s3.get_object(Bucket=bucket, Key=LOCK)["Body"])
    except botocore.exceptions.ClientError as e:
        if e.response["Error"]["Code"] in ("NoSuchKey", "404"):
            return None
        raise


def refused_lock_writes(emulator):
    """PutObjects answered 412: only lock writes are conditional here."""
    return sum(1 for r in emulator.request_log()
               if r["operation"] == "PutObject" and r["status"] == 412)


def added(output):
    m = re.search(r"Resources: (\d+) added, (\d+) changed, (\d+) destroyed", output)
    assert m, output
    return int(m.group(1)), int(m.group(2)), int(m.group(3))


def check_state(s3, bucket, url, lineage=None):
    """Reads the state object and every version of it; checks that it is not
    corrupted and matches the emulator exactly. Returns the current state."""
    state = json.load(s3.get_object(Bucket=bucket, Key=KEY)["Body"])
    assert state["version"] == 4, state
    versions = [v for v in s3.list_object_versions(Bucket=bucket, Prefix=KEY)["Versions"]
                if v["Key"] == KEY]
    history = [json.load(s3.get_object(Bucket=bucket, Key=KEY, VersionId=v["VersionId"])["Body"])
               for v in versions]
    assert {h["lineage"] for h in history} == {state["lineage"]}, history
    serials = [h["serial"] for h in history]
    # No serial written twice: two writers from one state would each write
    # serial+1, one overwriting the other's resources.
    assert len(set(serials)) == len(serials), serials
    assert state["serial"] == max(serials), serials
    if lineage is not None:
        assert state["lineage"] == lineage

    expected = {k: set() for k in ("buckets", "channels", "inputs", "input_security_groups",
                                   "distributions", "origin_access_controls", "dashboards",
                                   "roles")}
    players = []  # (bucket, key) of every object a player recorded
    count = 0
    for res in state["resources"]:
        assert res["mode"] == "managed", res
        for inst in res["instances"]:
            count += 1
            a = inst["attributes"]
            if res["type"] == "lsms_bucket":
                expected["buckets"].add(a["name"])
            elif res["type"] == "lsms_channel":
                expected["channels"].add(a["id"])
                expected["inputs"].add(a["input_id"])
                if a.get("input_security_group_id"):
                    expected["input_security_groups"].add(a["input_security_group_id"])
                expected["roles"].add(a["role_arn"].rsplit("/", 1)[1])
            elif res["type"] == "lsms_distribution":
                expected["distributions"].add(a["id"])
                if a.get("origin_access_control_id"):
                    expected["origin_access_controls"].add(a["origin_access_control_id"])
            elif res["type"] == "lsms_dashboard":
                expected["dashboards"].add(a["name"])
            elif res["type"] == "lsms_player":
                # The demo player (issue 20): objects in a bucket above, not
                # a resource of their own in the inventory.
                players.extend((a["bucket"], key) for key in a["objects"])
            else:
                pytest.fail(f"unexpected resource in the state: {res['type']}")
    found = inventory(url)
    found["buckets"] = [b for b in found["buckets"] if b != bucket]
    for kind, names in expected.items():
        assert sorted(found[kind]) == sorted(names), (kind, found[kind], names)
    assert found["containers"] == [] and found["parameters"] == [], found
    for player_bucket, key in players:
        assert player_bucket in expected["buckets"], (player_bucket, key)
        s3.head_object(Bucket=player_bucket, Key=key)  # 404 raises
    # One bucket-policy statement per distribution that reads a bucket.
    assert len(found["bucket_policy_statements"]) == len(expected["origin_access_controls"])
    state["instances"] = count
    return state


# The Terraform built from the module proxy has no S3 backend (harness.py):
# OpenTofu and the older Terraform run this.
@pytest.mark.older_clients
@pytest.mark.clients("s3_backend")
def test_two_workspaces_share_one_locked_state(client, workspace_factory, tmp_path,
                                               fresh_emulator):
    emulator = fresh_emulator
    s3 = emulator.client("s3")
    bucket = f"lsms-tfstate-{client[0]}"
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})

    backend = readme_backend(bucket, emulator.url)
    assert "use_lockfile = true" in backend, backend
    workspaces = []
    for person in ("alice", "bob"):
        checkout = tmp_path / person
        shutil.copytree(EXAMPLES, checkout,
                        ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
        (checkout / "multi-stream" / "backend.tf").write_text(backend)
        ws = workspace_factory(client, env=emulator_env(emulator.url))
        ws.path = str(checkout / "multi-stream")
        ws.init()
        workspaces.append(ws)
    alice, bob = workspaces
    args = [f"-var=prefix=team-{client[0]}"]
    logs = tmp_path / "logs"
    logs.mkdir()
    runs = []

    def start(ws, name, *cmd):
        run = Run(ws, str(logs / f"{name}.log"), *cmd, "-no-color", "-input=false", *args)
        runs.append(run)
        return run

    try:
        # 1. Both apply at once. Alice takes the lock first (paused while
        # she holds it); Bob, willing to wait, is refused, waits, then
        # applies on the state she left: nothing to do.
        first = start(alice, "alice-apply", "apply", "-auto-approve", "-lock-timeout=0s")
        holder = pause_holding_the_lock(first, s3, bucket)
        assert holder["Operation"] == "OperationTypeApply", holder
        refused = refused_lock_writes(emulator)
        second = start(bob, "bob-apply", "apply", "-auto-approve", f"-lock-timeout={WAIT}s")
        wait_for("bob to be refused the lock", lambda: refused_lock_writes(emulator) > refused,
                 [second])
        assert lock_info(s3, bucket)["ID"] == holder["ID"]  # still alice's
        first.resume()
        code, out_first = first.wait()
        assert code == 0, out_first
        code, out_second = second.wait()
        assert code == 0, out_second
        state = check_state(s3, bucket, emulator.url)
        assert state["instances"] == 15, state["resources"]  # 5 per stream (with its player)
        assert added(out_first) == (15, 0, 0), out_first
        assert added(out_second) == (0, 0, 0), out_second
        assert lock_info(s3, bucket) is None

        # 2. Alice plans; Bob's apply without waiting fails with the lock
        # error that names her plan's lock, and changes nothing.
        planning = start(alice, "alice-plan", "plan", "-detailed-exitcode")
        holder = pause_holding_the_lock(planning, s3, bucket)
        assert holder["Operation"] == "OperationTypePlan", holder
        before = s3.head_object(Bucket=bucket, Key=KEY)["VersionId"]
        r = bob.apply(*args, "-lock-timeout=0s", check=False)
        assert r.returncode == 1, r.output
        assert "Error acquiring the state lock" in r.output, r.output
        assert "PreconditionFailed" in r.output, r.output
        assert holder["ID"] in r.output and "OperationTypePlan" in r.output, r.output
        assert s3.head_object(Bucket=bucket, Key=KEY)["VersionId"] == before
        planning.resume()
        code, out = planning.wait()
        assert code == 0, out  # alice's plan: no changes
        assert check_state(s3, bucket, emulator.url, state["lineage"])["serial"] == state["serial"]

        # 3. Bob's plan is empty; he destroys; Alice sees it.
        code, r = bob.plan_exitcode(*args)
        assert code == 0, r.output
        r = bob.destroy(*args)
        assert "Resources: 15 destroyed" in r.output, r.output
        final = check_state(s3, bucket, emulator.url, state["lineage"])
        assert final["resources"] == [] and final["serial"] > state["serial"], final
        found = inventory(emulator.url)
        # Nothing but the state bucket and what the backend keeps in it.
        found["objects"] = [o for o in found.get("objects", [])
                            if not o.startswith(f"s3://{bucket}/")]
        assert found["buckets"] == [bucket] and not any(
            v for k, v in found.items() if k != "buckets"), found
        code, r = alice.plan_exitcode(*args)
        assert code == 2 and "15 to add" in r.output, r.output

        # Every lock taken was released: as many delete markers as lock
        # versions, and no lock left.
        listed = s3.list_object_versions(Bucket=bucket, Prefix=LOCK)
        locks = [v for v in listed.get("Versions", []) if v["Key"] == LOCK]
        released = [m for m in listed.get("DeleteMarkers", []) if m["Key"] == LOCK]
        assert len(locks) == len(released) >= 6, (locks, released)
        assert lock_info(s3, bucket) is None
    finally:
        for run in runs:
            run.kill()
