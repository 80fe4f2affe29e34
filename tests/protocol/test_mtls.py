"""AutoMTLS: only the holder of PLUGIN_CLIENT_CERT's key may connect."""
import grpc
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from plugin_client import HEALTH_CHECK, ClientCert


def test_right_client_cert_p521(provider):
    assert provider.unary(provider.channel(), HEALTH_CHECK, b"\x0a\x06plugin") == b"\x08\x01"


def test_other_client_curves_work(start_provider):
    for curve in (ec.SECP256R1(), ec.SECP384R1()):
        p = start_provider(client=ClientCert(curve))
        assert p.unary(p.channel(), HEALTH_CHECK, b"\x0a\x06plugin") == b"\x08\x01"


def test_wrong_client_cert_refused(provider):
    other = ClientCert()
    ch = provider.channel(cert=other.cert_pem, key=other.key_pem)
    with pytest.raises(grpc.RpcError) as e:
        provider.unary(ch, HEALTH_CHECK, b"\x0a\x06plugin", timeout=5)
    assert e.value.code() == grpc.StatusCode.UNAVAILABLE
    # ... and the right client still gets in afterwards.
    assert provider.unary(provider.channel(), HEALTH_CHECK, b"\x0a\x06plugin") == b"\x08\x01"
    # gRPC core's own complaint about the handshake reaches the log as hclog
    # JSON (through the gpr_log bridge), not as raw text.
    records = provider.stderr_records()
    assert any(r.get("source") == "grpc" for r in records), records


def test_no_client_cert_refused(provider):
    creds = grpc.ssl_channel_credentials(root_certificates=provider.handshake.server_cert_pem())
    ch = grpc.secure_channel(provider.handshake.target(), creds,
                             options=[("grpc.ssl_target_name_override", "localhost")])
    try:
        with pytest.raises(grpc.RpcError) as e:
            ch.unary_unary(HEALTH_CHECK)(b"", timeout=5)
        assert e.value.code() == grpc.StatusCode.UNAVAILABLE
    finally:
        ch.close()


def test_plaintext_client_refused(provider):
    ch = provider.channel(secure=False)
    with pytest.raises(grpc.RpcError) as e:
        provider.unary(ch, HEALTH_CHECK, b"", timeout=5)
    assert e.value.code() == grpc.StatusCode.UNAVAILABLE


def test_server_cert_must_match_field_6(provider):
    """A client trusting some other root must fail to verify us: field 6 is
    really the certificate we serve."""
    stranger = ClientCert()
    ch = provider.channel(root=stranger.cert_pem)
    with pytest.raises(grpc.RpcError) as e:
        provider.unary(ch, HEALTH_CHECK, b"", timeout=5)
    assert e.value.code() == grpc.StatusCode.UNAVAILABLE
