"""tofu plan/apply/destroy against the local emulator, with the provider's
own timing logs and the emulator's request log.

Each step runs tofu with TF_LOG_PROVIDER=debug into a log file. From it:
  - "rpc handled" lines (provider/protocol/dispatch.c): method, duration_us
  - "aws call" lines (provider/aws/client.c): operation, duration_ms
Both are turned into time intervals (tofu stamps each line when it reads it,
the end of the interval) and merged, so overlapping concurrent calls count
once: `provider_ms` is the time at least one RPC was being handled,
`aws_ms` the time at least one AWS call was in flight.

The emulator's requests.jsonl gives the AWS calls each step made.
The provider's peak resident memory (VmHWM) is sampled from /proc while a
step runs.
"""
import json
import os
import re
import shutil
import subprocess
import threading
import time
from datetime import datetime

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"  # AWS documentation example keys
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

LINE_RE = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+)([+-]\d\d:?\d\d|Z)\s+\[(\w+)\]\s+(.*)$")
KV_RE = re.compile(r"(\w+)=(\"(?:[^\"\\]|\\.)*\"|\S+)")


def tofu_binary():
    out = subprocess.run([os.path.join(ROOT, "tests/tools/tofu-client")], check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    return out.strip().splitlines()[-1]


def parse_time(stamp):
    # tofu writes e.g. 2026-11-25T00:20:00.123+0000 (or Z); keep microseconds.
    return datetime.strptime(stamp[:26].ljust(26, "0")[:26], "%Y-%m-%dT%H:%M:%S.%f").timestamp()


def parse_log(path):
    """([(start_s, end_s, method)] RPCs, [(start_s, end_s, operation, service)] AWS calls)."""
    rpcs, calls = [], []
    if not os.path.exists(path):
        return rpcs, calls
    with open(path, errors="replace") as f:
        for line in f:
            if "rpc handled" not in line and "aws call" not in line:
                continue
            m = LINE_RE.match(line)
            if not m:
                continue
            end = parse_time(m.group(1))
            kv = {k: v.strip('"') for k, v in KV_RE.findall(m.group(4))}
            if "rpc handled" in line and "duration_us" in kv:
                rpcs.append((end - int(kv["duration_us"]) / 1e6, end, kv.get("method", "")))
            elif "aws call" in line and "duration_ms" in kv:
                calls.append((end - int(kv["duration_ms"]) / 1e3, end, kv.get("operation", ""),
                              kv.get("service", "")))
    return rpcs, calls


def union_s(intervals):
    """Total length covered by [(start, end, ...)] intervals."""
    total, cur_s, cur_e = 0.0, None, None
    for s, e, *_ in sorted(intervals):
        if cur_e is None or s > cur_e:
            if cur_e is not None:
                total += cur_e - cur_s
            cur_s, cur_e = s, e
        else:
            cur_e = max(cur_e, e)
    if cur_e is not None:
        total += cur_e - cur_s
    return total


# How long the emulator keeps a distribution InProgress after a create or
# update (LSMS_EMULATOR_CF_DEPLOY_SECONDS): CloudFront's propagation, a
# dependent AWS latency that the critical path includes.
CF_DEPLOY_SECONDS = float(os.environ.get("BENCH_CF_DEPLOY_SECONDS", "1.0"))


def complete_critical_path(calls, deploy_s=CF_DEPLOY_SECONDS):
    """The critical path of dependent AWS calls in an apply of
    examples/complete, from the provider's "aws call" lines: the provider
    is configured (sts), then the container exists (MediaStore, and IAM for
    its logging role: the IAM calls before any MediaLive or CloudFront one),
    then the channel (MediaLive, SSM, IAM) runs beside the distribution
    (CloudFront: its create, `deploy_s` of propagation, and the one read
    that sees it Deployed) followed by the dashboard (CloudWatch). Other
    resources count the time at least one of their calls was in flight;
    waiter sleeps and tofu's own work are not AWS calls and are left out.
    Returns (seconds, {part: seconds})."""
    later = [c[0] for c in calls if c[3] in ("medialive", "cloudfront")]
    first_later = min(later) if later else float("inf")

    def part(pred):
        return union_s([c for c in calls if pred(c)])

    parts = {
        "configure": part(lambda c: c[3] == "sts"),
        "container": part(lambda c: c[3] == "mediastore" or (c[3] == "iam" and c[1] <= first_later)),
        "channel": part(lambda c: c[3] in ("medialive", "ssm") or (c[3] == "iam" and c[1] > first_later)),
        "distribution": part(lambda c: c[2] == "CreateDistributionWithTags") + deploy_s +
                        min([c[1] - c[0] for c in calls if c[2] == "GetDistribution"] or [0.0]),
        "dashboard": part(lambda c: c[3] == "cloudwatch"),
    }
    total = parts["configure"] + parts["container"] + max(
        parts["channel"], parts["distribution"] + parts["dashboard"])
    return total, parts


def apply_span_s(rpcs):
    """From the start of the first ApplyResourceChange to the end of the last."""
    applies = [r for r in rpcs if r[2] == "ApplyResourceChange"]
    return max(r[1] for r in applies) - min(r[0] for r in applies) if applies else 0.0


class PeakRss:
    """Samples VmHWM of every provider process under `parent_pid`."""

    def __init__(self, name="terraform-provi", period_s=0.01):
        self.name = name
        self.period_s = period_s
        self.peak_kib = 0
        self.peak_anon_kib = 0
        self._stop = threading.Event()
        self._thread = None
        self.parent = None

    def _sample(self):
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open("/proc/%s/status" % pid) as f:
                    status = f.read()
            except OSError:
                continue
            fields = dict(l.split(":", 1) for l in status.splitlines() if ":" in l)
            if not fields.get("Name", "").strip().startswith(self.name):
                continue
            if int(fields.get("PPid", "0")) != self.parent:
                continue
            hwm = fields.get("VmHWM", "0 kB").split()[0]
            anon = fields.get("RssAnon", "0 kB").split()[0]
            self.peak_kib = max(self.peak_kib, int(hwm))
            self.peak_anon_kib = max(self.peak_anon_kib, int(anon))

    def _run(self):
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.period_s)

    def start(self, parent_pid):
        self.parent = parent_pid
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self):
        self._stop.set()
        if self._thread:
            self._thread.join()


