"""The product as a user meets it: the examples and `make demo`.

Every example validates; the module's and both complete examples' (MediaStore
and S3 origin) test suites pass against the emulator (`tofu test`, and
`terraform test`: Terraform has it since 1.6, as the examples require);
multi-stream applies one set of resources per stream with either origin
(checked with boto3), plans empty and destroys to nothing; no default of an
example or the module names a source the tests cannot reach; `make demo`
(examples/complete-s3) and `make demo ORIGIN=mediastore` (examples/complete)
end on a player URL where the stream plays (the picture moves, the
renditions are the profile's), with the channel stopped the player says so,
and `make demo-destroy` leaves nothing, media processes included.

Every test runs with the newest OpenTofu and Terraform (`make demo
CLIENT=...`); the validation, the module's suite and complete-s3's suite also
with the older Terraform (the client matrix: conftest.py), except the two
demos, which play video and are dealt out to the clients (one origin each).
The streams are named after the client, as all share one emulator.
"""

import json
import os
import re
import shutil
import subprocess
import sys

import pytest
import requests

from harness import REPO, deal_out, emulator_env

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
    assert "0 failed" in r.output and "13 passed" in r.output, r.output


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
    # The three streams are push streams (no default names a pull source):
    # each has its input security group.
    assert len(found["input_security_groups"]) == 3

    outputs = ws.output()
    urls = outputs["live_stream_urls"]["value"]
    assert sorted(urls) == streams
    for url in urls.values():
        assert re.match(r"^https://[a-z0-9]+\.cloudfront\.net/stream/index\.m3u8$", url), url
    players = outputs["player_urls"]["value"]
    assert sorted(players) == streams
    for name, url in players.items():
        assert url == urls[name].replace("/stream/index.m3u8", "/player/index.html"), url
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


# A source: a URL a channel could pull or be fed from.
SOURCE_URL = re.compile(r"^(https?|rtmp|rtmps|rtp|srt|udp)://", re.I)
SEED_DEAD_SOURCE = \
    "https://d15an60oaeed9r.cloudfront.net/live_stream_v2/sports_reel_with_markers.m3u8"


def default_sources(ws):
    """Every source URL the configuration in `ws` uses by default: in the
    defaults of its variables and of its modules' variables (anywhere inside
    a map or object default), and in the pull sources its channels would get
    (the plan's lsms_channel pull_url and pull_url_pipeline1). [(where, url)]."""
    ws.plan("-out=defaults.plan")
    doc = json.loads(ws.run("show", "-json", "defaults.plan").stdout)
    found = []

    def strings(where, value):
        if isinstance(value, str):
            if SOURCE_URL.match(value):
                found.append((where, value))
        elif isinstance(value, dict):
            for k, v in value.items():
                strings(f"{where}.{k}", v)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                strings(f"{where}[{i}]", v)

    def module(where, m):
        for name, var in (m.get("variables") or {}).items():
            if "default" in var:
                strings(f"{where}var.{name}", var["default"])
        for name, call in (m.get("module_calls") or {}).items():
            module(f"{where}module.{name}.", call.get("module") or {})

    module("", doc["configuration"]["root_module"])

    def planned(where, m):
        for r in m.get("resources", []):
            if r["type"] == "lsms_channel":
                for attr in ("pull_url", "pull_url_pipeline1"):
                    strings(f"{r['address']}.{attr}", (r.get("values") or {}).get(attr))
        for child in m.get("child_modules", []):
            planned(where, child)

    planned("", doc["planned_values"]["root_module"])
    return found


def unreachable(sources):
    """The sources among `sources` that do not answer a GET with a success
    (or a redirect) within 10 s: what a channel pulling them would not get."""
    bad = []
    for where, url in sources:
        try:
            ok = url.lower().startswith("http") and \
                requests.get(url, timeout=10, stream=True).status_code < 400
        except requests.RequestException:
            ok = False
        if not ok:
            bad.append((where, url))
    return bad


@pytest.mark.parametrize("example", ["complete", "complete-s3", "multi-stream"])
def test_no_default_names_a_source_that_cannot_be_reached(client, workspace_factory, tmp_path,
                                                          emulator, example):
    """The examples and the module (through them) default to no source the
    tests cannot reach: push inputs, fed by the test card."""
    examples = copy_examples(tmp_path)
    ws = workspace_factory(client, env=emulator_env(emulator.url))
    ws.path = str(examples / example)
    ws.init()
    sources = default_sources(ws)
    assert unreachable(sources) == [], sources


def test_the_source_check_catches_the_seed_default(client, workspace_factory, tmp_path,
                                                   emulator):
    """The check above fails on the misconfiguration it guards against: the
    module's pull_url defaulting to the seed solution's demo source, which no
    longer resolves."""
    examples = copy_examples(tmp_path)
    variables = examples / "modules" / "live-stream" / "variables.tf"
    text = variables.read_text()
    marker = 'HLS source the channel pulls'
    start = text.index(marker)
    default = text.index("default     = null", start)
    variables.write_text(text[:default] + f'default     = "{SEED_DEAD_SOURCE}"' +
                         text[default + len("default     = null"):])
    ws = workspace_factory(client, env=emulator_env(emulator.url))
    ws.path = str(examples / "complete-s3")
    ws.init()
    assert unreachable(default_sources(ws)) == [("module.live.var.pull_url", SEED_DEAD_SOURCE)]


