"""Helpers for the tests that drive the fixture provider (fixture_provider.c)."""
from tfplugin6 import Rpc, dv, pb

THING = "lsms_fixture_thing"
ATTRS = ("id", "name", "size", "label", "serial", "touched")


def put_thing(store, name, size="1", label="", serial="100", touched=0):
    """Writes an object into the store as the fixture resource would."""
    (store / f"thing-{name}").write_text(f"{name}\n{size}\n{label}\n{serial}\n{touched}\n")


def read_thing(store, name):
    lines = (store / f"thing-{name}").read_text().split("\n")
    return {"name": lines[0], "size": lines[1], "label": lines[2], "serial": lines[3],
            "touched": int(lines[4])}


def state(**values):
    """A state value of the thing schema with every attribute present."""
    out = {a: None for a in ATTRS}
    out.update(values)
    return out


def configured(rpc):
    """ConfigureProvider with the (empty) provider config; returns rpc."""
    resp = rpc.ConfigureProvider(pb.ConfigureProvider.Request(terraform_version="1.16.4",
                                                              config=dv({})))
    assert not list(resp.diagnostics), resp.diagnostics
    return rpc


def fixture_rpc(provider):
    return configured(Rpc(provider.channel()))
