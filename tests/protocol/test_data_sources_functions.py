"""Data sources (ValidateDataResourceConfig, ReadDataSource), provider
functions (GetFunctions, CallFunction) and GenerateResourceConfig, on the
provider itself and on the fixture provider; the schema that announces them."""
import json

from fixture_util import THING, fixture_rpc, put_thing, state
from tfplugin6 import Rpc, attr_path, dv, errors, mp, pb, unmp

PROFILE = {"name": None, "renditions": None, "input_resolution": None,
           "input_maximum_bitrate": None, "segment_length_seconds": None}


def test_schema_announces_data_sources_functions_and_capability(provider):
    rpc = Rpc(provider.channel())
    schema = rpc.GetProviderSchema()
    assert not list(schema.diagnostics)
    assert "lsms_encoding_profile" in schema.data_source_schemas
    fn = schema.functions["encoding_profile_renditions"]
    assert [p.name for p in fn.parameters] == ["name"]
    assert json.loads(fn.parameters[0].type) == "string"
    assert json.loads(getattr(fn, "return").type)[0] == "list"
    assert fn.summary and fn.description
    assert schema.server_capabilities.generate_resource_config
    assert schema.server_capabilities.get_provider_schema_optional
    assert not schema.server_capabilities.plan_destroy
    functions = rpc.GetFunctions()
    assert set(functions.functions) == set(schema.functions)
    meta = rpc.GetMetadata()
    assert {d.type_name for d in meta.data_sources} == set(schema.data_source_schemas)
    assert {f.name for f in meta.functions} == set(schema.functions)
    assert {a.type_name for a in meta.actions} == set(schema.action_schemas)
    assert {r.type_name for r in meta.list_resources} == set(schema.list_resource_schemas)


def test_deprecation_messages_are_sent(fixture_provider):
    schema = Rpc(fixture_provider.channel()).GetProviderSchema()
    label = [a for a in schema.resource_schemas[THING].block.attributes if a.name == "label"][0]
    assert label.deprecated and label.deprecation_message == "Use `name` instead."
    assert schema.functions["fixture_join"].deprecation_message == "Use join() instead."


def test_encoding_profile_data_source(provider):
    rpc = Rpc(provider.channel())
    resp = rpc.ReadDataSource(pb.ReadDataSource.Request(
        type_name="lsms_encoding_profile", config=dv({**PROFILE, "name": "HD-720p"})))
    assert not list(resp.diagnostics), resp.diagnostics
    got = unmp(resp.state.msgpack)
    assert got["name"] == "HD-720p"
    assert [r["name"] for r in got["renditions"]] == \
        ["_512x288", "_640x360", "_768x432", "_960x540", "_1280x720"]
    top = got["renditions"][-1]
    assert {k: top[k] for k in ("name", "width", "height", "bitrate", "framerate")} == \
        {"name": "_1280x720", "width": 1280, "height": 720, "bitrate": 2700000, "framerate": 30}
    assert got["input_resolution"] == "HD" and got["segment_length_seconds"] == 4


def test_data_source_validation_points_at_the_attribute(provider):
    rpc = Rpc(provider.channel())
    resp = rpc.ValidateDataResourceConfig(pb.ValidateDataResourceConfig.Request(
        type_name="lsms_encoding_profile", config=dv({**PROFILE, "name": "HD-9000p"})))
    [diag] = [d for d in resp.diagnostics]
    assert diag.severity == pb.Diagnostic.Severity.ERROR
    assert attr_path(diag) == ["name"]
    resp = rpc.ReadDataSource(pb.ReadDataSource.Request(type_name="lsms_nope", config=dv({})))
    [(summary, _)] = errors(resp.diagnostics)
    assert summary == "Unknown data source"