class Emulator:
    def __init__(self, state_root):
        self.env = dict(os.environ, LSMS_EMULATOR_DIR=state_root,
                        LSMS_EMULATOR_CF_DEPLOY_SECONDS=str(CF_DEPLOY_SECONDS))
        out = subprocess.run([os.path.join(ROOT, "tests/emulator/start")], env=self.env,
                             check=True, stdout=subprocess.PIPE, text=True).stdout
        self.url = out.strip().splitlines()[-1]
        self.port = self.url.rsplit(":", 1)[1]
        self.log_path = os.path.join(state_root, self.port, "requests.jsonl")
        self.warm()

    def warm(self):
        """One read per service before anything is timed: moto builds a
        service's backend on its first request (100-300 ms here), a cost
        of the emulator that neither AWS nor the provider has."""
        import boto3
        session = boto3.Session(aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
                                region_name="us-east-1")
        reads = [("sts", "get_caller_identity"), ("iam", "list_roles"),
                 ("mediastore", "list_containers"), ("medialive", "list_channels"),
                 ("medialive", "list_inputs"), ("ssm", "describe_parameters"),
                 ("cloudfront", "list_distributions"), ("cloudwatch", "list_dashboards"),
                 ("logs", "describe_log_groups"), ("s3", "list_buckets")]
        for service, op in reads:
            getattr(session.client(service, endpoint_url=self.url), op)()

    def requests(self):
        if not os.path.exists(self.log_path):
            return []
        with open(self.log_path) as f:
            return [json.loads(l) for l in f if l.strip()]

    def stop(self):
        subprocess.run([os.path.join(ROOT, "tests/emulator/stop"), self.port], env=self.env,
                       check=False, stdout=subprocess.DEVNULL)


