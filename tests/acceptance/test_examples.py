"""The product as a user meets it: the examples and `make demo`.

Every example validates; the module's and the complete example's `tofu test`
suites pass against the emulator; multi-stream applies one set of resources
per stream (checked with boto3), plans empty and destroys to nothing;
`make demo` prints a live stream URL and `make demo-destroy` leaves the
emulator empty.
"""

import os
import re
import shutil
import subprocess
import sys

import pytest

from harness import REPO

sys.path.insert(0, os.path.join(REPO, "tests", "tools"))
from emulator_inventory import inventory  # noqa: E402

EXAMPLES = os.path.join(REPO, "examples")


def copy_examples(tmp_path):
    dest = tmp_path / "examples"
    shutil.copytree(EXAMPLES, dest, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
    return dest


def emulator_env(emulator):
    return {
        "AWS_ENDPOINT_URL": emulator.url,
        "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "AWS_REGION": "us-east-1",
    }


@pytest.mark.parametrize("example", ["complete", "multi-stream", "modules/live-stream"])
def test_every_example_validates(tofu, workspace_factory, tmp_path, example):
    examples = copy_examples(tmp_path)
    ws = workspace_factory(tofu)
    ws.path = str(examples / example)
    ws.init()
    ws.validate()


def test_module_tofu_test_suite(tofu, workspace_factory, tmp_path):
    examples = copy_examples(tmp_path)
    ws = workspace_factory(tofu)
    ws.path = str(examples / "modules" / "live-stream")
    ws.init()
    r = ws.run("test", "-no-color")
    assert "0 failed" in r.output and "7 passed" in r.output, r.output


def test_complete_tofu_test_suite(tofu, workspace_factory, tmp_path, emulator):
    examples = copy_examples(tmp_path)
    ws = workspace_factory(tofu, env=emulator_env(emulator))
    ws.path = str(examples / "complete")
    ws.init()
    r = ws.run("test", "-no-color")
    assert "0 failed" in r.output and "2 passed" in r.output, r.output
    assert not any(inventory(emulator.url).values()), inventory(emulator.url)


def test_multi_stream_applies_one_set_per_stream(tofu, workspace_factory, tmp_path, emulator):
    examples = copy_examples(tmp_path)
    ws = workspace_factory(tofu, env=emulator_env(emulator))
    ws.path = str(examples / "multi-stream")
    ws.init()
    ws.apply()
    streams = ["backstage", "concert", "keynote"]
    found = inventory(emulator.url)
    assert sorted(found["containers"]) == [f"event-{s}" for s in streams]
    assert len(found["channels"]) == 3
    assert len(found["inputs"]) == 3
    assert len(found["distributions"]) == 3
    assert sorted(found["dashboards"]) == [f"event-{s}-live-streaming" for s in streams]
    # Two push streams have input security groups, the pull stream has none.
    assert len(found["input_security_groups"]) == 2

    outputs = ws.output()
    urls = outputs["live_stream_urls"]["value"]
    assert sorted(urls) == streams
    for url in urls.values():
        assert re.match(r"^https://[a-z0-9]+\.cloudfront\.net/stream/index\.m3u8$", url), url

    code, r = ws.plan_exitcode()
    assert code == 0, r.output
    ws.destroy()
    assert not any(inventory(emulator.url).values()), inventory(emulator.url)


def test_make_demo_prints_url_and_destroy_leaves_nothing(tmp_path):
    env = dict(os.environ, LSMS_DEMO_PORT="4611")
    try:
        up = subprocess.run(["make", "-s", "-C", REPO, "demo"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, timeout=900)
        assert up.returncode == 0, up.stdout
        assert re.search(r'live_stream_url = "https://[a-z0-9]+\.cloudfront\.net/stream/index\.m3u8"',
                         up.stdout), up.stdout
    finally:
        down = subprocess.run(["make", "-s", "-C", REPO, "demo-destroy"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              timeout=900)
    assert down.returncode == 0, down.stdout
    out = subprocess.run(["pgrep", "-f", "lsms_emulator.*4611"], stdout=subprocess.PIPE,
                         text=True).stdout
    assert out.strip() == "", "the demo emulator is still running"