# The seed's HD-720p ladder, top rung first (../shared/reference/encoding-profiles).
HD_720P = [(1280, 720), (960, 540), (768, 432), (640, 360), (512, 288)]
# make demo's two origins, dealt out to the newest clients (harness.deal_out:
# OpenTofu the S3 solution, Terraform 1.16.4 the MediaStore one; the demo is
# not in the older clients' sample; one client: both), so each origin plays
# once.
DEMOS = list((client, origin) for origin, client in deal_out(["s3", "mediastore"]).items())


def run_make(target, env, *args, timeout=900):
    return subprocess.run(["make", "-s", "-C", REPO, target, *args], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=timeout)


def player_check(url, *args):
    """tests/tools/player_check.py on `url`: (reached, its report)."""
    r = subprocess.run([sys.executable, os.path.join(REPO, "tests", "tools", "player_check.py"),
                        url, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       timeout=300)
    return r.returncode == 0, json.loads(r.stdout) if r.stdout.strip() else {"error": r.stderr}


@pytest.mark.parametrize("dealt", DEMOS, ids=[f"{c[0]}-{o}" for c, o in DEMOS])
def test_make_demo_ends_on_a_playing_stream_and_destroy_leaves_nothing(dealt):
    """`make demo` (ORIGIN=s3, the default, and ORIGIN=mediastore) ends on a
    local player URL where the stream plays and a screenshot of it; a fresh
    browser there sees the picture move and the HD-720p renditions. For the
    S3 solution, the channel is then stopped as a user stops it (apply
    channel_start = false) and the page says the channel is not running.
    `make demo-destroy` leaves no resource, no emulator and no media process."""
    client, origin = dealt
    env = dict(os.environ, LSMS_DEMO_PORT="4611", CLIENT=client[1])
    args = [] if origin == "s3" else [f"ORIGIN={origin}"]
    example = "complete-s3" if origin == "s3" else "complete"
    demo = os.path.join(REPO, "build", "demo")
    try:
        up = run_make("demo", env, *args)
        assert up.returncode == 0, up.stdout
        assert f"outputs of examples/{example} by " \
            f"{'OpenTofu' if client.family == 'tofu' else 'Terraform'} v" in up.stdout, up.stdout
        assert re.search(r'live_stream_url = "https://[a-z0-9]+\.cloudfront\.net/stream/index\.m3u8"',
                         up.stdout), up.stdout
        if origin == "s3":
            assert re.search(r'bucket_name = "live-streaming-[0-9a-f]{26}"', up.stdout), up.stdout
            assert "container_endpoint" not in up.stdout, up.stdout
        else:
            assert re.search(r'container_endpoint = "http', up.stdout), up.stdout
        # It pushed what test_card_command printed, and ends on the player.
        command = re.search(r'test_card_command = "(ffmpeg [^"]+)"', up.stdout).group(1)
        assert f"== pushing the test card: {command}\n" in up.stdout, up.stdout
        assert "== the stream plays in the player" in up.stdout, up.stdout
        player = re.search(r"   player:     (http://[a-z0-9]+\.cloudfront\.net\.localhost:4611"
                           r"/player/index\.html)\n", up.stdout)
        shot = re.search(r"   screenshot: (\S+)\n", up.stdout)
        assert player and shot, up.stdout
        with open(shot.group(1), "rb") as f:
            assert f.read(8) == b"\x89PNG\r\n\x1a\n"
        # Kept as an artifact: the S3 one is the README's picture
        # (assets/player.png).
        artifacts = os.path.join(REPO, "build", "artifacts")
        os.makedirs(artifacts, exist_ok=True)
        shutil.copy(shot.group(1), os.path.join(artifacts, f"player-{example}.png"))
        # A second browser, independently: the picture moves, the ladder is
        # the profile's.
        ok, report = player_check(player.group(1), "--timeout", "60")
        assert ok, report
        assert [(r["width"], r["height"]) for r in report["renditions"]] == HD_720P, report
        assert report["playing_rendition"] in {f"{w}x{h}" for w, h in HD_720P}, report
        if origin == "s3":
            ws_env = dict(env, TF_CLI_CONFIG_FILE=os.path.join(demo, "lsms.tfrc"),
                          **emulator_env(open(os.path.join(demo, "emulator", "4611", "url"))
                                         .read().strip()))
            stop = subprocess.run([client[1], "apply", "-no-color", "-auto-approve",
                                   "-var=channel_start=false", "-var=force_destroy=true"],
                                  cwd=os.path.join(demo, "examples", example), env=ws_env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                  timeout=600)
            assert stop.returncode == 0, stop.stdout
            ok, report = player_check(player.group(1), "--expect", "not-running",
                                      "--timeout", "90")
            assert ok, report
            assert report["title"] == "The channel is not running", report
            assert report["message"].startswith("The stream stopped: its playlist was last "
                                                "written"), report
            # And the check that the stream plays fails on it, as it must
            # when the demo ends without a playing stream.
            ok, report = player_check(player.group(1), "--timeout", "10")
            assert not ok and report["reached"] is None and report["state"] == "not-running", \
                report
    finally:
        # demo-destroy tears down what `demo` applied, whatever ORIGIN it is given.
        down = run_make("demo-destroy", env)
    assert down.returncode == 0, down.stdout
    assert "demo: nothing left (no resource in the emulator, no emulator, no media " \
        "process)" in down.stdout, down.stdout
    assert not os.path.exists(os.path.join(demo, "test-card.pid"))
    # Neither the demo's emulator nor its test card (the command names the
    # push endpoint's port) is running.
    push = command.rsplit(" ", 1)[1]
    out = subprocess.run(["pgrep", "-af", f"lsms_emulator.*4611|{re.escape(push)}"],
                         stdout=subprocess.PIPE, text=True).stdout
    assert out.strip() == "", f"left running: {out}"
