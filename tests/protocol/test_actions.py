"""Actions: ValidateActionConfig, PlanAction and InvokeAction (server stream
of Progress events, then one Completed), failure mid-way, cancellation by the
client and by StopProvider (fixture provider)."""
import threading
import time

import grpc

from fixture_util import fixture_rpc, put_thing, read_thing
from tfplugin6 import UNKNOWN, Rpc, attr_path, dv, errors, pb

ACTION = "lsms_fixture_step"


def step(name, steps=None, fail_at=None, delay_ms=None):
    return dv({"name": name, "steps": steps, "fail_at": fail_at, "delay_ms": delay_ms})


def invoke(rpc, config, timeout=20):
    return rpc.InvokeAction(pb.InvokeAction.Request(action_type=ACTION, config=config),
                            timeout=timeout)


def test_action_schema_is_announced(fixture_provider):
    schema = Rpc(fixture_provider.channel()).GetProviderSchema()
    block = schema.action_schemas[ACTION].schema.block
    assert {a.name for a in block.attributes} == {"name", "steps", "fail_at", "delay_ms"}
    assert not any(a.computed for a in block.attributes)


def test_invoke_streams_progress_then_completes(fixture_provider, store):
    put_thing(store, "a")
    rpc = fixture_rpc(fixture_provider)
    call = invoke(rpc, step("a", steps=3))
    events = list(call)
    assert call.code() == grpc.StatusCode.OK
    kinds = [e.WhichOneof("type") for e in events]
    assert kinds == ["progress", "progress", "progress", "completed"]
    assert [e.progress.message for e in events[:3]] == [f"step {i} of 3 on a" for i in (1, 2, 3)]
    assert not list(events[-1].completed.diagnostics)
    assert read_thing(store, "a")["touched"] == 1


def test_progress_arrives_while_the_action_runs(fixture_provider, store):
    put_thing(store, "slow")
    rpc = fixture_rpc(fixture_provider)
    t0 = time.monotonic()
    call = invoke(rpc, step("slow", steps=2, delay_ms=800))
    first = next(call)
    assert first.progress.message == "step 1 of 2 on slow"
    assert time.monotonic() - t0 < 0.7  # before the first step's wait is over
    rest = list(call)
    assert rest[-1].WhichOneof("type") == "completed"


def test_failure_mid_way_completes_with_the_error(fixture_provider, store):
    put_thing(store, "f")
    rpc = fixture_rpc(fixture_provider)
    events = list(invoke(rpc, step("f", steps=4, fail_at=2)))
    assert [e.WhichOneof("type") for e in events] == ["progress", "progress", "completed"]
    [(summary, detail)] = errors(events[-1].completed.diagnostics)
    assert summary == "Step failed" and "Step 2" in detail
    assert read_thing(store, "f")["touched"] == 0


def test_unknown_action_and_missing_target(fixture_provider):
    rpc = fixture_rpc(fixture_provider)
    [event] = list(rpc.InvokeAction(pb.InvokeAction.Request(action_type="lsms_nope",
                                                            config=dv({}))))
    [(summary, _)] = errors(event.completed.diagnostics)
    assert summary == "Unknown action"
    [event] = list(invoke(rpc, step("missing")))
    [(summary, _)] = errors(event.completed.diagnostics)
    assert summary == "Not found"


def test_validate_and_plan(fixture_provider, store):
    put_thing(store, "p")
    rpc = fixture_rpc(fixture_provider)
    ok = rpc.ValidateActionConfig(pb.ValidateActionConfig.Request(type_name=ACTION,
                                                                  config=step("p")))
    assert not list(ok.diagnostics)
    unknown = rpc.ValidateActionConfig(pb.ValidateActionConfig.Request(type_name="lsms_nope",
                                                                       config=dv({})))
    assert errors(unknown.diagnostics)
    plan = rpc.PlanAction(pb.PlanAction.Request(action_type=ACTION, config=step("p")))
    assert not list(plan.diagnostics)
    # Unknown at plan time: nothing to check yet.
    plan = rpc.PlanAction(pb.PlanAction.Request(action_type=ACTION, config=step(UNKNOWN)))
    assert not list(plan.diagnostics)
    # The target need not exist yet (an action_trigger after_create acts on
    # what the same apply creates); the configuration is still judged.
    plan = rpc.PlanAction(pb.PlanAction.Request(action_type=ACTION, config=step("absent")))
    assert not list(plan.diagnostics)
    plan = rpc.PlanAction(pb.PlanAction.Request(action_type=ACTION, config=step("p", steps=0)))
    [diag] = plan.diagnostics
    assert diag.summary == "Invalid steps" and attr_path(diag) == ["steps"]
    assert not plan.HasField("deferred")


