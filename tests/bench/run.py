"""`make bench`: what users feel, printed as one markdown table and written to
build/bench/results.md. Benchmarks, not tests: no figure fails the run.

Usage: run.py PROVIDER_BINARY [--runs N] [--scale 1,10,50,100] [--out FILE]
"""
import argparse
import collections
import os
import platform
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import startup  # noqa: E402
import tofu_bench  # noqa: E402

TARGETS = {
    "handshake_p50_ms": "≤ 5 ms",
    "schema_p50_ms": "≤ 1 ms",
    "peak_rss": "≤ 16 MiB",
}
# Services whose calls belong to lsms_dashboard in the scale runs; every
# other call (MediaStore, its data plane, IAM for the logging role) belongs
# to lsms_container.
DASHBOARD_SERVICES = {"cloudwatch"}


def reference_provider():
    out = subprocess.run([os.path.join(HERE, "go-reference-provider")], stdout=subprocess.PIPE,
                         text=True, check=False).stdout.strip()
    return out.splitlines()[-1] if out else None


def fmt(v, unit="", digits=2):
    if v is None:
        return "–"
    return ("%." + str(digits) + "f%s") % (v, unit)


def ratio(a, b):
    return "%.2f×" % (a / b) if a is not None and b else "–"


def startup_rows(ours, reference, runs):
    a = startup.measure(ours, runs)
    b = startup.measure(reference, runs) if reference else {}
    rows = [
        ("exec → handshake line, p50", "handshake_p50_ms", "ms"),
        ("exec → handshake line, p95", "handshake_p95_ms", "ms"),
        ("first call (connect + schema), p50", "first_call_p50_ms", "ms"),
        ("GetProviderSchema, p50 (warm)", "schema_p50_ms", "ms"),
        ("GetProviderSchema, p95 (warm)", "schema_p95_ms", "ms"),
        ("resident memory after schema", "rss_after_schema_mib", " MiB"),
    ]
    out = []
    for label, key, unit in rows:
        out.append((label, fmt(a[key], " " + unit.strip()), fmt(b.get(key), " " + unit.strip()),
                    ratio(a[key], b.get(key)),
                    TARGETS.get(key, "")))
    return out, a, b


def calls_by(requests, pred=lambda r: True):
    return sum(1 for r in requests if pred(r))


def ops_summary(requests):
    c = collections.Counter(r["operation"] for r in requests)
    return ", ".join("%s×%d" % (op, n) if n > 1 else op for op, n in sorted(c.items()))


def step_row(label, st, n=None):
    wall = st["wall_s"]
    per = " (%.0f ms/resource)" % (wall * 1e3 / n) if n else ""
    share = st["provider_s"] / wall * 100 if wall else 0
    return (label, "%.2f s%s" % (wall, per), "%.2f s (%.0f%%)" % (st["provider_s"], share),
            "%.2f s" % st["aws_s"], str(len(st["requests"])),
            "%.1f MiB (anon %.1f)" % (st["peak_rss_kib"] / 1024, st["peak_anon_kib"] / 1024))


def tofu_section(binary, work, scales):
    tofu = tofu_bench.tofu_binary()
    tfrc = tofu_bench.install_provider(work, binary)
    emu = tofu_bench.Emulator(os.path.join(work, "emulator"))
    rows, calls = [], {}
    try:
        ws = tofu_bench.prepare_complete(work, tofu, tfrc, emu)
        res = tofu_bench.lifecycle(ws, ("plan", "apply", "replan", "destroy"))
        for step, st in res.items():
            rows.append(step_row("examples/complete: %s" % step, st))
        calls["complete"] = res
        rows_critical = critical_rows(res["apply"])
        # The S3 origin (AWS today): the same stream on a bucket with an OAC.
        ws = tofu_bench.prepare_complete(work, tofu, tfrc, emu, "complete-s3")
        res = tofu_bench.lifecycle(ws, ("plan", "apply", "replan", "destroy"))
        for step, st in res.items():
            rows.append(step_row("examples/complete-s3: %s" % step, st))
        calls["complete-s3"] = res
        for n in scales:
            ws = tofu_bench.prepare_scale(work, tofu, tfrc, emu, n)
            res = tofu_bench.lifecycle(ws, ("plan", "apply", "replan", "update", "destroy"))
            for step, st in res.items():
                rows.append(step_row("%d containers + %d dashboards: %s" % (n, n, step), st,
                                     2 * n))
            calls[n] = res
    finally:
        emu.stop()
    calls["critical"] = rows_critical
    return rows, calls


