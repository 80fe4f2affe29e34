"""How the process ends: Shutdown, client gone, signals."""
import os
import signal
import subprocess
import sys
import textwrap
import time

import grpc

from plugin_client import HEALTH_CHECK, SHUTDOWN, START_STREAM, STREAM_STDIO, assert_clean_exit


def gone(path):
    return not os.path.exists(path) and not os.path.exists(os.path.dirname(path))


def open_session(p):
    """What go-plugin does on connect: StartStream and StreamStdio, left open."""
    ch = p.channel()
    stdio = ch.unary_stream(STREAM_STDIO)(b"")
    broker = ch.stream_stream(START_STREAM)(_forever())
    stdio.initial_metadata()
    broker.initial_metadata()
    return ch, stdio, broker


def _forever():
    while True:
        time.sleep(3600)
        yield b""


def test_shutdown_exits_0_quickly_and_cleans_up(provider):
    ch, stdio, broker = open_session(provider)
    sock = provider.handshake.address
    t0 = time.monotonic()
    assert provider.unary(ch, SHUTDOWN) == b""
    assert_clean_exit(provider, 5)
    elapsed = time.monotonic() - t0
    print("\nShutdown -> exit %.1f ms" % (elapsed * 1000))
    assert elapsed < 1.0
    assert gone(sock)


def test_shutdown_repeatedly(start_provider):
    for _ in range(10):
        p = start_provider()
        # Keep the stream objects referenced: grpcio cancels a call whose
        # object is garbage-collected, which looks like a client going away.
        ch, stdio, broker = open_session(p)
        assert p.unary(ch, SHUTDOWN) == b""
        assert_clean_exit(p, 1)
        assert gone(p.handshake.address)
        p.close()


def test_client_closing_connection_makes_provider_exit(provider):
    ch, stdio, broker = open_session(provider)
    assert provider.unary(ch, HEALTH_CHECK, b"\x0a\x06plugin") == b"\x08\x01"
    ch.close()
    assert_clean_exit(provider, 5)
    assert gone(provider.handshake.address)


def test_killed_client_makes_provider_exit(provider, tmp_path):
    """A separate client process opens the go-plugin session and is SIGKILLed."""
    hs = provider.handshake
    cert = tmp_path / "c.pem"
    key = tmp_path / "k.pem"
    root = tmp_path / "r.pem"
    cert.write_bytes(provider.client.cert_pem)
    key.write_bytes(provider.client.key_pem)
    root.write_bytes(hs.server_cert_pem())
    script = textwrap.dedent("""
        import sys, time, grpc
        cert, key, root, target = sys.argv[1:]
        creds = grpc.ssl_channel_credentials(open(root, 'rb').read(), open(key, 'rb').read(),
                                             open(cert, 'rb').read())
        ch = grpc.secure_channel(target, creds, options=[('grpc.ssl_target_name_override', 'localhost')])
        stdio = ch.unary_stream('/plugin.GRPCStdio/StreamStdio')(b'')
        stdio.initial_metadata()
        print('ready', flush=True)
        time.sleep(60)
    """)
    client = subprocess.Popen([sys.executable, "-c", script, str(cert), str(key), str(root),
                               hs.target()], stdout=subprocess.PIPE)
    try:
        assert client.stdout.readline().strip() == b"ready"
        assert provider.proc.poll() is None
        client.kill()
        client.wait(5)
        assert_clean_exit(provider, 5)
        assert gone(hs.address)
    finally:
        if client.poll() is None:
            client.kill()
        client.stdout.close()


def test_sigterm_exits_cleanly(provider):
    session = open_session(provider)
    assert session[1].is_active()
    provider.proc.send_signal(signal.SIGTERM)
    assert_clean_exit(provider, 5)
    assert gone(provider.handshake.address)


def test_sigterm_exits_cleanly_again_and_again(start_provider):
    """gRPC may finish its clean-up on its own threads after grpc_shutdown;
    exiting before it has ended ran OpenSSL's exit handler beside a gRPC
    executor thread (a leak or double free under ASan, about one exit in
    six with full malloc stacks, whose slower allocations widen the window).
    Without ASan the option is ignored and this checks the exit code."""
    slow = {"ASAN_OPTIONS": "fast_unwind_on_malloc=0:malloc_context_size=40"}
    for _ in range(20):
        p = start_provider(env=slow)
        open_session(p)
        p.proc.send_signal(signal.SIGTERM)
        assert_clean_exit(p, 10)
        p.close()


def test_sigint_is_ignored(provider):
    ch = provider.channel()
    provider.proc.send_signal(signal.SIGINT)
    time.sleep(0.3)
    assert provider.proc.poll() is None
    assert provider.unary(ch, HEALTH_CHECK, b"\x0a\x06plugin") == b"\x08\x01"
    assert provider.unary(ch, SHUTDOWN) == b""
    assert_clean_exit(provider, 5)


def test_calls_after_shutdown_fail_fast(provider):
    ch, stdio, broker = open_session(provider)
    assert provider.unary(ch, SHUTDOWN) == b""
    assert_clean_exit(provider, 5)
    try:
        provider.unary(ch, HEALTH_CHECK, b"", timeout=2)
        raise AssertionError("call succeeded after shutdown")
    except grpc.RpcError as e:
        assert e.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED)
