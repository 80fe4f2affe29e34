"""Resource identity (Terraform 1.12+): GetResourceIdentitySchemas, identity in
Read/Plan/Apply/Import, import by identity, UpgradeResourceIdentity, and the
framework refusing an identity that breaks the rules (fixture provider)."""
import json

from fixture_util import THING, fixture_rpc, put_thing, state
from tfplugin6 import UNKNOWN, Rpc, dv, errors, identity, mp, pb, unmp


def ident(resp_identity):
    return unmp(resp_identity.identity_data.msgpack)


def test_identity_schema_lists_required_and_optional_attributes(fixture_provider):
    rpc = Rpc(fixture_provider.channel())
    resp = rpc.GetResourceIdentitySchemas()
    assert not list(resp.diagnostics)
    schema = resp.identity_schemas[THING]
    attrs = {a.name: a for a in schema.identity_attributes}
    assert schema.version == 0
    assert json.loads(attrs["id"].type) == "string"
    assert attrs["id"].required_for_import and not attrs["id"].optional_for_import
    assert attrs["region"].optional_for_import and not attrs["region"].required_for_import


def test_real_provider_answers_identity_schemas(provider):
    """Terraform calls it inside every GetProviderSchema and fails on any
    error but UNIMPLEMENTED: the provider answers OK, listing only resources
    that have an identity, each with a required attribute."""
    rpc = Rpc(provider.channel())
    resp = rpc.GetResourceIdentitySchemas()
    assert not list(resp.diagnostics)
    resources = set(rpc.GetProviderSchema().resource_schemas)
    assert set(resp.identity_schemas) <= resources
    for name, schema in resp.identity_schemas.items():
        assert any(a.required_for_import for a in schema.identity_attributes), name


def test_create_plan_leaves_an_unknown_identity_out_and_apply_returns_it(fixture_provider,
                                                                          store):
    """Terraform's plan renderer fails on an identity holding unknowns, so a
    create plan whose id is not known yet carries none; apply returns it."""
    rpc = fixture_rpc(fixture_provider)
    null = mp(None)
    cfg = state(name="a")
    plan = rpc.PlanResourceChange(pb.PlanResourceChange.Request(
        type_name=THING, prior_state=pb.DynamicValue(msgpack=null), proposed_new_state=dv(cfg),
        config=dv(cfg)))
    assert not errors(plan.diagnostics), plan.diagnostics
    assert unmp(plan.planned_state.msgpack)["id"] is UNKNOWN
    assert not plan.HasField("planned_identity")
    applied = rpc.ApplyResourceChange(pb.ApplyResourceChange.Request(
        type_name=THING, prior_state=pb.DynamicValue(msgpack=null),
        planned_state=plan.planned_state, config=dv(cfg)))
    assert not errors(applied.diagnostics), applied.diagnostics
    assert ident(applied.new_identity) == {"id": "thing-a", "region": "fixture-1"}
    assert (store / "thing-a").exists()


def test_update_plan_keeps_the_prior_identity(fixture_provider, store):
    put_thing(store, "u")
    rpc = fixture_rpc(fixture_provider)
    prior = state(id="thing-u", name="u", size=1, serial="100", touched=0)
    cfg = state(name="u", size=5)
    plan = rpc.PlanResourceChange(pb.PlanResourceChange.Request(
        type_name=THING, prior_state=dv(prior), proposed_new_state=dv({**prior, "size": 5}),
        config=dv(cfg), prior_identity=identity({"id": "thing-u", "region": "fixture-1"})))
    assert not errors(plan.diagnostics), plan.diagnostics
    assert ident(plan.planned_identity) == {"id": "thing-u", "region": "fixture-1"}


def test_read_returns_identity_also_for_state_without_one(fixture_provider, store):
    """A state written by a client without identity (Terraform 1.11) gains one."""
    put_thing(store, "r")
    rpc = fixture_rpc(fixture_provider)
    resp = rpc.ReadResource(pb.ReadResource.Request(type_name=THING,
                                                    current_state=dv(state(id="thing-r"))))
    assert not errors(resp.diagnostics), resp.diagnostics
    assert ident(resp.new_identity) == {"id": "thing-r", "region": "fixture-1"}
    assert unmp(resp.new_state.msgpack)["name"] == "r"


def test_read_of_a_gone_object_returns_no_identity(fixture_provider):
    rpc = fixture_rpc(fixture_provider)
    resp = rpc.ReadResource(pb.ReadResource.Request(
        type_name=THING, current_state=dv(state(id="thing-gone")),
        current_identity=identity({"id": "thing-gone", "region": "fixture-1"})))
    assert not errors(resp.diagnostics)
    assert unmp(resp.new_state.msgpack) is None
    assert not resp.HasField("new_identity")


