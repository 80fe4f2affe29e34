"""Writes the seeds of fuzz_protocol_features (corpus/fuzz_protocol_features):
one well-formed request per method, built with the protocol tests' message
classes. Run: $(tests/tools/venv) tests/fuzz/seed_features.py"""
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "protocol"))

from tfplugin6 import UNKNOWN, dv, identity, mp, pb  # noqa: E402

PROFILE = {"name": "HD-720p", "renditions": None, "input_resolution": None,
           "input_maximum_bitrate": None, "segment_length_seconds": None}

# (selector, name, request): selectors follow fuzz_protocol_features.c's table.
SEEDS = [
    (0, "identity-schemas", pb.GetResourceIdentitySchemas.Request()),
    (1, "upgrade-identity", pb.UpgradeResourceIdentity.Request(
        type_name="lsms_channel", version=0,
        raw_identity=pb.RawState(json=json.dumps({"id": "1234567"}).encode()))),
    (2, "validate-data-source", pb.ValidateDataResourceConfig.Request(
        type_name="lsms_encoding_profile", config=dv({**PROFILE, "name": UNKNOWN}))),
    (3, "read-data-source", pb.ReadDataSource.Request(type_name="lsms_encoding_profile",
                                                      config=dv(PROFILE))),
    (4, "get-functions", pb.GetFunctions.Request()),
    (5, "call-function", pb.CallFunction.Request(
        name="encoding_profile_renditions", arguments=[pb.DynamicValue(msgpack=mp("SD-540p"))])),
    (5, "call-function-bad", pb.CallFunction.Request(
        name="encoding_profile_renditions", arguments=[pb.DynamicValue(msgpack=mp(None))])),
    (6, "generate-config", pb.GenerateResourceConfig.Request(
        type_name="lsms_container", state=dv(None))),
    (7, "validate-list", pb.ValidateListResourceConfig.Request(type_name="lsms_channel",
                                                               config=dv(None))),
    (8, "list", pb.ListResource.Request(type_name="lsms_channel", config=dv(None),
                                        include_resource_object=True, limit=10)),
    (9, "validate-action", pb.ValidateActionConfig.Request(type_name="lsms_channel_start",
                                                           config=dv(None))),
    (10, "plan-action", pb.PlanAction.Request(action_type="lsms_channel_start",
                                              config=dv(None))),
    (11, "invoke-action", pb.InvokeAction.Request(action_type="lsms_channel_start",
                                                  config=dv(None))),
    (12, "import-by-identity", pb.ImportResourceState.Request(
        type_name="lsms_channel", identity=identity({"id": "1234567"}))),
    (13, "metadata", pb.GetMetadata.Request()),
]

out = HERE / "corpus" / "fuzz_protocol_features"
out.mkdir(parents=True, exist_ok=True)
for selector, name, request in SEEDS:
    (out / name).write_bytes(bytes([selector]) + request.SerializeToString())
print(f"{len(SEEDS)} seeds in {out}")
