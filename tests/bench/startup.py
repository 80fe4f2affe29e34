"""Start-up figures of one provider binary, measured directly (no tofu).

exec -> handshake line, GetProviderSchema (GetSchema for protocol 5) latency
and resident memory after the schema, over N fresh processes. The client is
tests/protocol/plugin_client.py: the go-plugin environment that tofu gives a
provider.

The handshake is timed with AutoMTLS, as tofu always starts providers (the
provider makes its certificate before printing the line). The calls are made
over plaintext (no PLUGIN_CLIENT_CERT) for both providers: a Go provider's
AutoMTLS certificate is P-521, whose signature the BoringSSL inside grpcio
does not accept, so the Python client cannot complete a TLS handshake with
it. Our provider's schema over mTLS is measured as well, for reference.
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "protocol"))
import plugin_client  # noqa: E402

SCHEMA_METHOD = {
    "5": "/tfplugin5.Provider/GetSchema",
    "6": "/tfplugin6.Provider/GetProviderSchema",
}
WARM_CALLS = 5


def percentile(values, p):
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, -(-len(s) * p // 100) - 1))
    return s[int(k)]


def quiet_env(env=None):
    """Logging off, as for a user who did not set TF_LOG."""
    e = {"TF_LOG": "", "TF_LOG_PROVIDER": ""}
    e.update(env or {})
    return e


def handshake_once(binary, cert, env):
    with plugin_client.Provider(binary, client=cert, env=env) as p:
        return p.handshake_s


def calls_once(binary, env, cert=None):
    """(first_call_s, warm_call_s, rss_kib): first = connect + call."""
    plaintext = cert is None
    with plugin_client.Provider(binary, client=cert, env=env, plaintext=plaintext) as p:
        ch = p.channel()
        method = SCHEMA_METHOD[p.handshake.app]
        t0 = time.perf_counter()
        p.unary(ch, method, b"", timeout=10)
        first = time.perf_counter() - t0
        warm = []
        for _ in range(WARM_CALLS):
            t0 = time.perf_counter()
            p.unary(ch, method, b"", timeout=10)
            warm.append(time.perf_counter() - t0)
        return first, min(warm), p.rss_kib()


def handshakes_interleaved(binaries, runs, env=None):
    """{binary: [seconds, ...]}: `runs` exec -> handshake line times of each
    binary, taken in turn (A, B, C, A, B, C, ...) so that a change of load
    during the run weighs on every binary alike. One unmeasured start of each
    comes first, so that none pays for reading itself from disk."""
    env = quiet_env(env)
    cert = plugin_client.ClientCert()
    for b in binaries:
        handshake_once(b, cert, env)
    out = {b: [] for b in binaries}
    for _ in range(runs):
        for b in binaries:
            out[b].append(handshake_once(b, cert, env))
    return out


def measure(binary, runs, env=None, mtls_calls=False, handshakes=None):
    """Summary over `runs` processes for the handshake (or the times given
    in `handshakes`, from handshakes_interleaved) and `runs` for calls."""
    env = quiet_env(env)
    cert = plugin_client.ClientCert()
    hs = handshakes if handshakes is not None else \
        [handshake_once(binary, cert, env) for _ in range(runs)]
    first, warm, rss = [], [], []
    for _ in range(runs):
        f, w, r = calls_once(binary, env, cert if mtls_calls else None)
        first.append(f)
        warm.append(w)
        rss.append(r)
    ms = 1e3
    return {
        "runs": runs,
        "handshake_p50_ms": percentile(hs, 50) * ms,
        "handshake_p95_ms": percentile(hs, 95) * ms,
        "first_call_p50_ms": percentile(first, 50) * ms,
        "schema_p50_ms": percentile(warm, 50) * ms,
        "schema_p95_ms": percentile(warm, 95) * ms,
        "rss_after_schema_mib": percentile(rss, 50) / 1024.0,
    }


def smaps_by_mapping(pid):
    """{mapping: Rss kB} of a process from /proc/PID/smaps: each file by its
    base name (the binary, each shared library), [heap], [stack], and the
    anonymous mappings together (malloc arenas, thread stacks)."""
    out, name = {}, None
    with open("/proc/%d/smaps" % pid) as f:
        for line in f:
            parts = line.split()
            if not parts:
                continue
            if "-" in parts[0] and len(parts) >= 5 and not parts[0].endswith(":"):
                path = parts[5] if len(parts) >= 6 else ""
                name = os.path.basename(path) if path.startswith("/") else (path or "[anon]")
            elif parts[0] == "Rss:" and name is not None:
                out[name] = out.get(name, 0) + int(parts[1])
    return out


def rss_breakdown(binary, env=None):
    """smaps_by_mapping of a provider after one GetProviderSchema."""
    with plugin_client.Provider(binary, env=quiet_env(env), plaintext=True) as p:
        ch = p.channel()
        p.unary(ch, SCHEMA_METHOD[p.handshake.app], b"", timeout=10)
        return smaps_by_mapping(p.pid())


def concurrent_calls(binary, threads=8, calls=200, env=None):
    """GetProviderSchema from `threads` client threads at once (each with
    its own channel, `calls` calls each) to one provider process: how its
    worker threads and its allocator (glibc's in the development build,
    musl's in the static one) hold up under concurrent RPCs. Returns
    {calls_per_s, p50_ms, p99_ms, rss_mib} (RSS after the calls)."""
    import threading
    env = quiet_env(env)
    with plugin_client.Provider(binary, env=env, plaintext=True) as p:
        method = SCHEMA_METHOD[p.handshake.app]
        channels = [p.channel() for _ in range(threads)]
        for ch in channels:  # connected and warm before the clock starts
            p.unary(ch, method, b"", timeout=10)
        lat = [[] for _ in range(threads)]
        start = threading.Barrier(threads + 1)

        def work(i):
            start.wait()
            for _ in range(calls):
                t0 = time.perf_counter()
                p.unary(channels[i], method, b"", timeout=30)
                lat[i].append(time.perf_counter() - t0)
        ts = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
        for t in ts:
            t.start()
        start.wait()
        t0 = time.perf_counter()
        for t in ts:
            t.join()
        wall = time.perf_counter() - t0
        flat = [x for lst in lat for x in lst]
        return {"calls_per_s": len(flat) / wall, "p50_ms": percentile(flat, 50) * 1e3,
                "p99_ms": percentile(flat, 99) * 1e3, "rss_mib": p.rss_kib() / 1024.0}


if __name__ == "__main__":
    import json
    runs = int(os.environ.get("BENCH_RUNS", "50"))
    hs = handshakes_interleaved(sys.argv[1:], runs)
    for b in sys.argv[1:]:
        print(b, json.dumps(measure(b, runs, handshakes=hs[b]), indent=1))
