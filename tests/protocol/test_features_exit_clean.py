"""Every new RPC once (cancelled streams included), then Shutdown: the
process exits 0. Under the ASan build (make test-protocol-asan) that exit
code also says LeakSanitizer found no leak and no sanitizer report came."""
import json
import time

from fixture_util import THING, fixture_rpc, put_thing, state
from plugin_client import SHUTDOWN, START_STREAM, STREAM_STDIO, assert_clean_exit
from tfplugin6 import dv, identity, mp, pb

LIST_CONFIG = {"name_prefix": None, "full": None, "fail_after": None, "delay_ms": None}


def _forever():
    while True:
        time.sleep(3600)
        yield b""


def test_all_new_rpcs_then_clean_exit(fixture_provider, store):
    p = fixture_provider
    ch = p.channel()
    stdio = ch.unary_stream(STREAM_STDIO)(b"")
    broker = ch.stream_stream(START_STREAM)(_forever())
    stdio.initial_metadata()
    broker.initial_metadata()
    for n in ("a", "b", "c"):
        put_thing(store, n)
    rpc = fixture_rpc(p)
    rpc.GetProviderSchema()
    rpc.GetResourceIdentitySchemas()
    rpc.GetMetadata()
    rpc.GetFunctions()
    rpc.UpgradeResourceIdentity(pb.UpgradeResourceIdentity.Request(
        type_name=THING, raw_identity=pb.RawState(json=json.dumps({"id": "thing-a"}).encode())))
    rpc.ReadResource(pb.ReadResource.Request(type_name=THING, current_state=dv(state(id="thing-a"))))
    rpc.ImportResourceState(pb.ImportResourceState.Request(
        type_name=THING, identity=identity({"id": "thing-b", "region": None})))
    rpc.ImportResourceState(pb.ImportResourceState.Request(type_name=THING, id="thing-c"))
    rpc.GenerateResourceConfig(pb.GenerateResourceConfig.Request(
        type_name=THING, state=dv(state(id="thing-a", name="a", size=1, serial="1", touched=0))))
    rpc.ReadDataSource(pb.ReadDataSource.Request(
        type_name="lsms_fixture_lookup", config=dv({"name": "a", "id": None, "size": None})))
    rpc.CallFunction(pb.CallFunction.Request(name="fixture_join",
                                             arguments=[pb.DynamicValue(msgpack=mp(s))
                                                        for s in ("-", "x", None)]))
    rpc.CallFunction(pb.CallFunction.Request(name="fixture_join",
                                             arguments=[pb.DynamicValue(msgpack=mp(s))
                                                        for s in ("-", "x", "y")]))
    rpc.ValidateListResourceConfig(pb.ValidateListResourceConfig.Request(
        type_name=THING, config=dv(LIST_CONFIG)))
    list(rpc.ListResource(pb.ListResource.Request(type_name=THING, config=dv(LIST_CONFIG),
                                                  include_resource_object=True, limit=10)))
    list(rpc.ListResource(pb.ListResource.Request(
        type_name=THING, config=dv({**LIST_CONFIG, "fail_after": 1}), limit=10)))
    slow = rpc.ListResource(pb.ListResource.Request(
        type_name=THING, config=dv({**LIST_CONFIG, "delay_ms": 200}), limit=10))
    next(slow)
    slow.cancel()
    step = {"name": "a", "steps": 2, "fail_at": None, "delay_ms": None}
    rpc.ValidateActionConfig(pb.ValidateActionConfig.Request(type_name="lsms_fixture_step",
                                                             config=dv(step)))
    rpc.PlanAction(pb.PlanAction.Request(action_type="lsms_fixture_step", config=dv(step)))
    list(rpc.InvokeAction(pb.InvokeAction.Request(action_type="lsms_fixture_step",
                                                  config=dv(step))))
    long = rpc.InvokeAction(pb.InvokeAction.Request(
        action_type="lsms_fixture_step", config=dv({**step, "steps": 5, "delay_ms": 2000})))
    next(long)
    long.cancel()
    time.sleep(0.5)  # the cancelled calls end: every call is over at Shutdown,
    # so the process leaves through exit() and LeakSanitizer runs.
    assert p.unary(ch, SHUTDOWN) == b""
    assert_clean_exit(p, 10)
    assert "calls still running" not in p.stderr_text()


def test_shutdown_during_an_action_exits_promptly(fixture_provider, store):
    """Terraform sends StopProvider, then Shutdown; a provider whose action
    has not returned yet still exits at once (go-plugin kills it after 2 s)."""
    put_thing(store, "a")
    p = fixture_provider
    ch = p.channel()
    rpc = fixture_rpc(p)
    step = {"name": "a", "steps": 5, "fail_at": None, "delay_ms": 5000}
    running = rpc.InvokeAction(pb.InvokeAction.Request(action_type="lsms_fixture_step",
                                                       config=dv(step)), timeout=30)
    next(running)
    t0 = time.monotonic()
    assert p.unary(ch, SHUTDOWN) == b""
    assert_clean_exit(p, 5)
    assert time.monotonic() - t0 < 2.0
