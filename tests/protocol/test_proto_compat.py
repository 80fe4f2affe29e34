"""proto/tfplugin6.proto against the protocol it claims to be: Terraform
v1.16.4's docs/plugin-protocol/tfplugin6.proto (protocol 6.11), taken from the
Go module proxy (the module tests/tools/terraform-client builds; `go mod
download` reuses the module cache). Every message and field we declare must
have the official number, name, type and label, and every RPC we declare the
official request, response and streaming. Differences in what is left out are
fine: RPCs we do not declare are answered UNIMPLEMENTED and never declared in
the schema (test_data_sources_functions.py)."""
import json
import pathlib
import subprocess
import tempfile

from google.protobuf import descriptor_pb2
from grpc_tools import protoc

ROOT = pathlib.Path(__file__).resolve().parents[2]
TERRAFORM = "github.com/hashicorp/terraform@v1.16.4"


def official_proto_dir():
    out = subprocess.run(["go", "mod", "download", "-json", TERRAFORM], check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    return pathlib.Path(json.loads(out)["Dir"]) / "docs" / "plugin-protocol"


def descriptors(src_dir):
    include = pathlib.Path(protoc.__file__).parent / "_proto"
    with tempfile.TemporaryDirectory() as tmp:
        out = pathlib.Path(tmp) / "d.pb"
        assert protoc.main(["protoc", f"-I{src_dir}", f"-I{include}", "--include_imports",
                            f"--descriptor_set_out={out}", f"{src_dir}/tfplugin6.proto"]) == 0
        fds = descriptor_pb2.FileDescriptorSet()
        fds.ParseFromString(out.read_bytes())
    f = [x for x in fds.file if x.name == "tfplugin6.proto"][0]
    messages = {}

    def walk(prefix, ms):
        for m in ms:
            name = prefix + m.name
            messages[name] = {fl.number: (fl.name, fl.type, fl.label, fl.type_name.split(".")[-1])
                              for fl in m.field}
            walk(name + ".", m.nested_type)

    walk("", f.message_type)
    rpcs = {m.name: (m.input_type, m.output_type, m.server_streaming, m.client_streaming)
            for m in f.service[0].method}
    return messages, rpcs


def test_our_proto_is_the_official_one_where_it_declares_something():
    ours, our_rpcs = descriptors(ROOT / "proto")
    official, official_rpcs = descriptors(official_proto_dir())
    problems = []
    for msg, fields in ours.items():
        if msg not in official:
            problems.append(f"message {msg} is not in the protocol")
            continue
        for number, spec in fields.items():
            if official[msg].get(number) != spec:
                problems.append(f"{msg} field {number}: ours {spec}, "
                                f"protocol {official[msg].get(number)}")
    for rpc, sig in our_rpcs.items():
        if official_rpcs.get(rpc) != sig:
            problems.append(f"rpc {rpc}: ours {sig}, protocol {official_rpcs.get(rpc)}")
    assert not problems, "\n".join(problems)
    # What a Terraform 1.16 provider must answer is declared.
    for rpc in ("GetResourceIdentitySchemas", "UpgradeResourceIdentity", "ListResource",
                "ValidateListResourceConfig", "GenerateResourceConfig", "PlanAction",
                "InvokeAction", "ValidateActionConfig", "CallFunction", "GetFunctions"):
        assert rpc in our_rpcs, rpc
    assert len(ours) >= 100
