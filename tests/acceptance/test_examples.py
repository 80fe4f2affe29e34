"""The product as a user meets it: the examples and `make demo`.

Every example validates; the module's and both complete examples' (MediaStore
and S3 origin) test suites pass against the emulator (`tofu test`, and
`terraform test`: Terraform has it since 1.6, as the examples require);
multi-stream applies one set of resources per stream with either origin
(checked with boto3), plans empty and destroys to nothing; `make demo` (and
`make demo ORIGIN=s3`) prints a live stream URL and `make demo-destroy`
leaves the emulator empty.

Every test runs with the newest OpenTofu and Terraform (`make demo
CLIENT=...`); the validation, the module's suite and complete-s3's suite also
with the older Terraform (the client matrix: conftest.py). The streams are
named after the client, as all share one emulator.
"""

import os
import re
import shutil
import subprocess
import sys

import pytest

from harness import REPO, emulator_env

sys.path.insert(0, os.path.join(REPO, "tests", "tools"))
from emulator_inventory import inventory  # noqa: E402

EXAMPLES = os.path.join(REPO, "examples")


def copy_examples(tmp_path):
    dest = tmp_path / "examples"
    shutil.copytree(EXAMPLES, dest, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
    return dest


@pytest.mark.older_clients
@pytest.mark.parametrize("example", ["complete", "complete-s3", "multi-stream",
                                     "modules/live-stream"])
def test_every_example_validates(client, workspace_factory, tmp_path, example):
    examples = copy_examples(tmp_path)
    ws = workspace_factory(client)
    ws.path = str(examples / example)
    ws.init()
    ws.validate()


@pytest.mark.older_clients
def test_module_test_suite(client, workspace_factory, tmp_path):
    examples = copy_examples(tmp_path)
    ws = workspace_factory(client)
    ws.path = str(examples / "modules" / "live-stream")
    ws.init()
    r = ws.run("test", "-no-color")
    assert "0 failed" in r.output and "10 passed" in r.output, r.output


# Older clients: the deployable example (S3 origin) applied, planned and
# destroyed by its test suite.
@pytest.mark.parametrize("example", ["complete",
                                     pytest.param("complete-s3", marks=pytest.mark.older_clients)])
def test_complete_test_suite(client, workspace_factory, tmp_path, emulator, example):
    examples = copy_examples(tmp_path)
    # The suite's stream (its name, and the names the assertions expect) is
    # named after the client.
    suite = examples / example / "tests" / "apply.tftest.hcl"
    text = suite.read_text()
    assert text.count('"tftest-complete') >= 2, text
    suite.write_text(text.replace('"tftest-complete', f'"{client[0]}-tftest-complete'))
    ws = workspace_factory(client, env=emulator_env(emulator.url))
    ws.path = str(examples / example)
    ws.init()
    r = ws.run("test", "-no-color")
    assert "0 failed" in r.output and "2 passed" in r.output, r.output
    assert not any(inventory(emulator.url).values()), inventory(emulator.url)


@pytest.mark.parametrize("origin", ["s3", "mediastore"])
def test_multi_stream_applies_one_set_per_stream(client, workspace_factory, tmp_path, emulator,
                                                 origin):
    examples = copy_examples(tmp_path)
    ws = workspace_factory(client, env=emulator_env(emulator.url))
    ws.path = str(examples / "multi-stream")
    ws.init()
    prefix = f"event-{client[0]}"
    args = [f"-var=origin={origin}", f"-var=prefix={prefix}"]
    ws.apply(*args)
    streams = ["backstage", "concert", "keynote"]
    found = inventory(emulator.url)
    if origin == "s3":
        assert found["containers"] == []
        assert len(found["buckets"]) == 3
        for s in streams:
            assert len([b for b in found["buckets"] if b.startswith(f"{prefix}-{s}-")]) == 1
        assert len(found["origin_access_controls"]) == 3
    else:
        assert found["buckets"] == [] and found["origin_access_controls"] == []
        assert sorted(found["containers"]) == [f"{prefix}-{s}" for s in streams]
    assert len(found["channels"]) == 3
    assert len(found["inputs"]) == 3
    assert len(found["distributions"]) == 3
    assert sorted(found["dashboards"]) == [f"{prefix}-{s}-live-streaming" for s in streams]
    # Two push streams have input security groups, the pull stream has none.
    assert len(found["input_security_groups"]) == 2

    outputs = ws.output()
    urls = outputs["live_stream_urls"]["value"]
    assert sorted(urls) == streams
    for url in urls.values():
        assert re.match(r"^https://[a-z0-9]+\.cloudfront\.net/stream/index\.m3u8$", url), url
    for name, stream in outputs["streams"]["value"].items():
        if origin == "s3":
            assert stream["bucket_name"].startswith(f"{prefix}-{name}-")
            assert stream["container_endpoint"] is None
        else:
            assert stream["bucket_name"] is None and stream["container_endpoint"]

    code, r = ws.plan_exitcode(*args)
    assert code == 0, r.output
    ws.destroy(*args)
    assert not any(inventory(emulator.url).values()), inventory(emulator.url)


@pytest.mark.parametrize("origin", ["mediastore", "s3"])
def test_make_demo_prints_url_and_destroy_leaves_nothing(client, origin):
    env = dict(os.environ, LSMS_DEMO_PORT="4611", CLIENT=client[1])
    args = [] if origin == "mediastore" else [f"ORIGIN={origin}"]
    try:
        up = subprocess.run(["make", "-s", "-C", REPO, "demo", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            timeout=900)
        assert up.returncode == 0, up.stdout
        assert f"outputs of examples/complete{'-s3' if origin == 's3' else ''} by " \
            f"{'OpenTofu' if client.family == 'tofu' else 'Terraform'} v" in up.stdout, up.stdout
        assert re.search(r'live_stream_url = "https://[a-z0-9]+\.cloudfront\.net/stream/index\.m3u8"',
                         up.stdout), up.stdout
        if origin == "s3":
            assert re.search(r'bucket_name = "live-streaming-[0-9a-f]{26}"', up.stdout), up.stdout
            assert "container_endpoint" not in up.stdout, up.stdout
        else:
            assert re.search(r'container_endpoint = "http', up.stdout), up.stdout
    finally:
        # demo-destroy tears down what `demo` applied, whatever ORIGIN it is given.
        down = subprocess.run(["make", "-s", "-C", REPO, "demo-destroy"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              timeout=900)
    assert down.returncode == 0, down.stdout
    assert "emulator is not empty" not in down.stdout, down.stdout
    out = subprocess.run(["pgrep", "-f", "lsms_emulator.*4611"], stdout=subprocess.PIPE,
                         text=True).stdout
    assert out.strip() == "", "the demo emulator is still running"