class Workspace:
    """A tofu working directory using the provider installed in `mirror`."""

    def __init__(self, tofu, directory, tfrc, emulator):
        self.tofu = tofu
        self.dir = directory
        self.emulator = emulator
        self.env = dict(os.environ)
        for k in ("TF_LOG", "TF_LOG_CORE", "TF_LOG_PATH", "AWS_PROFILE", "AWS_SESSION_TOKEN"):
            self.env.pop(k, None)
        self.env.update({
            "TF_CLI_CONFIG_FILE": tfrc, "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1",
            "TF_INPUT": "0", "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY, "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": emulator.url,
        })

    def run(self, *args, log=None):
        env = dict(self.env)
        if log:
            env["TF_LOG_PROVIDER"] = "debug"
            env["TF_LOG_PATH"] = log
        # Flags before a positional plan file, which must come last.
        cmd = [self.tofu, args[0], "-no-color", "-input=false", *args[1:]]
        proc = subprocess.Popen(cmd, cwd=self.dir,
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True)
        return proc

    def init(self):
        proc = self.run("init")
        out, _ = proc.communicate()
        if proc.returncode != 0:
            raise RuntimeError("tofu init failed in %s:\n%s" % (self.dir, out))

    def step(self, name, *args):
        """Runs one timed step; returns its figures."""
        log = os.path.join(self.dir, "%s.log" % name)
        if os.path.exists(log):
            os.remove(log)
        before = len(self.emulator.requests())
        rss = PeakRss()
        t0 = time.perf_counter()
        proc = self.run(*args, log=log)
        rss.start(proc.pid)
        out, _ = proc.communicate()
        wall = time.perf_counter() - t0
        rss.stop()
        if proc.returncode not in (0, 2):
            raise RuntimeError("tofu %s failed in %s:\n%s" % (" ".join(args), self.dir, out[-4000:]))
        rpcs, calls = parse_log(log)
        reqs = [r for r in self.emulator.requests()[before:] if r.get("service") != "moto-api"]
        return {
            "step": name,
            "wall_s": wall,
            "provider_s": union_s(rpcs),
            "aws_s": union_s(calls),
            "apply_span_s": apply_span_s(rpcs),
            "calls": calls,
            "rpcs": len(rpcs),
            "aws_calls_logged": len(calls),
            "requests": reqs,
            "peak_rss_kib": rss.peak_kib,
            "peak_anon_kib": rss.peak_anon_kib,
        }


def provider_version():
    with open(os.path.join(ROOT, "Makefile")) as f:
        m = re.search(r"^VERSION = (\S+)", f.read(), re.M)
    return m.group(1)


def install_provider(work, binary):
    """Installs `binary` into a filesystem mirror under `work` (the layout of
    `make install`, without building); returns the CLI config path."""
    mirror = os.path.join(work, "mirror")
    version = provider_version()
    shutil.rmtree(mirror, ignore_errors=True)
    for host in ("registry.opentofu.org", "registry.terraform.io"):
        d = os.path.join(mirror, host, "lsms/lsms", version, "linux_amd64")
        os.makedirs(d)
        shutil.copy2(binary, os.path.join(d, "terraform-provider-lsms_v" + version))
    tfrc = os.path.join(work, "lsms.tfrc")
    with open(tfrc, "w") as f:
        f.write('provider_installation {\n  filesystem_mirror {\n    path = "%s"\n'
                '    include = ["registry.opentofu.org/lsms/*", "registry.terraform.io/lsms/*"]\n'
                '  }\n}\n' % mirror)
    return tfrc


def scale_hcl(n):
    """n containers, each with its dashboard."""
    return """
terraform {
  required_providers {
    lsms = { source = "lsms/lsms" }
  }
}

provider "lsms" {
  region = "us-east-1"
}

# Changed by the update step: one in-place tag change per resource.
variable "tag" {
  type    = string
  default = "a"
}

resource "lsms_container" "c" {
  count = %d
  name  = "bench-${count.index}"
  tags  = { bench = var.tag }
}

resource "lsms_dashboard" "d" {
  count          = %d
  name           = "bench-${count.index}-live"
  container_name = lsms_container.c[count.index].name
  tags           = { bench = var.tag }
}
""" % (n, n)


def lifecycle(ws, steps=("plan", "apply", "replan", "destroy")):
    """plan (nothing exists), apply, replan (reads only), update (the scale
    configurations' tag), destroy."""
    commands = {
        "plan": ("plan", "-out=bench.tfplan"),
        "apply": ("apply", "-auto-approve", "bench.tfplan"),
        "replan": ("plan", "-detailed-exitcode"),
        "update": ("apply", "-auto-approve", "-var=tag=b"),
        "destroy": ("destroy", "-auto-approve"),
    }
    return {s: ws.step(s, *commands[s]) for s in steps}


def prepare_complete(work, tofu, tfrc, emulator, example="complete"):
    """examples/<example> (complete or complete-s3) in a copy of examples/."""
    dest = os.path.join(work, "examples-" + example)
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(os.path.join(ROOT, "examples"), dest,
                    ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
    ws = Workspace(tofu, os.path.join(dest, example), tfrc, emulator)
    ws.init()
    return ws


def prepare_scale(work, tofu, tfrc, emulator, n):
    d = os.path.join(work, "scale-%d" % n)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    with open(os.path.join(d, "main.tf"), "w") as f:
        f.write(scale_hcl(n))
    ws = Workspace(tofu, d, tfrc, emulator)
    ws.init()
    return ws
