"""Many calls in flight at once: tofu keeps StreamStdio and StartStream open
for the whole session and runs ~10 operations in parallel."""
import queue
import threading
from concurrent.futures import ThreadPoolExecutor

import grpc

from plugin_client import GET_PROVIDER_SCHEMA, HEALTH_CHECK, START_STREAM, STREAM_STDIO

N = 16


def test_streams_held_open_do_not_block_unary_calls(provider):
    ch = provider.channel()
    stdio = [ch.unary_stream(STREAM_STDIO)(b"", timeout=30) for _ in range(N)]
    feeds = [queue.Queue() for _ in range(N)]

    def requests(q):
        while True:
            item = q.get()
            if item is None:
                return
            yield item

    broker = [ch.stream_stream(START_STREAM)(requests(q), timeout=30) for q in feeds]
    # Each stream has been accepted by the server (headers received) and none
    # has ended: 2*N calls are in flight at the same time.
    for call in stdio + broker:
        call.initial_metadata()
    assert all(call.is_active() for call in stdio + broker)

    assert provider.unary(ch, HEALTH_CHECK, b"\x0a\x06plugin") == b"\x08\x01"
    try:
        provider.unary(ch, GET_PROVIDER_SCHEMA)
    except grpc.RpcError as e:
        assert e.code() == grpc.StatusCode.UNIMPLEMENTED

    # Half-closing the broker streams ends them with OK; stdio stays open.
    for q in feeds:
        q.put(None)
    for call in broker:
        assert list(call) == []
        assert call.code() == grpc.StatusCode.OK
    assert all(call.is_active() for call in stdio)
    for call in stdio:
        call.cancel()


def test_sixteen_concurrent_unary_calls_complete(provider):
    """All 16 start together (barrier) and all end with a gRPC status.
    With the placeholder protocol layer that status is UNIMPLEMENTED; with the
    real one GetProviderSchema answers OK."""
    ch = provider.channel()
    # Keep a StreamStdio open like tofu does, so a worker-less design would hang.
    stdio = ch.unary_stream(STREAM_STDIO)(b"", timeout=30)
    stdio.initial_metadata()
    barrier = threading.Barrier(N)

    def one(_):
        barrier.wait(timeout=10)
        try:
            provider.unary(ch, GET_PROVIDER_SCHEMA, timeout=10)
            return grpc.StatusCode.OK
        except grpc.RpcError as e:
            return e.code()

    for _round in range(5):
        with ThreadPoolExecutor(N) as pool:
            codes = list(pool.map(one, range(N)))
        assert len(codes) == N
        assert set(codes) <= {grpc.StatusCode.OK, grpc.StatusCode.UNIMPLEMENTED}, codes
    stdio.cancel()