def test_invoke_refuses_unknown_config(fixture_provider):
    rpc = fixture_rpc(fixture_provider)
    [event] = list(invoke(rpc, step(UNKNOWN)))
    [(summary, _)] = errors(event.completed.diagnostics)
    assert summary == "Action configuration not known"


def test_client_cancel_stops_the_action(fixture_provider, store):
    put_thing(store, "c")
    rpc = fixture_rpc(fixture_provider)
    call = invoke(rpc, step("c", steps=5, delay_ms=3000), timeout=60)
    assert next(call).WhichOneof("type") == "progress"
    call.cancel()
    finished = []
    deadline = time.monotonic() + 5
    while not finished and time.monotonic() < deadline:
        finished = [r for r in fixture_provider.stderr_records()
                    if r.get("@message") == "rpc finished"
                    and r.get("method") == "/tfplugin6.Provider/InvokeAction"]
        time.sleep(0.05)
    assert finished and finished[0]["cancelled"] == "true", finished
    assert int(finished[0]["duration_us"]) < 2_000_000, finished
    assert read_thing(store, "c")["touched"] == 0


def test_stop_provider_cancels_a_running_action(fixture_provider, store):
    put_thing(store, "s")
    rpc = fixture_rpc(fixture_provider)
    call = invoke(rpc, step("s", steps=3, delay_ms=5000), timeout=60)
    assert next(call).WhichOneof("type") == "progress"
    t0 = time.monotonic()
    stop = rpc.StopProvider(pb.StopProvider.Request())
    assert stop.Error == ""
    rest = list(call)
    elapsed = time.monotonic() - t0
    assert rest[-1].WhichOneof("type") == "completed"
    [(summary, _)] = errors(rest[-1].completed.diagnostics)
    assert summary == "Action cancelled"
    assert elapsed < 1.0, elapsed
    assert read_thing(store, "s")["touched"] == 0


def test_actions_run_concurrently(fixture_provider, store):
    for i in range(6):
        put_thing(store, f"k{i}")
    rpc = fixture_rpc(fixture_provider)
    out = {}

    def one(i):
        out[i] = [e.WhichOneof("type") for e in invoke(rpc, step(f"k{i}", steps=2, delay_ms=300))]

    t0 = time.monotonic()
    threads = [threading.Thread(target=one, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert all(out[i] == ["progress", "progress", "completed"] for i in range(6)), out
    assert time.monotonic() - t0 < 6 * 0.6  # not one after the other


def test_stop_provider_is_served_when_every_worker_is_busy(fixture_provider, store):
    """40 slow actions hold all 32 workers (8 more wait for one): StopProvider
    is still answered at once and every action ends cancelled."""
    n = 40
    for i in range(n):
        put_thing(store, f"w{i}")
    rpc = fixture_rpc(fixture_provider)
    calls = [invoke(rpc, step(f"w{i}", steps=2, delay_ms=20000), timeout=120) for i in range(n)]
    # Wait until 32 of them have sent their first progress event.
    started = 0
    firsts = []
    for call in calls[:32]:
        firsts.append(next(call))
        started += 1
    assert started == 32
    t0 = time.monotonic()
    assert rpc.StopProvider(pb.StopProvider.Request(), timeout=5).Error == ""
    assert time.monotonic() - t0 < 1.0
    for call in calls:
        events = list(call)
        [(summary, _)] = errors(events[-1].completed.diagnostics)
        assert summary == "Action cancelled"
    assert time.monotonic() - t0 < 10
    assert all(read_thing(store, f"w{i}")["touched"] == 0 for i in range(n))