def test_import_by_id_returns_identity(fixture_provider, store):
    put_thing(store, "i")
    rpc = fixture_rpc(fixture_provider)
    resp = rpc.ImportResourceState(pb.ImportResourceState.Request(type_name=THING, id="thing-i"))
    assert not errors(resp.diagnostics), resp.diagnostics
    [imported] = resp.imported_resources
    assert unmp(imported.state.msgpack)["id"] == "thing-i"
    assert ident(imported.identity) == {"id": "thing-i", "region": "fixture-1"}


def test_import_by_identity(fixture_provider, store):
    put_thing(store, "j")
    rpc = fixture_rpc(fixture_provider)
    resp = rpc.ImportResourceState(pb.ImportResourceState.Request(
        type_name=THING, identity=identity({"id": "thing-j", "region": None})))
    assert not errors(resp.diagnostics), resp.diagnostics
    [imported] = resp.imported_resources
    assert imported.type_name == THING
    assert unmp(imported.state.msgpack)["id"] == "thing-j"
    assert ident(imported.identity) == {"id": "thing-j", "region": "fixture-1"}


def test_import_by_identity_refuses_missing_required_attribute(fixture_provider):
    rpc = fixture_rpc(fixture_provider)
    resp = rpc.ImportResourceState(pb.ImportResourceState.Request(
        type_name=THING, identity=identity({"id": None, "region": "fixture-1"})))
    [(summary, detail)] = errors(resp.diagnostics)
    assert summary == "Invalid import identity"
    assert not list(resp.imported_resources)


def test_import_by_identity_goes_through_the_resource(fixture_provider):
    """The resource's identity import refuses another region: nothing imported."""
    rpc = fixture_rpc(fixture_provider)
    resp = rpc.ImportResourceState(pb.ImportResourceState.Request(
        type_name=THING, identity=identity({"id": "thing-x", "region": "elsewhere-2"})))
    [(summary, _)] = errors(resp.diagnostics)
    assert summary == "Wrong region"
    assert not list(resp.imported_resources)


def test_import_without_id_or_identity_is_an_error(fixture_provider):
    rpc = fixture_rpc(fixture_provider)
    resp = rpc.ImportResourceState(pb.ImportResourceState.Request(type_name=THING))
    [(summary, detail)] = errors(resp.diagnostics)
    assert summary == "Missing import ID" and "or an identity" in detail


def test_upgrade_identity_of_the_current_version(fixture_provider):
    rpc = Rpc(fixture_provider.channel())
    raw = json.dumps({"id": "thing-z", "region": "fixture-1"}).encode()
    resp = rpc.UpgradeResourceIdentity(pb.UpgradeResourceIdentity.Request(
        type_name=THING, version=0, raw_identity=pb.RawState(json=raw)))
    assert not errors(resp.diagnostics), resp.diagnostics
    assert ident(resp.upgraded_identity) == {"id": "thing-z", "region": "fixture-1"}


def test_upgrade_identity_from_a_newer_version_is_refused(fixture_provider):
    rpc = Rpc(fixture_provider.channel())
    resp = rpc.UpgradeResourceIdentity(pb.UpgradeResourceIdentity.Request(
        type_name=THING, version=3, raw_identity=pb.RawState(json=b'{"id":"thing-z"}')))
    [(summary, _)] = errors(resp.diagnostics)
    assert summary == "Resource identity managed by newer provider version"
    assert not resp.HasField("upgraded_identity")


def _read_with_bad_identity(start_fixture, store, bad, prior=None):
    put_thing(store, "b")
    rpc = fixture_rpc(start_fixture(LSMS_FIXTURE_BAD_IDENTITY=bad))
    req = pb.ReadResource.Request(type_name=THING, current_state=dv(state(id="thing-b")))
    if prior:
        req.current_identity.CopyFrom(identity(prior))
    return rpc.ReadResource(req)


def test_identity_of_wrong_type_is_refused(start_fixture, store):
    resp = _read_with_bad_identity(start_fixture, store, "type")
    [(summary, detail)] = errors(resp.diagnostics)
    assert summary == "Provider produced invalid identity"
    assert "does not match the identity schema" in detail and THING in detail
    assert not resp.HasField("new_identity")


def test_identity_without_required_attribute_is_refused(start_fixture, store):
    resp = _read_with_bad_identity(start_fixture, store, "null")
    [(summary, detail)] = errors(resp.diagnostics)
    assert summary == "Provider produced invalid identity"
    assert "attribute id is null" in detail
    assert not resp.HasField("new_identity")


def test_identity_that_changes_on_read_is_refused(start_fixture, store):
    resp = _read_with_bad_identity(start_fixture, store, "changed",
                                   prior={"id": "thing-b", "region": "fixture-1"})
    [(summary, detail)] = errors(resp.diagnostics)
    assert summary == "Provider produced invalid identity"
    assert "attribute id differs" in detail
