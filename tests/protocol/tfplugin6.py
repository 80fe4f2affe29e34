"""tfplugin6 messages for the protocol tests, compiled from the repository's
proto/tfplugin6.proto with grpcio-tools at import (no generated code is kept),
and the cty msgpack values they carry.

    from tfplugin6 import pb, Rpc, mp, unmp, UNKNOWN
    rpc = Rpc(provider.channel())
    resp = rpc.ReadDataSource(pb.ReadDataSource.Request(type_name="x", config=dv({...})))
    for event in rpc.ListResource(pb.ListResource.Request(...)): ...
"""
import importlib
import os
import pathlib
import sys
import tempfile

import msgpack
from grpc_tools import protoc

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _compile():
    out = tempfile.mkdtemp(prefix="tfplugin6-py-")
    include = pathlib.Path(protoc.__file__).parent / "_proto"
    rc = protoc.main(["protoc", f"-I{ROOT / 'proto'}", f"-I{include}", f"--python_out={out}",
                      str(ROOT / "proto" / "tfplugin6.proto")])
    if rc != 0:
        raise RuntimeError("protoc failed on proto/tfplugin6.proto")
    sys.path.insert(0, out)
    return importlib.import_module("tfplugin6_pb2")


pb = _compile()

SERVICE = "/tfplugin6.Provider/"
STREAMS = {"ListResource": pb.ListResource.Event, "InvokeAction": pb.InvokeAction.Event}


def _response_class(name):
    msg = getattr(pb, name)
    return msg.Response


class Rpc:
    """Calls tfplugin6 methods by name on a grpc channel:
    rpc.GetProviderSchema() / rpc.ReadResource(request) for unary calls,
    rpc.ListResource(request) returning the call (iterate it for events)."""

    def __init__(self, channel, timeout=20):
        self.channel = channel
        self.timeout = timeout

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if name in STREAMS:
            event = STREAMS[name]

            def stream(request, timeout=None):
                return self.channel.unary_stream(
                    SERVICE + name, request_serializer=lambda m: m.SerializeToString(),
                    response_deserializer=event.FromString)(request, timeout=timeout or self.timeout)
            return stream
        resp_cls = _response_class(name)
        req_cls = getattr(pb, name).Request

        def unary(request=None, timeout=None):
            return self.channel.unary_unary(
                SERVICE + name, request_serializer=lambda m: m.SerializeToString(),
                response_deserializer=resp_cls.FromString)(
                    request if request is not None else req_cls(), timeout=timeout or self.timeout)
        return unary


class _Unknown:
    def __repr__(self):
        return "UNKNOWN"


UNKNOWN = _Unknown()


def _default(v):
    if v is UNKNOWN:
        return msgpack.ExtType(0, b"\x00")
    raise TypeError(f"cannot encode {v!r}")


def mp(value):
    """msgpack of a cty value given as Python data: dicts for objects (every
    attribute present, None for null), lists, str, int/float, bool, UNKNOWN."""
    return msgpack.packb(value, default=_default, use_bin_type=True)


def _ext(code, data):
    return UNKNOWN


def unmp(data):
    """Python data of a msgpack cty value (unknowns as UNKNOWN)."""
    return msgpack.unpackb(data, ext_hook=_ext, raw=False, strict_map_key=False)


def dv(value):
    """A DynamicValue holding `value` as msgpack."""
    return pb.DynamicValue(msgpack=mp(value))


def identity(value):
    return pb.ResourceIdentityData(identity_data=dv(value))


def errors(diagnostics):
    """[(summary, detail)] of the error diagnostics."""
    return [(d.summary, d.detail) for d in diagnostics
            if d.severity == pb.Diagnostic.Severity.ERROR]


def attr_path(diag):
    """The attribute path of a diagnostic as a list of names/keys."""
    steps = []
    for s in diag.attribute.steps:
        kind = s.WhichOneof("selector")
        steps.append(getattr(s, kind))
    return steps


os.environ.setdefault("GRPC_VERBOSITY", "ERROR")
