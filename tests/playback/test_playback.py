"""The stream plays: real video through the emulated pipeline, watched in a
real browser (issue 19).

Each scenario applies a configuration with channel_start = true against the
emulator, whose media plane encodes the channel's ladder with ffmpeg and
writes it into the origin as MediaLive does, and whose CloudFront edge serves
it at the distribution's domain. Headless Chromium (player.py) opens a page
from another origin that plays `live_stream_url` (as
http://<domain>.localhost:<port>/...) with hls.js. A stream plays when
hls.js lists exactly the profile's renditions at the seed's resolutions
(../shared/reference/encoding-profiles), reports no fatal error, the picture
is the top rendition and currentTime advances at least 4 s over 5 s, and the
live edge advances (player.Playback.check). A screenshot of every player is
kept in build/playback/.

Scenarios, and the proofs they carry:
- complete_s3: examples/complete-s3, HD-720p, URL_PULL of the emulator's
  test card behind basic authentication (pull_user/pull_pass: the password
  goes through SSM and is read with the channel's role); ffprobe of segments
  read back from the bucket against the channel's settings; stop the
  channel (channel_start = false): the live edge stops; start it again: it
  plays. Apply-to-first-frame is recorded.
- complete: examples/complete (MediaStore), HD-1080p; ffprobe of segments
  read back from the container.
- multi_stream: examples/multi-stream, two streams at once on S3, SD-540p:
  one pulls the test card, one is pushed by ffmpeg over RTMP to the endpoint
  the outputs print; with input_cidr moved to 203.0.113.0/24 the same sender
  is refused.
- standard: a STANDARD channel (two pipelines) behind its distribution:
  both pipelines' outputs are present and play.
- misconfigurations: examples/complete-s3, SD-540p; each misconfiguration,
  made with boto3 after apply, must make the check fail with its reason
  (so the suite is known to catch it), then is undone: the distribution's
  statement removed from the bucket policy (403 at the edge), the bucket's
  CORS removed (hls.js manifestLoadError), the role's policy narrowed to
  another prefix (MediaLive alert 6015, the live edge stops), the manifest
  cache behaviour's TTL above the segment length (the live edge freezes).
  Then it plays again.

Every scenario ends with destroy, after which the emulator holds nothing and
no media process (encoder) is left.

Clients: the scenarios are dealt out between the clients found
(harness.deal_out, in the order above; each test's id names its client):
with OpenTofu 1.12.6, Terraform 1.16.4 and Terraform 1.11.4, complete_s3
and misconfigurations play with OpenTofu, complete and standard with
Terraform 1.16.4, and multi_stream, the one scenario of the older clients'
sample (conftest.py in tests/acceptance), with Terraform 1.11.4. Each client
plays at least one whole example and no scenario is repeated per client
(the suite must add less than 10 minutes to `make test` on two cores). The
ladder is encoded once per scenario: each of HD-1080p, HD-720p and SD-540p
plays at least once.
"""

import json
import os
import re
import shutil
import subprocess
import time

import pytest

from harness import PROVIDER_BLOCK, Workspace, deal_out, emulator_env, provider_for_emulator
from emulator_inventory import inventory
from player import PlaybackFailed, ffprobe, viewer_get, viewer_url, wait_until_served

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
PROFILES = os.path.join(REPO, "..", "shared", "reference", "encoding-profiles")
SCENARIOS = ["complete_s3", "complete", "multi_stream", "standard", "misconfigurations"]


# The older clients' sample (tests/acceptance/conftest.py) names
# multi-stream: the one scenario an older client may be dealt.
DEALT = deal_out(SCENARIOS, older_sample=("multi_stream",))


def dealt(scenario):
    """The client that plays `scenario`, as a parameter naming it in the id."""
    return pytest.mark.parametrize("client", [DEALT[scenario]], ids=lambda c: c.name)


def seed_renditions(profile):
    """[(width, height)] of the seed's encoding profile."""
    with open(os.path.join(PROFILES, f"{profile.lower()}.json")) as f:
        doc = json.load(f)
    return [(v["Width"], v["Height"]) for v in doc["VideoDescriptions"]]


