"""ListResource (server stream) and ValidateListResourceConfig, with the
fixture provider: events as objects are found, identity and display name,
full state on request, filters, the client's limit, errors mid-walk and the
client cancelling the stream."""
import threading
import time

import grpc

from fixture_util import THING, fixture_rpc, put_thing
from tfplugin6 import Rpc, dv, errors, pb, unmp

CONFIG = {"name_prefix": None, "full": None, "fail_after": None, "delay_ms": None}


def list_request(include=False, limit=100, **config):
    return pb.ListResource.Request(type_name=THING, config=dv({**CONFIG, **config}),
                                   include_resource_object=include, limit=limit)


def test_list_schema_is_announced(fixture_provider):
    schema = Rpc(fixture_provider.channel()).GetProviderSchema()
    attrs = {a.name for a in schema.list_resource_schemas[THING].block.attributes}
    assert attrs == set(CONFIG)


def test_each_object_is_one_event_with_identity_and_display_name(fixture_provider, store):
    for n in ("b", "a", "c"):
        put_thing(store, n)
    rpc = fixture_rpc(fixture_provider)
    events = list(rpc.ListResource(list_request()))
    assert [e.display_name for e in events] == ["a", "b", "c"]
    for e, n in zip(events, "abc"):
        assert unmp(e.identity.identity_data.msgpack) == {"id": f"thing-{n}", "region": "fixture-1"}
        assert not e.HasField("resource_object")
        assert not list(e.diagnostic)


def test_resource_objects_are_read_when_asked_for(fixture_provider, store):
    """The fixture emits seeds (id only): the framework reads each object."""
    put_thing(store, "a", size="3", label="hello", touched=2)
    rpc = fixture_rpc(fixture_provider)
    [event] = list(rpc.ListResource(list_request(include=True)))
    obj = unmp(event.resource_object.msgpack)
    assert obj == {"id": "thing-a", "name": "a", "size": 3, "label": "hello", "serial": "100",
                   "touched": 2}


def test_full_states_are_sent_as_emitted(fixture_provider, store):
    put_thing(store, "a", size="2")
    rpc = fixture_rpc(fixture_provider)
    [event] = list(rpc.ListResource(list_request(include=True, full=True)))
    assert unmp(event.resource_object.msgpack)["size"] == 2


def test_filter_and_limit(fixture_provider, store):
    for n in ("app-1", "app-2", "app-3", "db-1"):
        put_thing(store, n)
    rpc = fixture_rpc(fixture_provider)
    assert [e.display_name for e in rpc.ListResource(list_request(name_prefix="app"))] == \
        ["app-1", "app-2", "app-3"]
    assert [e.display_name for e in rpc.ListResource(list_request(limit=2))] == ["app-1", "app-2"]


def test_error_mid_walk_ends_with_a_diagnostic_event(fixture_provider, store):
    for n in ("a", "b", "c"):
        put_thing(store, n)
    rpc = fixture_rpc(fixture_provider)
    call = rpc.ListResource(list_request(fail_after=1))
    events = list(call)
    assert call.code() == grpc.StatusCode.OK
    assert [e.display_name for e in events[:-1]] == ["a"]
    [(summary, detail)] = errors(events[-1].diagnostic)
    assert summary == "List failed" and "after 1 objects" in detail


def test_unknown_list_type_is_a_diagnostic(fixture_provider):
    rpc = fixture_rpc(fixture_provider)
    [event] = list(rpc.ListResource(pb.ListResource.Request(type_name="lsms_nope",
                                                            config=dv({}), limit=10)))
    [(summary, _)] = errors(event.diagnostic)
    assert summary == "Unknown resource type"
    resp = rpc.ValidateListResourceConfig(pb.ValidateListResourceConfig.Request(
        type_name="lsms_nope", config=dv({})))
    assert errors(resp.diagnostics)


def test_validate_list_config(fixture_provider):
    rpc = Rpc(fixture_provider.channel())
    resp = rpc.ValidateListResourceConfig(pb.ValidateListResourceConfig.Request(
        type_name=THING, config=dv({**CONFIG, "name_prefix": "x"})))
    assert not list(resp.diagnostics)
    # No config block at all: Terraform sends null; still valid.
    resp = rpc.ValidateListResourceConfig(pb.ValidateListResourceConfig.Request(
        type_name=THING, config=dv(None)))
    assert not list(resp.diagnostics)


def test_client_cancel_stops_the_walk(fixture_provider, store):
    """Terraform cancels the stream once it has `limit` results: the provider
    stops walking (the next objects are not read) and keeps serving."""
    for i in range(8):
        put_thing(store, f"n{i}")
    rpc = fixture_rpc(fixture_provider)
    call = rpc.ListResource(list_request(delay_ms=300), timeout=30)
    first = next(call)
    assert first.display_name == "n0"
    t0 = time.monotonic()
    call.cancel()
    # The provider is free again at once: a new list completes while the
    # cancelled one would still have ~2 s of objects to go.
    events = list(rpc.ListResource(list_request(limit=1)))
    assert [e.display_name for e in events] == ["n0"]
    assert time.monotonic() - t0 < 1.5
    # The cancelled call ended after at most one more object (~0.6 s in all),
    # not after the whole walk (8 x 0.3 s).
    finished = []
    deadline = time.monotonic() + 5
    while not finished and time.monotonic() < deadline:
        finished = [r for r in fixture_provider.stderr_records()
                    if r.get("@message") == "rpc finished" and r.get("cancelled") == "true"
                    and r.get("method") == "/tfplugin6.Provider/ListResource"]
        time.sleep(0.1)
    assert finished, "the cancelled ListResource never finished"
    assert int(finished[0]["duration_us"]) < 1_500_000, finished


def test_many_lists_at_once(fixture_provider, store):
    for i in range(5):
        put_thing(store, f"m{i}")
    rpc = fixture_rpc(fixture_provider)
    results = [None] * 12

    def one(i):
        results[i] = [e.display_name for e in rpc.ListResource(list_request(include=True))]

    threads = [threading.Thread(target=one, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert results == [[f"m{i}" for i in range(5)]] * 12
