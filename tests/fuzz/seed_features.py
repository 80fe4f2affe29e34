"""Writes the seeds of fuzz_protocol_features (corpus/fuzz_protocol_features):
well-formed requests of every method, for every data source, function, list
resource, action and identity the provider declares (values built from its own
schema, as a client would), with the protocol tests' message classes.

Run: $(tests/tools/venv) tests/fuzz/seed_features.py build/terraform-provider-lsms
"""
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "protocol"))

from plugin_client import ClientCert, Provider  # noqa: E402
from tfplugin6 import UNKNOWN, Rpc, dv, identity, mp, pb  # noqa: E402

# Selectors: the index of each method in fuzz_protocol_features.c's table.
SEL = {"GetResourceIdentitySchemas": 0, "UpgradeResourceIdentity": 1,
       "ValidateDataResourceConfig": 2, "ReadDataSource": 3, "GetFunctions": 4,
       "CallFunction": 5, "GenerateResourceConfig": 6, "ValidateListResourceConfig": 7,
       "ListResource": 8, "ValidateActionConfig": 9, "PlanAction": 10, "InvokeAction": 11,
       "ImportResourceState": 12, "GetMetadata": 13}

SAMPLE = {"string": "1234567", "number": 3, "bool": True}


def sample(type_json):
    """A plausible value of a cty type given as JSON."""
    t = json.loads(type_json) if isinstance(type_json, bytes) else type_json
    if isinstance(t, str):
        return SAMPLE.get(t, "x")
    kind = t[0]
    if kind in ("list", "set"):
        return [sample(t[1])]
    if kind == "map":
        return {"k": sample(t[1])}
    if kind == "object":
        return {k: sample(v) for k, v in t[1].items()}
    return None


def block_value(block, fill):
    """An object of a schema block: required attributes sampled (all when
    `fill`), the rest null; nested blocks empty."""
    out = {}
    for a in block.attributes:
        out[a.name] = sample(a.type) if (a.required or fill) and a.type else None
    for b in block.block_types:
        out[b.type_name] = [] if b.nesting in (2, 3) else ({} if b.nesting == 4 else None)
    return out


def seeds(schema, identities):
    yield "GetResourceIdentitySchemas", "identity-schemas", pb.GetResourceIdentitySchemas.Request()
    yield "GetFunctions", "get-functions", pb.GetFunctions.Request()
    yield "GetMetadata", "metadata", pb.GetMetadata.Request()
    for name, s in identities.identity_schemas.items():
        ident = {a.name: sample(a.type) for a in s.identity_attributes}
        yield ("UpgradeResourceIdentity", f"upgrade-identity-{name}",
               pb.UpgradeResourceIdentity.Request(
                   type_name=name, version=0,
                   raw_identity=pb.RawState(json=json.dumps(ident).encode())))
        yield ("ImportResourceState", f"import-identity-{name}",
               pb.ImportResourceState.Request(type_name=name, identity=identity(ident)))
    for name, s in schema.resource_schemas.items():
        yield ("GenerateResourceConfig", f"generate-{name}",
               pb.GenerateResourceConfig.Request(type_name=name,
                                                 state=dv(block_value(s.block, True))))
    for name, s in schema.data_source_schemas.items():
        v = block_value(s.block, False)
        yield ("ValidateDataResourceConfig", f"validate-data-{name}",
               pb.ValidateDataResourceConfig.Request(type_name=name, config=dv(v)))
        yield "ReadDataSource", f"read-data-{name}", pb.ReadDataSource.Request(type_name=name,
                                                                               config=dv(v))
    for name, f in schema.functions.items():
        args = [pb.DynamicValue(msgpack=mp(sample(p.type))) for p in f.parameters]
        yield "CallFunction", f"call-{name}", pb.CallFunction.Request(name=name, arguments=args)
    for name, s in schema.list_resource_schemas.items():
        v = block_value(s.block, True)
        yield ("ValidateListResourceConfig", f"validate-list-{name}",
               pb.ValidateListResourceConfig.Request(type_name=name, config=dv(v)))
        yield "ListResource", f"list-{name}", pb.ListResource.Request(
            type_name=name, config=dv(v), include_resource_object=True, limit=10)
    for name, a in schema.action_schemas.items():
        v = block_value(a.schema.block, False)
        yield ("ValidateActionConfig", f"validate-action-{name}",
               pb.ValidateActionConfig.Request(type_name=name, config=dv(v)))
        unknown = {k: (UNKNOWN if x is not None else None) for k, x in v.items()}
        yield "PlanAction", f"plan-action-{name}", pb.PlanAction.Request(
            action_type=name, config=dv(unknown))
        yield "InvokeAction", f"invoke-action-{name}", pb.InvokeAction.Request(
            action_type=name, config=dv(v))


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else str(HERE.parents[1] / "build" /
                                                        "terraform-provider-lsms")
    with Provider(binary, client=ClientCert()) as p:
        rpc = Rpc(p.channel())
        schema, identities = rpc.GetProviderSchema(), rpc.GetResourceIdentitySchemas()
    out = HERE / "corpus" / "fuzz_protocol_features"
    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():
        old.unlink()
    n = 0
    for method, name, request in seeds(schema, identities):
        (out / name).write_bytes(bytes([SEL[method]]) + request.SerializeToString())
        n += 1
    print(f"{n} seeds in {out}")


if __name__ == "__main__":
    main()