def example_workspace(tmp_path, client, tfrc, emulator, example):
    dest = tmp_path / "examples"
    if not dest.exists():
        shutil.copytree(os.path.join(REPO, "examples"), dest,
                        ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
    ws = Workspace(client, str(tmp_path / "ws"), tfrc, env=emulator_env(emulator.url))
    ws.path = str(dest / example)
    ws.init()
    return ws


def card_url(emulator):
    return f"{emulator.url}/_lsms/testcard/index.m3u8"


def protected_testcard(emulator, user, password):
    import urllib.request
    req = urllib.request.Request(emulator.url + "/_lsms/sources", method="POST",
                                 data=json.dumps({"user": user, "password": password}).encode())
    return json.loads(urllib.request.urlopen(req).read())["url"]


def media_status(emulator):
    import urllib.request
    with urllib.request.urlopen(emulator.url + "/_lsms/media/status", timeout=10) as r:
        return json.loads(r.read())


def channel_context(emulator, channel_id):
    """A callable naming the channel's state and SET alerts, for failures."""
    def describe():
        ml = emulator.client("medialive")
        try:
            state = ml.describe_channel(ChannelId=channel_id)["State"]
            alerts = ml.list_alerts(ChannelId=channel_id, StateFilter="SET")["Alerts"]
        except Exception as e:  # the message must not hide the playback failure
            return f"(channel {channel_id}: {e})"
        return f"channel {channel_id} {state}, alerts: " + "; ".join(
            f"{a['AlertType']}: {a['Message']}" for a in alerts)
    return describe


def play(browser, url, renditions, name, context=None, figures=None, started=None):
    """Opens the player once the edge serves `url`, checks it plays, keeps a
    screenshot; returns the Playback (left open)."""
    wait_until_served(url)
    pb = browser.open(url)
    try:
        first = pb.first_frame(context=context)
        if figures is not None and started is not None:
            figures[f"{name}: apply to first frame (s)"] = round(time.monotonic() - started, 1)
            figures[f"{name}: page to first frame (s)"] = round(first, 2)
        pb.check(renditions, context=context)
    finally:
        pb.screenshot(name)
    return pb


def expect_failure(what, run, reason):
    """`run` must raise PlaybackFailed whose message matches `reason`: the
    check catches the misconfiguration, and says why."""
    try:
        seen = run()
    except PlaybackFailed as e:
        assert re.search(reason, str(e)), f"{what}: failed for another reason: {e}"
        return str(e)
    raise AssertionError(f"{what}: the stream still plays; the check did not catch it ({seen})")


def assert_nothing_left(emulator):
    found = {k: v for k, v in inventory(emulator.url).items() if v}
    assert not found, f"left in the emulator after destroy: {found}"
    left = [p for p in media_status(emulator)["processes"] if p["role"].startswith("channel")]
    assert left == [], f"media processes left after destroy: {left}"


def segments_match_settings(emulator, channel_id, read, tmp_path):
    """ffprobe of segments read back from the origin (`read(key) -> bytes`,
    keys relative to the stream's folder): codec, profile, resolution,
    keyframe interval and segment duration equal the channel's settings
    (DescribeChannel), for the lowest and the top rendition."""
    ch = emulator.client("medialive").describe_channel(ChannelId=channel_id)
    enc = ch["EncoderSettings"]
    hls = enc["OutputGroups"][0]["OutputGroupSettings"]["HlsGroupSettings"]
    seg_len = hls["SegmentLength"]
    videos = {v["Name"]: v for v in enc["VideoDescriptions"]}
    outputs = sorted(enc["OutputGroups"][0]["Outputs"],
                     key=lambda o: videos[o["VideoDescriptionName"]]["Width"])
    checked = []
    for out in (outputs[0], outputs[-1]):
        vd = videos[out["VideoDescriptionName"]]
        h264 = vd["CodecSettings"]["H264Settings"]
        mod = out["OutputSettings"]["HlsOutputSettings"]["NameModifier"]
        playlist = read(f"index{mod}.m3u8").decode()
        segs = [line for line in playlist.splitlines() if line and not line.startswith("#")]
        assert len(segs) >= 2, playlist
        path = tmp_path / f"seg{mod}.ts"
        path.write_bytes(read(segs[-2]))
        info = ffprobe(str(path), "-show_streams", "-show_format")
        video = [s for s in info["streams"] if s["codec_type"] == "video"][0]
        profile = {"BASELINE": "Constrained Baseline", "MAIN": "Main", "HIGH": "High"}[h264["Profile"]]
        assert (video["codec_name"], video["profile"], video["width"], video["height"]) == \
            ("h264", profile, vd["Width"], vd["Height"]), (mod, video)
        fps = h264["FramerateNumerator"] / h264["FramerateDenominator"]
        num, den = map(int, video["r_frame_rate"].split("/"))
        assert abs(num / den - fps) < 0.01, (mod, video["r_frame_rate"])
        gop = h264["GopSize"] if h264["GopSizeUnits"] == "SECONDS" else h264["GopSize"] / fps
        frames = ffprobe(str(path), "-select_streams", "v", "-show_entries",
                         "frame=pts_time,key_frame")["frames"]
        keys = [float(f["pts_time"]) for f in frames if f["key_frame"]]
        gaps = [round(b - a, 3) for a, b in zip(keys, keys[1:])]
        assert gaps and all(abs(g - gop) < 0.05 for g in gaps), (mod, keys)
        assert abs(float(info["format"]["duration"]) - seg_len) < 0.25, (mod, info["format"]["duration"])
        checked.append((mod, video["width"], video["height"], video["profile"], gaps[0]))
    return checked


# -- scenarios ---------------------------------------------------------------------


@dealt("complete_s3")
def test_complete_s3(client, tfrc, emulator, browser, figures, tmp_path):
    ws = example_workspace(tmp_path, client, tfrc, emulator, "complete-s3")
    source = protected_testcard(emulator, "viewer", "pull-s3cret")
    name = f"play-s3-{client[0]}"
    args = [f"-var=name={name}", "-var=input_type=URL_PULL", f"-var=pull_url={source}", "-var=pull_user=viewer",
            "-var=pull_pass=pull-s3cret", "-var=encoding_profile=HD-720p", "-var=force_destroy=true"]
    try:
        started = time.monotonic()
        ws.apply(*args, "-var=channel_start=true")
        out = ws.output()
        url = viewer_url(out["live_stream_url"]["value"], emulator.url)
        channel_id = out["medialive_channel_id"]["value"]
        ctx = channel_context(emulator, channel_id)
        pb = play(browser, url, seed_renditions("HD-720p"), "complete-s3-hd720p", ctx, figures, started)
        bucket = out["bucket_name"]["value"]
        s3 = emulator.client("s3")
        checked = segments_match_settings(
            emulator, channel_id,
            lambda key: s3.get_object(Bucket=bucket, Key=f"stream/{key}")["Body"].read(), tmp_path)
        assert [c[1:3] for c in checked] == [(512, 288), (1280, 720)]

        # Stop: the live edge stops advancing.
        ws.apply(*args, "-var=channel_start=false")
        assert emulator.client("medialive").describe_channel(ChannelId=channel_id)["State"] == "IDLE"
        pb.wait_reloads()
        expect_failure("a stopped channel", lambda: pb.check_live_edge(context=ctx), r"live edge did not advance")
        pb.screenshot("complete-s3-stopped")
        pb.close()
        # Start again: it plays (a new run: the playlists start over).
        before = viewer_get(url.replace("index.m3u8", "index_1280x720.m3u8"))[2]
        ws.apply(*args, "-var=channel_start=true")
        _wait_new_run(url.replace("index.m3u8", "index_1280x720.m3u8"), before)
        play(browser, url, seed_renditions("HD-720p"), "complete-s3-restarted", ctx).close()
    finally:
        ws.destroy(*args)
    assert_nothing_left(emulator)


def _wait_new_run(url, before, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, _, body = viewer_get(url)
        if status == 200 and body != before and body.count(b"#EXTINF") >= 2 and \
                b"#EXT-X-MEDIA-SEQUENCE:1\n" in body:
            return
        time.sleep(1)
    raise AssertionError(f"{url}: the restarted channel wrote no new playlist in {timeout} s")


@dealt("complete")
def test_complete(client, tfrc, emulator, browser, figures, tmp_path):
    ws = example_workspace(tmp_path, client, tfrc, emulator, "complete")
    name = f"play-ms-{client[0]}"
    args = [f"-var=name={name}", "-var=input_type=URL_PULL", f"-var=pull_url={card_url(emulator)}", "-var=encoding_profile=HD-1080p",
            "-var=force_destroy=true"]
    try:
        started = time.monotonic()
        ws.apply(*args, "-var=channel_start=true")
        out = ws.output()
        url = viewer_url(out["live_stream_url"]["value"], emulator.url)
        channel_id = out["medialive_channel_id"]["value"]
        ctx = channel_context(emulator, channel_id)
        play(browser, url, seed_renditions("HD-1080p"), "complete-mediastore-hd1080p", ctx, figures,
             started).close()
        endpoint = emulator.client("mediastore").describe_container(ContainerName=name)["Container"]["Endpoint"]
        data = emulator.client("mediastore-data", endpoint_url=endpoint)
        checked = segments_match_settings(
            emulator, channel_id, lambda key: data.get_object(Path=f"stream/{key}")["Body"].read(), tmp_path)
        assert [c[1:3] for c in checked] == [(512, 288), (1920, 1080)]
    finally:
        ws.destroy(*args)
    assert_nothing_left(emulator)


def push(url, seconds=240):
    """ffmpeg pushing a test pattern to an RTMP endpoint."""
    return subprocess.Popen(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
         "-f", "lavfi", "-i", "testsrc=size=960x540:rate=30", "-f", "lavfi", "-i", "sine=frequency=440",
         "-t", str(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "60",
         "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "flv", url],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


@dealt("multi_stream")
def test_multi_stream(client, tfrc, emulator, browser, figures, tmp_path):
    ws = example_workspace(tmp_path, client, tfrc, emulator, "multi-stream")
    prefix = f"play-{client[0]}"

    def streams(cidr):
        return ("-var=streams={"
                f'keynote={{input_type="URL_PULL",encoding_profile="SD-540p",pull_url="{card_url(emulator)}",'
                'channel_start=true},'
                f'concert={{input_type="RTMP_PUSH",encoding_profile="SD-540p",input_cidr=["{cidr}"],'
                'channel_start=true}}')

    args = ["-var=origin=s3", f"-var=prefix={prefix}", "-var=force_destroy=true"]
    sender = None
    try:
        ws.apply(*args, streams("127.0.0.1/32"))
        out = ws.output()["streams"]["value"]
        (endpoint,) = out["concert"]["push_endpoints"]
        assert re.fullmatch(r"rtmp://127\.0\.0\.1:\d+/" + re.escape(f"{prefix}-concert") + "/stream", endpoint), \
            endpoint
        sender = push(endpoint)
        pages = []
        for name in ("keynote", "concert"):
            url = viewer_url(out[name]["live_stream_url"], emulator.url)
            ctx = channel_context(emulator, out[name]["channel_id"])
            wait_until_served(url)
            pages.append((name, browser.open(url), ctx))
        # Both at once: each page plays while the other does.
        for name, pb, ctx in pages:
            pb.first_frame(context=ctx)
        for name, pb, ctx in pages:
            try:
                pb.check(seed_renditions("SD-540p"), context=ctx)
            finally:
                pb.screenshot(f"multi-stream-{name}")
            pb.close()
        sender.kill()
        sender.wait()

        # The same sender outside input_cidr: refused at connect.
        ws.apply(*args, streams("203.0.113.0/24"))
        refused = push(endpoint, seconds=5)
        _, err = refused.communicate(timeout=60)
        assert refused.returncode != 0, "a sender outside input_cidr was not refused"
        endpoints = [e for e in media_status(emulator)["endpoints"] if e["url"] == endpoint]
        assert endpoints and "127.0.0.1" in endpoints[0]["refused"], endpoints
    finally:
        if sender is not None and sender.poll() is None:
            sender.kill()
            sender.wait()
        ws.destroy(*args, streams("203.0.113.0/24"))
    assert_nothing_left(emulator)


@dealt("standard")
def test_standard(client, tfrc, emulator, browser, figures, tmp_path):
    name = f"play-std-{client[0]}"
    ws = Workspace(client, str(tmp_path / "ws"), tfrc)
    ws.write("main.tf", PROVIDER_BLOCK + provider_for_emulator(emulator.url) + f"""
resource "lsms_bucket" "origin" {{
  name_prefix   = "{name}-"
  force_destroy = true
}}

resource "lsms_channel" "live" {{
  name               = "{name}"
  input_type         = "URL_PULL"
  pull_url           = "{card_url(emulator)}"
  encoding_profile   = "SD-540p"
  channel_class      = "STANDARD"
  destination_bucket = lsms_bucket.origin.name
  channel_start      = true
}}

resource "lsms_distribution" "cdn" {{
  origin_bucket = lsms_bucket.origin.name
  comment       = "{name}"
}}

output "url" {{ value = lsms_distribution.cdn.live_stream_url }}
output "channel" {{ value = lsms_channel.live.id }}
""")
    ws.init()
    try:
        ws.apply()
        out = ws.output()
        channel_id = out["channel"]["value"]
        ctx = channel_context(emulator, channel_id)
        ml = emulator.client("medialive")
        ch = ml.describe_channel(ChannelId=channel_id)
        assert ch["ChannelClass"] == "STANDARD" and ch["PipelinesRunningCount"] == 2, ch
        url = viewer_url(out["url"]["value"], emulator.url)
        for pipeline, path in ((0, url), (1, url.replace("/stream/index.m3u8", "/stream/pipeline1/index.m3u8"))):
            play(browser, path, seed_renditions("SD-540p"), f"standard-pipeline{pipeline}", ctx).close()
        running = [c for c in media_status(emulator)["channels"] if c["channel_id"] == channel_id][0]
        assert [p["state"] for p in running["pipelines"]] == ["RUNNING", "RUNNING"]
        assert all(p["segments_written"] > 0 for p in running["pipelines"]), running
    finally:
        ws.destroy()
    assert_nothing_left(emulator)


@dealt("misconfigurations")
def test_misconfigurations(client, tfrc, emulator, browser, figures, tmp_path):
    ws = example_workspace(tmp_path, client, tfrc, emulator, "complete-s3")
    name = f"play-bad-{client[0]}"
    args = [f"-var=name={name}", "-var=input_type=URL_PULL", f"-var=pull_url={card_url(emulator)}", "-var=encoding_profile=SD-540p",
            "-var=force_destroy=true", "-var=channel_start=true"]
    renditions = seed_renditions("SD-540p")
    s3, iam, cf = emulator.client("s3"), emulator.client("iam"), emulator.client("cloudfront")
    try:
        ws.apply(*args)
        out = ws.output()
        url = viewer_url(out["live_stream_url"]["value"], emulator.url)
        bucket = out["bucket_name"]["value"]
        channel_id = out["medialive_channel_id"]["value"]
        ctx = channel_context(emulator, channel_id)
        play(browser, url, renditions, "misconfig-before", ctx).close()

        def fresh_playback():
            pb = browser.open(url)
            try:
                pb.first_frame(timeout=30, context=ctx)
                pb.check(renditions, context=ctx)
                return {k: v for k, v in pb.state().items() if k in ("levelUpdates", "currentLevel", "errors")}
            finally:
                pb.screenshot(f"misconfig-{case}")
                pb.close()

        # 1. The bucket's CORS removed: the player on another site is refused.
        case = "cors"
        cors = s3.get_bucket_cors(Bucket=bucket)["CORSRules"]
        s3.delete_bucket_cors(Bucket=bucket)
        time.sleep(3)  # the manifest's TTL (2 s): the edge asks the origin again
        # A response without Access-Control-Allow-Origin: the browser blocks
        # it and hls.js sees status 0 (manifest or level playlist).
        why = expect_failure("bucket CORS removed", fresh_playback,
                             r"fatal=\{'type': 'networkError', 'details': '(manifest|level)LoadError', "
                             r"'fatal': True, 'status': 0")
        figures["misconfiguration: CORS removed"] = why[:300]
        s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": cors})

        # 2. The distribution's statement removed from the bucket policy: 403 at the edge.
        case = "bucket-policy"
        policy = s3.get_bucket_policy(Bucket=bucket)["Policy"]
        doc = json.loads(policy)
        dist_arn = cf.get_distribution(Id=_distribution_id(cf, out))["Distribution"]["ARN"]
        kept = [st for st in doc["Statement"] if dist_arn not in json.dumps(st)]
        assert len(kept) < len(doc["Statement"]), doc
        if kept:
            s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(dict(doc, Statement=kept)))
        else:
            s3.delete_bucket_policy(Bucket=bucket)
        time.sleep(3)
        why = expect_failure("bucket policy statement removed", fresh_playback, r"status': 403")
        figures["misconfiguration: bucket policy statement removed"] = why[:300]
        s3.put_bucket_policy(Bucket=bucket, Policy=policy)

        # 3. The role's policy narrowed to another prefix: MediaLive cannot write.
        case = "role"
        role = emulator.client("medialive").describe_channel(ChannelId=channel_id)["RoleArn"].rsplit("/", 1)[1]
        (policy_name,) = iam.list_role_policies(RoleName=role)["PolicyNames"]
        role_policy = iam.get_role_policy(RoleName=role, PolicyName=policy_name)["PolicyDocument"]
        role_policy = role_policy if isinstance(role_policy, dict) else json.loads(role_policy)
        narrowed = json.loads(json.dumps(role_policy).replace(f":::{bucket}/stream/", f":::{bucket}/elsewhere/"))
        assert narrowed != role_policy
        iam.put_role_policy(RoleName=role, PolicyName=policy_name, PolicyDocument=json.dumps(narrowed))
        why = expect_failure("role narrowed", fresh_playback, r"live edge did not advance.*Failed to Get HTTP "
                                                            r"Output Token.*AccessDenied")
        figures["misconfiguration: role narrowed"] = why[:400]
        iam.put_role_policy(RoleName=role, PolicyName=policy_name, PolicyDocument=json.dumps(role_policy))

        # 4. The manifest behaviour cached past the segment length (the origin
        # sends no Cache-Control): the live edge freezes.
        case = "manifest-ttl"
        dist_id = _distribution_id(cf, out)
        cfg = cf.get_distribution_config(Id=dist_id)
        config, etag = cfg["DistributionConfig"], cfg["ETag"]
        original = json.loads(json.dumps(config, default=str))
        (manifest,) = [b for b in config["CacheBehaviors"]["Items"] if b["PathPattern"].endswith(".m3u8")]
        manifest.update(MinTTL=30, DefaultTTL=30, MaxTTL=30)
        etag = cf.update_distribution(Id=dist_id, IfMatch=etag, DistributionConfig=config)["ETag"]
        # What the edge cached under the old TTL (2 s) expires; the playlists
        # are then cached for 30 s: seven segments' time.
        time.sleep(3)
        primed = time.monotonic()
        for r in renditions:
            viewer_get(url.replace("index.m3u8", f"index_{r[0]}x{r[1]}.m3u8"))
        why = expect_failure("manifest TTL 30 s", fresh_playback, r"live edge did not advance")
        assert time.monotonic() - primed < 30, "the freeze was not judged within the TTL"
        figures["misconfiguration: manifest TTL above the segment length"] = why[:300]
        cf.update_distribution(Id=dist_id, IfMatch=etag, DistributionConfig=original)
        time.sleep(max(0.0, 31 - (time.monotonic() - primed)))  # the 30 s entries expire

        # Everything undone: it plays again.
        case = "undone"
        fresh_playback()
    finally:
        ws.destroy(*args)
    assert_nothing_left(emulator)


def _distribution_id(cf, out):
    domain = out["live_stream_url"]["value"].split("/")[2]
    (dist,) = [d for d in cf.list_distributions()["DistributionList"].get("Items", [])
               if d["DomainName"] == domain]
    return dist["Id"]
