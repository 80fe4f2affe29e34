"""`make bench`: what users feel, printed as one markdown table and written to
build/bench/results.md. Benchmarks, not tests: no figure fails the run.

Usage: run.py PROVIDER_BINARY [--static STATIC_BINARY] [--runs N] [--scale 1,10,50,100]
              [--out FILE]

With --static (make bench passes the linux_amd64 release binary), the static
binary is measured in the same run beside PROVIDER_BINARY (the development
build) and the Go reference: start-up, memory, concurrent calls, the peak
RSS of tofu's plan/apply of examples/complete-s3, and the zips.
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
import media  # noqa: E402
import startup  # noqa: E402
import tofu_bench  # noqa: E402

STATIC_TARGETS = {
    "handshake_p50_ms": "≤ 0.25× goref",
    "rss_after_schema_mib": "≤ 0.5× goref",
    "peak_rss_plan": "≤ 12 MiB",
}
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


def startup_rows(ours, reference, runs, handshakes):
    a = startup.measure(ours, runs, handshakes=handshakes[ours])
    b = startup.measure(reference, runs, handshakes=handshakes[reference]) if reference else {}
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


def zip_size(binary):
    """Bytes of the release zip of `binary` (tests/tools/release.py's zip)."""
    sys.path.insert(0, os.path.join(HERE, "..", "tools"))
    import release
    with open(binary, "rb") as f:
        return len(release.zip_bytes("terraform-provider-lsms", f.read()))


def static_rows(dyn, stat, ref, conc, calls, binaries):
    """The static release binary beside today's (dynamic) build and goref."""
    def r(label, key, unit, digits=2, target_key=None):
        a, b, c = dyn.get(key), stat.get(key), ref.get(key)
        return (label, fmt(a, unit, digits), fmt(b, unit, digits), fmt(c, unit, digits),
                ratio(b, c), STATIC_TARGETS.get(target_key or key, ""))
    rows = [
        r("exec → handshake line, p50", "handshake_p50_ms", " ms"),
        r("exec → handshake line, p95", "handshake_p95_ms", " ms"),
        r("first call (connect + schema), p50", "first_call_p50_ms", " ms"),
        r("GetProviderSchema, p50 (warm)", "schema_p50_ms", " ms"),
        r("resident memory after schema", "rss_after_schema_mib", " MiB"),
    ]
    for key, label, unit in (("calls_per_s", "8 threads × 200 GetProviderSchema: calls/s", ""),
                             ("p50_ms", "… latency p50", " ms"),
                             ("p99_ms", "… latency p99", " ms"),
                             ("rss_mib", "… resident memory after them", " MiB")):
        vals = [conc.get(k, {}).get(key) for k in ("dyn", "static", "ref")]
        rows.append((label, fmt(vals[0], unit, 1 if key == "calls_per_s" else 2),
                     fmt(vals[1], unit, 1 if key == "calls_per_s" else 2),
                     fmt(vals[2], unit, 1 if key == "calls_per_s" else 2),
                     ratio(vals[1], vals[2]), ""))
    for step in EXAMPLE_STEPS:
        d = calls.get("complete-s3", {}).get(step)
        st = calls.get("complete-s3-static", {}).get(step)
        rows.append(("examples/complete-s3 %s: provider peak RSS" % step,
                     "%.1f MiB" % (d["peak_rss_kib"] / 1024) if d else "–",
                     "%.1f MiB" % (st["peak_rss_kib"] / 1024) if st else "–", "–", "",
                     STATIC_TARGETS["peak_rss_plan"] if step == "plan" else ""))
        rows.append(("examples/complete-s3 %s: wall" % step,
                     "%.2f s" % d["wall_s"] if d else "–",
                     "%.2f s" % st["wall_s"] if st else "–", "–", "", ""))
    sizes = {k: (os.path.getsize(v), zip_size(v)) for k, v in binaries.items() if v}
    for k, label in (("dyn", "development build (linux_amd64)"),
                     ("static", "static linux_amd64"), ("static_arm64", "static linux_arm64"),
                     ("ref", "goref")):
        if k in sizes:
            b, z = sizes[k]
            rows.append(("binary / zip, %s" % label, "%.1f MB / %.1f MB" % (b / 1e6, z / 1e6),
                         "", "", "", ""))
    return rows


def breakdown_rows(bd, top=12):
    """The largest mappings of either build, then the rest and the total."""
    dyn, st = bd.get("dyn", {}), bd.get("static", {})
    names = sorted(set(dyn) | set(st), key=lambda n: -max(dyn.get(n, 0), st.get(n, 0)))
    rows = [(n, str(dyn.get(n, "")), str(st.get(n, ""))) for n in names[:top]]
    rest = names[top:]
    if rest:
        rows.append(("%d others" % len(rest), str(sum(dyn.get(n, 0) for n in rest)),
                     str(sum(st.get(n, 0) for n in rest))))
    rows.append(("total", str(sum(dyn.values())), str(sum(st.values()))))
    return rows


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


# The two complete examples, in the order their rows are printed: each step
# of examples/complete beside the same step of examples/complete-s3.
EXAMPLES = (("complete", "examples/complete"), ("complete-s3", "examples/complete-s3"))
EXAMPLE_STEPS = ("plan", "apply", "replan", "destroy")


def tofu_section(binary, work, scales, static=None):
    tofu = tofu_bench.tofu_binary()
    tfrc = tofu_bench.install_provider(work, binary)
    emu = tofu_bench.Emulator(os.path.join(work, "emulator"))
    rows, calls = [], {}
    try:
        examples = tofu_bench.copy_examples(work)
        for name, _ in EXAMPLES:
            ws = tofu_bench.prepare_example(examples, name, tofu, tfrc, emu)
            calls[name] = tofu_bench.lifecycle(ws, EXAMPLE_STEPS)
        if static:
            # The same lifecycle of examples/complete-s3 with the static
            # binary, in a mirror and a copy of the examples of its own.
            swork = os.path.join(work, "static")
            os.makedirs(swork, exist_ok=True)
            stfrc = tofu_bench.install_provider(swork, static)
            ws = tofu_bench.prepare_example(tofu_bench.copy_examples(swork), "complete-s3", tofu,
                                            stfrc, emu)
            calls["complete-s3-static"] = tofu_bench.lifecycle(ws, EXAMPLE_STEPS)
        for step in EXAMPLE_STEPS:
            for name, label in EXAMPLES:
                rows.append(step_row("%s: %s" % (label, step), calls[name][step]))
        for n in scales:
            ws = tofu_bench.prepare_scale(work, tofu, tfrc, emu, n)
            res = tofu_bench.lifecycle(ws, ("plan", "apply", "replan", "update", "destroy"))
            for step, st in res.items():
                rows.append(step_row("%d containers + %d dashboards: %s" % (n, n, step), st,
                                     2 * n))
            calls[n] = res
    finally:
        emu.stop()
    calls["critical"] = critical_rows(calls["complete"]["apply"], calls["complete-s3"]["apply"])
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


# The same for the resources of examples/complete-s3 (RTMP push input,
# force_destroy off, a bucket holding only the player); "refresh" is the read.
MINIMUM_S3 = {
    ("lsms_bucket", "create"): "7: HeadBucket (in us-east-1 CreateBucket answers 200 for a "
                               "bucket one owns, so adopting it must be refused first), "
                               "CreateBucket, then 5 concurrent: PutPublicAccessBlock, "
                               "PutBucketCors, PutBucketLifecycleConfiguration, "
                               "PutBucketMetricsConfiguration, PutBucketTagging (a new bucket is "
                               "already BucketOwnerEnforced)",
    ("lsms_bucket", "read"): "7 concurrent: GetPublicAccessBlock, GetBucketOwnershipControls, "
                             "GetBucketCors, GetBucketLifecycleConfiguration, GetBucketLogging, "
                             "GetBucketMetricsConfiguration, GetBucketTagging",
    ("lsms_bucket", "delete"): "refresh (7) + 1: DeleteBucket (force_destroy adds "
                               "ListObjectVersions + DeleteObjects per 1,000 objects)",
    ("lsms_channel", "create"): "7: CreateInput, DescribeInput until DETACHED, CreateRole, "
                                "PutRolePolicy, CreateChannel, DescribeChannel until IDLE (its "
                                "answer is the channel to record), DescribeInput (now attached)",
    ("lsms_channel", "read"): "2: DescribeChannel, DescribeInput",
    ("lsms_channel", "delete"): "refresh (2) + 8 + polls: DescribeChannel (stop it if running), "
                                "DeleteChannel, DescribeChannel until gone, DescribeInput until "
                                "DETACHED, DeleteInput, DescribeInput until gone, "
                                "DeleteRolePolicy, DeleteRole",
    ("lsms_distribution", "create"): "5 + polls: HeadBucket (the bucket's region), "
                                     "CreateOriginAccessControl, CreateDistributionWithTags, "
                                     "GetBucketPolicy + PutBucketPolicy (other statements kept), "
                                     "GetDistribution until Deployed",
    ("lsms_distribution", "read"): "4: GetDistribution, ListTagsForResource, "
                                   "GetOriginAccessControl, GetBucketPolicy",
    ("lsms_distribution", "delete"): "refresh (4) + 7 + polls: GetBucketPolicy + "
                                     "DeleteBucketPolicy (region from the origin's domain), "
                                     "GetDistribution (its config and ETag), UpdateDistribution "
                                     "(disable), GetDistribution until Deployed, "
                                     "DeleteDistribution, GetOriginAccessControl (ETag) + "
                                     "DeleteOriginAccessControl",
    ("lsms_dashboard", "create"): MINIMUM[("lsms_dashboard", "create")],
    ("lsms_dashboard", "read"): MINIMUM[("lsms_dashboard", "read")],
    ("lsms_dashboard", "delete"): MINIMUM[("lsms_dashboard", "delete")],
    ("lsms_player", "create"): "3 PutObject (hls.js and its licence concurrently, then the "
                               "page)",
    ("lsms_player", "read"): "3 concurrent: GetObject of the page, HeadObject of the two others "
                             "(GetObject of one whose ETag or headers changed)",
    ("lsms_player", "delete"): "refresh (3) + 3 concurrent DeleteObject",
}


def critical_rows(st, st_s3):
    """The applies of examples/complete and examples/complete-s3 against
    their critical paths, side by side."""
    crit, parts = tofu_bench.complete_critical_path(st["calls"], st["rpc_intervals"])
    crit_s3, p3 = tofu_bench.complete_s3_critical_path(st_s3["calls"], st_s3["rpc_intervals"])
    ms = lambda v: "%.0f" % (v * 1e3)  # noqa: E731
    detail = ("configure %s + container %s + max(channel %s, distribution %s "
              "(with %.1f s of deployment) + dashboard %s) ms") % (
        ms(parts["configure"]), ms(parts["container"]), ms(parts["channel"]),
        ms(parts["distribution"]), tofu_bench.CF_DEPLOY_SECONDS, ms(parts["dashboard"]))
    detail_s3 = ("configure %s + bucket %s + max(channel %s, distribution %s (HeadBucket + "
                 "OAC %s, create %s, max(deployment %s, policy statement %s)) + dashboard %s) "
                 "ms") % (
        ms(p3["configure"]), ms(p3["bucket"]), ms(p3["channel"]), ms(p3["distribution"]),
        ms(p3["origin"]), ms(p3["create"]), ms(p3["deployment"]), ms(p3["statement"]),
        ms(p3["dashboard"]))

    def against(v, c):
        return "%.2f s (%.2f×)" % (v, v / c if c else 0)

    return [
        ("critical path of dependent AWS calls", "%.2f s" % crit, "%.2f s" % crit_s3),
        ("its parts", detail, detail_s3),
        ("provider: first to last ApplyResourceChange (target ≤ 1.2×)",
         against(st["apply_span_s"], crit), against(st_s3["apply_span_s"], crit_s3)),
        ("tofu apply, wall", against(st["wall_s"], crit), against(st_s3["wall_s"], crit_s3)),
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


def s3_example_owners(requests):
    """[(resource, request)] for the requests of a step of
    examples/complete-s3, from the emulator's log (in the order the answers
    were sent). S3 calls belong to lsms_bucket except the distribution's:
    the bucket policy statement, and HeadBucket for the bucket's region —
    the bucket's own HeadBucket is the one its CreateBucket follows."""
    out = []
    for i, r in enumerate(requests):
        svc, op = r["service"], r["operation"]
        if svc == "sts":
            who = "provider"
        elif svc in ("medialive", "ssm", "iam"):
            who = "lsms_channel"
        elif svc == "cloudfront":
            who = "lsms_distribution"
        elif svc == "cloudwatch":
            who = "lsms_dashboard"
        elif op in ("GetBucketPolicy", "PutBucketPolicy", "DeleteBucketPolicy"):
            who = "lsms_distribution"
        elif op in ("PutObject", "GetObject", "HeadObject", "DeleteObject"):
            who = "lsms_player"  # the page, hls.js and its licence
        elif op == "HeadBucket":
            nxt = next((q["operation"] for q in requests[i + 1:] if q["service"] == "s3"), None)
            who = "lsms_bucket" if nxt == "CreateBucket" else "lsms_distribution"
        else:
            who = "lsms_bucket"
        out.append((who, r))
    return out


def s3_calls_rows(res):
    """AWS calls per resource and step of examples/complete-s3. The
    destroy starts with tofu's refresh, whose reads are listed."""
    steps = [("create", "apply"), ("read", "replan"), ("delete", "destroy")]
    rows = []
    for op, step in steps:
        owned = s3_example_owners(res[step]["requests"])
        for who in ("lsms_bucket", "lsms_channel", "lsms_distribution", "lsms_dashboard",
                    "lsms_player"):
            mine = [r for w, r in owned if w == who]
            rows.append((who, "%s (tofu %s)" % (op, step), str(len(mine)), ops_summary(mine),
                         MINIMUM_S3[(who, op)]))
    for step in ("apply", "replan", "destroy"):
        sts = [r for w, r in s3_example_owners(res[step]["requests"]) if w == "provider"]
        rows.append(("provider", "configure (tofu %s)" % step, str(len(sts)), ops_summary(sts),
                     "1 per provider process tofu configures (a destroy configures 3)"
                     if step == "destroy" else MINIMUM[("provider",
                                                                         "configure")]))
    return rows


def load_text(avg):
    return "/".join("%.2f" % v for v in avg)


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
    ap.add_argument("--static", help="the static release binary (linux_amd64) to compare")
    ap.add_argument("--static-arm64", help="the linux_arm64 release binary (its zip size)")
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    work = os.path.abspath(os.path.dirname(args.out))
    os.makedirs(work, exist_ok=True)
    scales = [int(x) for x in args.scale.split(",") if x]
    if 1 not in scales:
        scales.insert(0, 1)

    reference = reference_provider()
    t0 = time.time()
    load_start = os.getloadavg()
    static = os.path.abspath(args.static) if args.static else None
    # Handshakes of the three binaries in turn, run by run; the other
    # start-up figures binary by binary.
    handshakes = startup.handshakes_interleaved([b for b in (binary, reference, static) if b],
                                                args.runs)
    load_handshakes = os.getloadavg()
    srows, dyn_start, ref_start = startup_rows(binary, reference, args.runs, handshakes)
    stat_start, conc = {}, {}
    if static:
        stat_start = startup.measure(static, args.runs, handshakes=handshakes[static])
        for k, b in (("dyn", binary), ("static", static), ("ref", reference)):
            if b:
                conc[k] = startup.concurrent_calls(b)
    breakdown = {}
    if static:
        breakdown = {"dyn": startup.rss_breakdown(binary), "static": startup.rss_breakdown(static)}
    trows, calls = tofu_section(binary, work, scales, static)
    media_lines = media.media_section() if os.environ.get("BENCH_MEDIA", "1") != "0" else []

    out = ["# terraform-provider-lsms benchmarks", "",
           "%s, %d CPUs, %s; %d runs per start-up figure; tofu against the local emulator."
           % ("Linux " + platform.release(), os.cpu_count(),
              time.strftime("%Y-%m-%d"), args.runs), "",
           "## Start-up (direct go-plugin client, no tofu)", "",
           table(["figure", "lsms (C)", "goref (Go framework)", "ratio", "target"], srows), "",
           "Reference: %s." % (reference or "none (tests/bench/go-reference-provider found no Go toolchain)"),
           "Handshake with AutoMTLS for both; calls over plaintext for both (grpcio cannot "
           "verify the P-521 signature of a Go provider's AutoMTLS certificate).", "",
           ] + ([
           "## The static release binary beside today's build and the Go reference", "",
           table(["figure", "lsms today (dynamic)", "lsms static (release)", "goref",
                  "static ÷ goref", "target"],
                 static_rows(dyn_start, stat_start, ref_start, conc, calls,
                             {"dyn": binary, "static": static, "ref": reference,
                              "static_arm64": args.static_arm64})), "",
           "Same machine, same run: the handshakes of the three binaries taken in turn, run "
           "by run (load average %s when they began, %s when they ended); the other figures "
           "binary by binary. Concurrent calls: one provider process, 8 client threads with a "
           "channel each, plaintext." % (load_text(load_start), load_text(load_handshakes)), "",
           "Resident memory after the schema by mapping (/proc/PID/smaps, kB):", "",
           table(["mapping", "lsms today (dynamic)", "lsms static (release)"],
                 breakdown_rows(breakdown)), "",
           ] if static else []) + [
           "## tofu against the emulator", "",
           table(["run", "wall", "provider busy (share)", "AWS calls in flight",
                  "AWS requests", "provider peak RSS"], trows), "",
           "provider busy = time at least one RPC was being handled (its debug timing logs), "
           "which includes waiter sleeps; AWS in flight = time at least one AWS call was "
           "open.", "",
           "## Applies of the complete examples against their critical paths", "",
           table(["figure", "examples/complete (MediaStore)", "examples/complete-s3 (S3)"],
                 calls["critical"]), "",
           "Each part counts the time at least one of its AWS calls was in flight; the "
           "deployment is the emulator's %.1f s of CloudFront propagation plus the read that "
           "sees it Deployed." % tofu_bench.CF_DEPLOY_SECONDS, "",
           "## AWS calls per resource (1 container + 1 dashboard)", "",
           table(["resource", "operation", "calls", "which", "minimum"], calls_rows(calls[1])), "",
           "## AWS calls per resource (examples/complete-s3)", "",
           table(["resource", "operation", "calls", "which", "minimum"],
                 s3_calls_rows(calls["complete-s3"])), ""] + media_lines + [
           "Total bench time %.0f s. Load average (1/5/15 min) at the start %s, at the "
           "end %s; the bench itself adds about 1, more is other jobs sharing the CPUs."
           % (time.time() - t0, load_text(load_start), load_text(os.getloadavg()))]
    text = "\n".join(out) + "\n"
    with open(args.out, "w") as f:
        f.write(text)
    print(text)
    print("written to %s" % args.out)


if __name__ == "__main__":
    main()