def test_data_source_result_is_checked(start_fixture, store):
    """A data source that changes a configured value is a provider bug: refused."""
    put_thing(store, "d")
    config = dv({"name": "d", "id": None, "size": None})
    ok = fixture_rpc(start_fixture()).ReadDataSource(pb.ReadDataSource.Request(
        type_name="lsms_fixture_lookup", config=config))
    assert unmp(ok.state.msgpack) == {"name": "d", "id": "thing-d", "size": 1}
    bad = fixture_rpc(start_fixture(LSMS_FIXTURE_BAD_DATA="1")).ReadDataSource(
        pb.ReadDataSource.Request(type_name="lsms_fixture_lookup", config=config))
    [(summary, detail)] = errors(bad.diagnostics)
    assert summary == "Provider produced an invalid data source result"
    assert "configured attributes were changed" in detail
    assert not bad.HasField("state")


def call(rpc, name, *args):
    return rpc.CallFunction(pb.CallFunction.Request(
        name=name, arguments=[pb.DynamicValue(msgpack=mp(a)) for a in args]))


def test_encoding_profile_renditions_function(provider):
    rpc = Rpc(provider.channel())
    resp = call(rpc, "encoding_profile_renditions", "SD-540p")
    assert not resp.HasField("error")
    assert [r["height"] for r in unmp(resp.result.msgpack)] == [288, 360, 432, 540]
    resp = call(rpc, "encoding_profile_renditions", "4K")
    assert not resp.HasField("result")
    assert "not an encoding profile" in resp.error.text
    assert resp.error.HasField("function_argument") and resp.error.function_argument == 0


def test_function_argument_checks(provider):
    rpc = Rpc(provider.channel())
    resp = call(rpc, "encoding_profile_renditions")
    assert resp.error.text == "encoding_profile_renditions takes 1 argument, 0 given"
    assert not resp.error.HasField("function_argument")
    resp = call(rpc, "encoding_profile_renditions", None)
    assert resp.error.function_argument == 0
    assert resp.error.text == "the argument must not be null"  # the client adds the rest
    resp = call(rpc, "nope")
    assert "no function" in resp.error.text


def test_variadic_function_and_result_check(fixture_provider):
    rpc = Rpc(fixture_provider.channel())
    resp = call(rpc, "fixture_join", "-", "a", "b", "c")
    assert unmp(resp.result.msgpack) == "a-b-c"
    assert unmp(call(rpc, "fixture_join", "-").result.msgpack) == ""
    resp = call(rpc, "fixture_join", "-", "a", None)
    assert resp.error.function_argument == 2
    resp = call(rpc, "fixture_join", "", "bad-", "type")
    assert "does not match its return type" in resp.error.text


def test_generated_config_keeps_what_a_user_writes(fixture_provider, store):
    rpc = fixture_rpc(fixture_provider)
    full = state(id="thing-g", name="g", size=1, label="hi", serial="100", touched=3)
    resp = rpc.GenerateResourceConfig(pb.GenerateResourceConfig.Request(type_name=THING,
                                                                        state=dv(full)))
    assert not list(resp.diagnostics)
    # id, serial and touched are computed only; size equals its default.
    assert unmp(resp.config.msgpack) == state(name="g", label="hi")
    resp = rpc.GenerateResourceConfig(pb.GenerateResourceConfig.Request(
        type_name=THING, state=dv({**full, "size": 4, "label": "generated"})))
    # the resource's hook drops a label it generated itself
    assert unmp(resp.config.msgpack) == state(name="g", size=4)


def test_what_is_not_served_is_never_declared(provider):
    """Ephemeral resources, state stores and MoveResourceState answer
    UNIMPLEMENTED; clients call them only for what the schema declares, and
    it declares none of them (nor the move capability)."""
    import grpc
    import pytest

    rpc = Rpc(provider.channel())
    schema = rpc.GetProviderSchema()
    assert not schema.ephemeral_resource_schemas and not schema.state_store_schemas
    assert not schema.server_capabilities.move_resource_state
    ch = provider.channel()
    for method in ("ValidateEphemeralResourceConfig", "OpenEphemeralResource",
                   "ValidateStateStoreConfig", "ConfigureStateStore", "MoveResourceState"):
        with pytest.raises(grpc.RpcError) as e:
            provider.unary(ch, "/tfplugin6.Provider/" + method)
        assert e.value.code() == grpc.StatusCode.UNIMPLEMENTED, method