# The fewest calls the APIs allow for what each operation must do (design §3),
# worked out by hand from the AWS API references; see README.md.
MINIMUM = {
    ("lsms_container", "create"): "8: CreateContainer, DescribeContainer (the endpoint exists "
                                  "once ACTIVE), GetRole (logging role), StartAccessLogging, "
                                  "4 Put*Policy (concurrent)",
    ("lsms_container", "read"): "6: DescribeContainer, 4 Get*Policy, ListTagsForResource",
    ("lsms_container", "update"): "refresh (6) + 1: TagResource",
    ("lsms_container", "delete"): "refresh (6) + 1 + polls: DeleteContainer, "
                                  "DescribeContainer until gone",
    ("lsms_dashboard", "create"): "2: GetDashboard (PutDashboard overwrites silently), "
                                  "PutDashboard",
    ("lsms_dashboard", "read"): "2: GetDashboard, ListTagsForResource",
    ("lsms_dashboard", "update"): "refresh (2) + 1: TagResource",
    ("lsms_dashboard", "delete"): "refresh (2) + 1: DeleteDashboards",
    ("provider", "configure"): "1: GetCallerIdentity (account id), once per tofu run",
}


def critical_rows(st):
    """The apply of examples/complete against its critical path."""
    crit, parts = tofu_bench.complete_critical_path(st["calls"])
    wall, span = st["wall_s"], st["apply_span_s"]
    detail = ("configure %.0f + container %.0f + max(channel %.0f, distribution %.0f "
              "(with %.1f s of deployment) + dashboard %.0f) ms") % (
        parts["configure"] * 1e3, parts["container"] * 1e3, parts["channel"] * 1e3,
        parts["distribution"] * 1e3, tofu_bench.CF_DEPLOY_SECONDS, parts["dashboard"] * 1e3)
    return [
        ("critical path of dependent AWS calls", "%.2f s" % crit, detail),
        ("provider: first to last ApplyResourceChange", "%.2f s" % span,
         "%.2f× the critical path (target ≤ 1.2×)" % (span / crit if crit else 0)),
        ("tofu apply, wall", "%.2f s" % wall,
         "%.2f× the critical path; includes tofu's own plan, graph walk and two provider "
         "starts" % (wall / crit if crit else 0)),
    ]


def owner(r):
    if r["service"] == "sts":
        return "provider"
    return "lsms_dashboard" if r["service"] in DASHBOARD_SERVICES else "lsms_container"


def calls_rows(res):
    """AWS calls per resource and step of a scale run with n=1. The update
    and destroy steps start with tofu's refresh, whose reads are listed."""
    steps = [("create", "apply"), ("read", "replan"), ("update", "update"),
             ("delete", "destroy")]
    rows = []
    for op, step in steps:
        reqs = res[step]["requests"]
        for who in ("lsms_container", "lsms_dashboard"):
            mine = [r for r in reqs if owner(r) == who]
            rows.append((who, "%s (tofu %s)" % (op, step), str(len(mine)), ops_summary(mine),
                         MINIMUM[(who, op)]))
    sts = [r for r in res["apply"]["requests"] if owner(r) == "provider"]
    rows.append(("provider", "configure", str(len(sts)), ops_summary(sts),
                 MINIMUM[("provider", "configure")]))
    return rows


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "50")))
    ap.add_argument("--scale", default=os.environ.get("BENCH_SCALE", "1,10,50,100"))
    ap.add_argument("--out", default="build/bench/results.md")
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    work = os.path.abspath(os.path.dirname(args.out))
    os.makedirs(work, exist_ok=True)
    scales = [int(x) for x in args.scale.split(",") if x]
    if 1 not in scales:
        scales.insert(0, 1)

    reference = reference_provider()
    t0 = time.time()
    srows, _, _ = startup_rows(binary, reference, args.runs)
    trows, calls = tofu_section(binary, work, scales)

    out = ["# terraform-provider-lsms benchmarks", "",
           "%s, %d CPUs, %s; %d runs per start-up figure; tofu against the local emulator."
           % ("Linux " + platform.release(), os.cpu_count(),
              time.strftime("%Y-%m-%d"), args.runs), "",
           "## Start-up (direct go-plugin client, no tofu)", "",
           table(["figure", "lsms (C)", "goref (Go framework)", "ratio", "target"], srows), "",
           "Reference: %s." % (reference or "none (tests/bench/go-reference-provider found no Go toolchain)"),
           "Handshake with AutoMTLS for both; calls over plaintext for both (grpcio cannot "
           "verify the P-521 signature of a Go provider's AutoMTLS certificate).", "",
           "## tofu against the emulator", "",
           table(["run", "wall", "provider busy (share)", "AWS calls in flight",
                  "AWS requests", "provider peak RSS"], trows), "",
           "provider busy = time at least one RPC was being handled (its debug timing logs), "
           "which includes waiter sleeps; AWS in flight = time at least one AWS call was "
           "open.", "",
           "## Apply of examples/complete against its critical path", "",
           table(["figure", "time", ""], calls["critical"]), "",
           "## AWS calls per resource (1 container + 1 dashboard)", "",
           table(["resource", "operation", "calls", "which", "minimum"], calls_rows(calls[1])), "",
           "Total bench time %.0f s." % (time.time() - t0)]
    text = "\n".join(out) + "\n"
    with open(args.out, "w") as f:
        f.write(text)
    print(text)
    print("written to %s" % args.out)


if __name__ == "__main__":
    main()
