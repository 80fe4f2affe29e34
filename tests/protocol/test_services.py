"""go-plugin side services and routing, over mTLS."""
import grpc
import pytest

from plugin_client import GET_PROVIDER_SCHEMA, HEALTH_CHECK, START_STREAM, STREAM_STDIO


def test_health_check_plugin_serving(provider):
    ch = provider.channel()
    # HealthCheckResponse{status=SERVING(1)}
    assert provider.unary(ch, HEALTH_CHECK, b"\x0a\x06plugin") == b"\x08\x01"
    assert provider.unary(ch, HEALTH_CHECK, b"") == b"\x08\x01"


def test_health_check_unknown_service_not_found(provider):
    ch = provider.channel()
    with pytest.raises(grpc.RpcError) as e:
        provider.unary(ch, HEALTH_CHECK, b"\x0a\x05other")
    assert e.value.code() == grpc.StatusCode.NOT_FOUND


def test_unknown_method_unimplemented(provider):
    ch = provider.channel()
    for method in ("/plugin.GRPCController/Nope", "/some.Other/Thing", "/grpc.health.v1.Health/Watch"):
        with pytest.raises(grpc.RpcError) as e:
            provider.unary(ch, method)
        assert e.value.code() == grpc.StatusCode.UNIMPLEMENTED


def test_provider_method_reaches_protocol_layer(provider):
    """Until the protocol layer lands the placeholder answers UNIMPLEMENTED;
    either way the call must complete with a real status."""
    ch = provider.channel()
    try:
        provider.unary(ch, GET_PROVIDER_SCHEMA)
    except grpc.RpcError as e:
        assert e.code() == grpc.StatusCode.UNIMPLEMENTED


def test_large_request_accepted(provider):
    """gRPC's default 4 MiB receive limit must be lifted (states can be big).
    A 6 MiB unknown field (field 15, bytes) in an otherwise empty request."""
    payload = b"x" * (6 * 1024 * 1024)
    n, varint = len(payload), b""
    while True:
        b = n & 0x7F
        n >>= 7
        varint += bytes([b | (0x80 if n else 0)])
        if not n:
            break
    ch = provider.channel()
    try:
        provider.unary(ch, GET_PROVIDER_SCHEMA, b"\x7a" + varint + payload, timeout=20)
    except grpc.RpcError as e:
        assert e.code() != grpc.StatusCode.RESOURCE_EXHAUSTED, e.details()
        assert e.code() in (grpc.StatusCode.UNIMPLEMENTED, grpc.StatusCode.INVALID_ARGUMENT)


def test_stdio_stream_stays_open_and_sends_nothing(provider):
    ch = provider.channel()
    call = ch.unary_stream(STREAM_STDIO)(b"", timeout=1.5)
    call.initial_metadata()  # the server accepted and opened the stream
    with pytest.raises(grpc.RpcError) as e:
        for msg in call:
            pytest.fail("StreamStdio sent %r" % msg)
    # Still open when our deadline hit: the server never ended it.
    assert e.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED


def test_broker_stream_reads_until_half_close(provider):
    ch = provider.channel()
    # ConnInfo{service_id=1, network="unix", address="/x"} is read and ignored.
    msgs = [b"\x08\x01\x12\x04unix\x1a\x02/x", b""]
    responses = list(ch.stream_stream(START_STREAM)(iter(msgs), timeout=5))
    assert responses == []
    # The process keeps serving after the broker stream ended.
    assert provider.unary(ch, HEALTH_CHECK, b"\x0a\x06plugin") == b"\x08\x01"
