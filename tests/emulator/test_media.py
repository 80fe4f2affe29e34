"""The MediaLive media plane (lsms_emulator/media), checked with boto3,
ffmpeg and ffprobe against a running emulator.

- plan.py reads the seed's three encoding profiles (what lsms_channel sends)
  rendition by rendition, and refuses a setting it cannot follow with the
  member's path; a started channel with such a setting goes back to IDLE
  with an alert naming it, and no process is left.
- URL_PULL behind basic authentication, the password read from Parameter
  Store with the channel's role: the ladder lands in the bucket as MediaLive
  names it (index_<w>x<h>_<HHMMSS>_NNNNN.ts, media playlists, master
  manifest with BANDWIDTH, RESOLUTION and CODECS), with Content-Type and no
  Cache-Control; ffprobe of a segment read back: H.264 Constrained Baseline
  at the rung's size and frame rate, a keyframe every GOP (2 s), the
  segment as long as SegmentLength, AAC-LC 48 kHz stereo, the PIDs of
  M3u8Settings. StopChannel stops the encoder.
- A role that may not write the prefix: alert 6015 naming AccessDenied;
  once it may write but not delete, old segments stay and alert 6008.
- RTMP push to the input's endpoint from ffmpeg plays into the bucket; a
  sender outside the security group's CIDRs is refused at connect.
- RTP push, INPUT_DEVICE on a STANDARD channel (two pipelines, two
  destinations), a MediaStore container destination.
- An encoder killed from outside: RECOVERING with an alert, then RUNNING
  again once output resumes.

Tests that are not about the ladder encode the 288p rung alone, with 2 s
segments, to keep the suite's CPU small.
"""

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from channels import channel_kwargs, encoder_settings, medialive_role, s3_writer
from fixture import Emulator

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lsms_emulator.media.plan import Unfollowable, channel_plan  # noqa: E402
from lsms_emulator import model  # noqa: E402



EMULATOR = []  # the module's emulator, for wait_for's failure message


@pytest.fixture(scope="module")
def emulator():
    emu = Emulator()
    EMULATOR.append(emu)
    try:
        yield emu
    finally:
        EMULATOR.clear()
        emu.stop()


def status(emulator):
    with urllib.request.urlopen(emulator.url + "/_lsms/media/status", timeout=10) as r:
        return json.loads(r.read())


def channel_processes(emulator, channel_id=None):
    return [p for p in status(emulator)["processes"]
            if p["role"].startswith("channel") and (channel_id is None or channel_id in p["role"])]


def wait_for(what, predicate, timeout=90, interval=0.5, emulator=None):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    context = ""
    if EMULATOR:
        ml = EMULATOR[0].client("medialive")
        context = json.dumps({"media": status(EMULATOR[0]), "alerts": {
            c["Id"]: alerts(ml, c["Id"], None) for c in ml.list_channels()["Channels"]}}, default=str)
    raise AssertionError(f"timed out waiting for {what} (last: {last!r}); {context}")


def alerts(ml, channel_id, state="SET"):
    return ml.list_alerts(ChannelId=channel_id, **({"StateFilter": state} if state else {}))["Alerts"]


def keys(s3, bucket, prefix=""):
    return sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", []))


def wire(channel):
    """A boto3 describe_channel answer in wire form, as plan.py reads it."""
    shape = model.service_model("medialive").shape_for("Channel")
    return model.to_wire(shape, channel)


def small(**extra):
    """HLS group overrides of the cheap tests: 2 s segments, short window."""
    return dict({"SegmentLength": 2, "IndexNSegments": 3, "KeepSegments": 5}, **extra)


def start_and_wait(ml, channel_id, state="RUNNING"):
    ml.start_channel(ChannelId=channel_id)
    return wait_for(f"channel {state}",
                    lambda: ml.describe_channel(ChannelId=channel_id)["State"] == state or None, timeout=60)


def stop_and_delete(emulator, ml, channel_id):
    ml.stop_channel(ChannelId=channel_id)
    wait_for("channel IDLE", lambda: ml.describe_channel(ChannelId=channel_id)["State"] == "IDLE", 60)
    assert channel_processes(emulator, channel_id) == []
    ml.delete_channel(ChannelId=channel_id)


def ffprobe(path, *args):
    out = subprocess.run(["ffprobe", "-v", "error", "-of", "json", *args, path], check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out)


# -- settings ------------------------------------------------------------------


@pytest.mark.parametrize("profile,rungs", [("hd-1080p", 6), ("hd-720p", 5), ("sd-540p", 4)])
def test_seed_profiles_are_followed_rendition_by_rendition(profile, rungs):
    enc = encoder_settings(profile, "destination1")
    channel = {"Id": "1", "ChannelClass": "STANDARD", "EncoderSettings": enc,
               "Destinations": [{"Id": "destination1", "Settings": [{"Url": "s3ssl://b/stream/index"},
                                                                    {"Url": "s3ssl://b/stream/p1/index"}]}],
               "InputAttachments": [{"InputId": "9", "InputAttachmentName": "a"}]}
    plan = channel_plan(wire(channel))
    assert len(plan.renditions) == rungs
    sizes = [(r.width, r.height) for r in plan.renditions]
    assert sizes[0] == (512, 288) and sizes[-1] == {6: (1920, 1080), 5: (1280, 720), 4: (960, 540)}[rungs]
    low = plan.renditions[0]
    assert low.fps == (15, 1) and low.gop_frames == 30 and low.profile == "baseline" and not low.cabac
    assert low.rate_control == "QVBR" and low.max_bitrate == 400000 and low.audio["bitrate"] == 96000
    assert all(r.gop_frames == 60 for r in plan.renditions[1:])
    assert (plan.segment_length, plan.index_n_segments, plan.keep_segments) == (4, 10, 21)
    assert [d["base"] for d in plan.destinations] == ["index", "index"]
    assert plan.destinations[1]["prefix"] == "stream/p1"
    assert low.name_modifier == "_512x288" and low.segment_modifier == "_%H%M%S_"
    assert low.pids == {"pmt": 480, "video": 481, "program": 1, "audio": 492}


@pytest.mark.parametrize("path,value,message", [
    (("VideoDescriptions", 0, "CodecSettings", "H264Settings", "ScanType"), "INTERLACED",
     "/encoderSettings/videoDescriptions/0/codecSettings/h264Settings/scanType"),
    (("VideoDescriptions", 1, "CodecSettings", "H264Settings", "Slices"), 2,
     "/encoderSettings/videoDescriptions/1/codecSettings/h264Settings/slices"),
    (("OutputGroups", 0, "OutputGroupSettings", "HlsGroupSettings", "TsFileMode"), "SINGLE_FILE",
     "/encoderSettings/outputGroups/0/outputGroupSettings/hlsGroupSettings/tsFileMode"),
    (("AudioDescriptions", 0, "CodecSettings", "AacSettings", "Profile"), "HEV2",
     "/encoderSettings/audioDescriptions/0/codecSettings/aacSettings/profile"),
])
def test_a_setting_not_followed_is_refused_with_its_path(path, value, message):
    enc = encoder_settings("sd-540p", "d")
    node = enc
    for p in path[:-1]:
        node = node[p]
    node[path[-1]] = value
    channel = {"Id": "1", "ChannelClass": "SINGLE_PIPELINE", "EncoderSettings": enc,
               "Destinations": [{"Id": "d", "Settings": [{"Url": "s3ssl://b/stream/index"}]}],
               "InputAttachments": [{"InputId": "9"}]}
    with pytest.raises(Unfollowable) as e:
        channel_plan(wire(channel))
    assert e.value.path == message, str(e.value)


def test_a_channel_the_emulator_cannot_follow_does_not_start(emulator):
    ml = emulator.client("medialive")
    inp = ml.create_input(Name="dev-bad", Type="INPUT_DEVICE", InputDevices=[{"Id": "hd-bad"}])["Input"]
    kwargs = channel_kwargs(emulator, "bad", inp["Id"], ["s3ssl://b/stream/index"], outputs=1)
    kwargs["EncoderSettings"]["VideoDescriptions"][0]["CodecSettings"]["H264Settings"]["ScanType"] = "INTERLACED"
    ch = ml.create_channel(**kwargs)["Channel"]
    ml.start_channel(ChannelId=ch["Id"])
    wait_for("IDLE again", lambda: ml.describe_channel(ChannelId=ch["Id"])["State"] == "IDLE", 30)
    (alert,) = alerts(ml, ch["Id"])
    assert "h264Settings/scanType" in alert["Message"] and "INTERLACED" in alert["Message"], alert
    assert ml.describe_channel(ChannelId=ch["Id"])["PipelinesRunningCount"] == 0
    assert channel_processes(emulator, ch["Id"]) == []
    ml.delete_channel(ChannelId=ch["Id"])


# -- URL_PULL into S3, read back ---------------------------------------------------


def test_pull_with_password_writes_the_ladder_as_medialive_names_it(emulator, tmp_path):
    s3, ml, ssm = emulator.client("s3"), emulator.client("medialive"), emulator.client("ssm")
    s3.create_bucket(Bucket="pulled")
    req = urllib.request.Request(emulator.url + "/_lsms/sources", method="POST",
                                 data=json.dumps({"user": "viewer", "password": "s3cret"}).encode())
    source = json.loads(urllib.request.urlopen(req).read())["url"]
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(source)
    assert e.value.code == 401
    ssm.put_parameter(Name="/pull/pass", Value="s3cret", Type="SecureString")
    role = medialive_role(emulator, "ml-pulled", s3_writer("pulled") + [
        {"Effect": "Allow", "Action": "ssm:GetParameter*", "Resource": "arn:aws:ssm:*:*:parameter/pull/*"}])
    inp = ml.create_input(Name="pulled", Type="URL_PULL", Sources=[
        {"Url": source, "Username": "viewer", "PasswordParam": "/pull/pass"}])["Input"]
    ch = ml.create_channel(**channel_kwargs(emulator, "pulled", inp["Id"], ["s3ssl://pulled/stream/index"],
                                            role_arn=role, outputs=2, **small()))["Channel"]
    start_and_wait(ml, ch["Id"])
    found = wait_for("the ladder in the bucket",
                     lambda: (lambda k: k if "stream/index.m3u8" in k and
                              sum(x.endswith(".ts") for x in k) >= 6 else None)(keys(s3, "pulled")))
    assert all(k.startswith("stream/") for k in found)
    segs = [k for k in found if k.endswith(".ts")]
    assert all(re.fullmatch(r"stream/index_(512x288|640x360)_\d{6}_\d{5}\.ts", k) for k in segs), segs
    assert {"stream/index_512x288.m3u8", "stream/index_640x360.m3u8"} <= set(found)

    master = s3.get_object(Bucket="pulled", Key="stream/index.m3u8")
    assert master["ContentType"] == "application/vnd.apple.mpegurl" and "CacheControl" not in master
    text = master["Body"].read().decode()
    infs = re.findall(r"#EXT-X-STREAM-INF:(.*)\n(.*)", text)
    assert [uri for _, uri in infs] == ["index_512x288.m3u8", "index_640x360.m3u8"], text
    for attrs, uri in infs:
        assert re.search(r"BANDWIDTH=\d+", attrs) and re.search(r'CODECS="avc1\.42[0-9a-f]{4},mp4a\.40\.2"', attrs)
        assert f"RESOLUTION={uri[6:-5]}" in attrs, (attrs, uri)
    media = s3.get_object(Bucket="pulled", Key="stream/index_640x360.m3u8")["Body"].read().decode()
    assert "#EXT-X-TARGETDURATION:2" in media and "#EXT-X-ENDLIST" not in media
    assert len(re.findall(r"#EXTINF", media)) <= 3  # IndexNSegments

    seg_key = sorted(k for k in segs if "640x360" in k)[1]  # not the first: a full segment
    seg = s3.get_object(Bucket="pulled", Key=seg_key)
    assert seg["ContentType"] == "video/MP2T" and "CacheControl" not in seg
    path = tmp_path / "seg.ts"
    path.write_bytes(seg["Body"].read())
    info = ffprobe(str(path), "-show_streams", "-show_format", "-show_programs")
    video = [s for s in info["streams"] if s["codec_type"] == "video"][0]
    audio = [s for s in info["streams"] if s["codec_type"] == "audio"][0]
    assert (video["codec_name"], video["profile"], video["width"], video["height"]) == \
        ("h264", "Constrained Baseline", 640, 360)
    assert video["r_frame_rate"] == "30/1" and video["id"] == "0x1e1"  # VideoPid 481
    assert (audio["codec_name"], audio["profile"], audio["sample_rate"], audio["channels"]) == \
        ("aac", "LC", "48000", 2) and audio["id"] == "0x1ec"  # AudioPids 492-498
    assert info["programs"][0]["pmt_pid"] == 480 and info["programs"][0]["program_id"] == 1
    assert abs(float(info["format"]["duration"]) - 2.0) < 0.2
    frames = ffprobe(str(path), "-select_streams", "v", "-show_entries", "frame=pts_time,key_frame")["frames"]
    key_times = [float(f["pts_time"]) for f in frames if f["key_frame"]]
    assert key_times and abs(key_times[0] - float(frames[0]["pts_time"])) < 0.01  # starts on a keyframe
    gaps = [b - a for a, b in zip(key_times, key_times[1:])]
    assert all(abs(g - 2.0) < 0.05 for g in gaps), key_times  # GopSize 2 SECONDS

    run = [c for c in status(emulator)["channels"] if c["channel_id"] == ch["Id"]][0]
    (pipe,) = run["pipelines"]
    assert pipe["media_seconds"] >= 4 and pipe["cpu_seconds"] > 0 and pipe["pid"]
    stop_and_delete(emulator, ml, ch["Id"])
    before = s3.get_object(Bucket="pulled", Key="stream/index_640x360.m3u8")["Body"].read()
    time.sleep(3)
    assert s3.get_object(Bucket="pulled", Key="stream/index_640x360.m3u8")["Body"].read() == before


# -- the role ----------------------------------------------------------------------


def test_a_role_that_may_not_write_gets_medialive_alerts(emulator):
    s3, ml, iam = emulator.client("s3"), emulator.client("medialive"), emulator.client("iam")
    s3.create_bucket(Bucket="narrow")
    role = medialive_role(emulator, "ml-narrow", s3_writer("narrow", prefix="elsewhere"))
    inp = ml.create_input(Name="narrow", Type="INPUT_DEVICE", InputDevices=[{"Id": "hd-narrow"}])["Input"]
    ch = ml.create_channel(**channel_kwargs(emulator, "narrow", inp["Id"], ["s3ssl://narrow/stream/index"],
                                            role_arn=role, outputs=1, **small()))["Channel"]
    start_and_wait(ml, ch["Id"])
    alert = wait_for("alert 6015", lambda: [a for a in alerts(ml, ch["Id"])
                                            if a["AlertType"] == "Failed to Get HTTP Output Token"])[0]
    assert "AccessDenied" in alert["Message"] and "s3ssl://narrow/stream/index_512x288" in alert["Message"], alert
    assert keys(s3, "narrow") == []
    assert ml.describe_channel(ChannelId=ch["Id"])["State"] == "RUNNING"  # MediaLive keeps the channel up

    # May write, may not delete: written, then the old segments stay (6008).
    iam.put_role_policy(RoleName="ml-narrow", PolicyName="medialive", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:PutObject",
                                                "Resource": "arn:aws:s3:::narrow/stream/*"}]}))
    wait_for("writes", lambda: "stream/index.m3u8" in keys(s3, "narrow"), 60)
    wait_for("6015 cleared", lambda: not [a for a in alerts(ml, ch["Id"]) if a["AlertType"].startswith("Failed to Get")])
    alert = wait_for("alert 6008", lambda: [a for a in alerts(ml, ch["Id"])
                                            if a["AlertType"] == "Failed to Delete Output File"], 90)[0]
    assert "AccessDenied" in alert["Message"], alert
    assert len([k for k in keys(s3, "narrow") if k.endswith(".ts")]) > 5  # KeepSegments not honoured
    stop_and_delete(emulator, ml, ch["Id"])


# -- push inputs ---------------------------------------------------------------------


def push(url, seconds, fmt):
    return subprocess.Popen(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
         "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30", "-f", "lavfi", "-i", "sine=frequency=440",
         "-t", str(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-g", "30", "-pix_fmt", "yuv420p",
         "-c:a", "aac", "-f", fmt, url],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def test_rtmp_push_plays_and_a_sender_outside_the_cidrs_is_refused(emulator):
    s3, ml = emulator.client("s3"), emulator.client("medialive")
    s3.create_bucket(Bucket="pushed")
    group = ml.create_input_security_group(WhitelistRules=[{"Cidr": "127.0.0.1/32"}])["SecurityGroup"]
    inp = ml.create_input(Name="pushed", Type="RTMP_PUSH", InputSecurityGroups=[group["Id"]],
                          Destinations=[{"StreamName": "pushed/stream"}])["Input"]
    (url,) = [d["Url"] for d in inp["Destinations"]]
    ch = ml.create_channel(**channel_kwargs(emulator, "pushed", inp["Id"], ["s3ssl://pushed/stream/index"],
                                            outputs=1, **small()))["Channel"]
    start_and_wait(ml, ch["Id"])
    assert keys(s3, "pushed") == []  # nothing until a sender pushes
    sender = push(url, 30, "flv")
    try:
        wait_for("pushed output", lambda: "stream/index.m3u8" in keys(s3, "pushed"), 60)
    finally:
        sender.kill()
        sender.wait()
    # The group now allows only TEST-NET-3: 127.0.0.1 is refused at connect.
    ml.update_input_security_group(InputSecurityGroupId=group["Id"], WhitelistRules=[{"Cidr": "203.0.113.0/24"}])
    refused = push(url, 5, "flv")
    _, err = refused.communicate(timeout=60)
    assert refused.returncode != 0, err
    ep = [e for e in status(emulator)["endpoints"] if e["url"] == url][0]
    assert "127.0.0.1" in ep["refused"]
    stop_and_delete(emulator, ml, ch["Id"])


def test_rtp_push(emulator):
    s3, ml = emulator.client("s3"), emulator.client("medialive")
    s3.create_bucket(Bucket="rtp")
    group = ml.create_input_security_group(WhitelistRules=[{"Cidr": "127.0.0.0/8"}])["SecurityGroup"]
    inp = ml.create_input(Name="rtp", Type="RTP_PUSH", InputSecurityGroups=[group["Id"]])["Input"]
    urls = [d["Url"] for d in inp["Destinations"]]
    ch = ml.create_channel(**channel_kwargs(emulator, "rtp", inp["Id"], ["s3ssl://rtp/stream/index",
                                                                         "s3ssl://rtp/stream/p1/index"],
                                            channel_class="STANDARD", outputs=1, **small()))["Channel"]
    start_and_wait(ml, ch["Id"])
    sender = push(urls[1], 30, "rtp_mpegts")  # pipeline 1's endpoint only
    try:
        wait_for("pipeline 1's output", lambda: "stream/p1/index.m3u8" in keys(s3, "rtp"), 60)
    finally:
        sender.kill()
        sender.wait()
    assert "stream/index.m3u8" not in keys(s3, "rtp")  # pipeline 0 had no input
    stop_and_delete(emulator, ml, ch["Id"])


# -- INPUT_DEVICE, STANDARD, MediaStore -------------------------------------------------


def test_standard_device_channel_writes_both_pipelines_to_mediastore(emulator):
    ml, ms = emulator.client("medialive"), emulator.client("mediastore")
    container = ms.create_container(ContainerName="live")["Container"]
    endpoint = ms.describe_container(ContainerName="live")["Container"]["Endpoint"]
    host = endpoint.split("://", 1)[1]
    role = medialive_role(emulator, "ml-ms", [{"Effect": "Allow", "Action": ["mediastore:PutObject",
                                                                          "mediastore:DeleteObject"],
                                               "Resource": f"{container['ARN']}/*"}])
    inp = ml.create_input(Name="devices", Type="INPUT_DEVICE",
                          InputDevices=[{"Id": "hd-a"}, {"Id": "hd-b"}])["Input"]
    assert inp["InputClass"] == "STANDARD"
    kwargs = channel_kwargs(emulator, "std", inp["Id"], [f"mediastoressl://{host}/stream/index",
                                                         f"mediastoressl://{host}/stream/p1/index"],
                            channel_class="STANDARD", role_arn=role, outputs=1, **small())
    del kwargs["EncoderSettings"]["OutputGroups"][0]["OutputGroupSettings"]["HlsGroupSettings"]["HlsCdnSettings"]
    ch = ml.create_channel(**kwargs)["Channel"]
    start_and_wait(ml, ch["Id"])
    assert ml.describe_channel(ChannelId=ch["Id"])["PipelinesRunningCount"] == 2
    data = emulator.client("mediastore-data", endpoint_url=endpoint)

    def items(path):
        try:
            return {i["Name"]: i for i in data.list_items(Path=path)["Items"]}
        except data.exceptions.ContainerNotFoundException:
            return {}

    both = wait_for("both pipelines' manifests",
                    lambda: (items("stream"), items("stream/p1"))
                    if "index.m3u8" in items("stream") and "index.m3u8" in items("stream/p1") else None, 60)
    assert both[0]["index.m3u8"]["ContentType"] == "application/vnd.apple.mpegurl"
    obj = data.get_object(Path="stream/p1/index_512x288.m3u8")
    assert "CacheControl" not in obj and obj["ContentType"] == "application/vnd.apple.mpegurl"
    stop_and_delete(emulator, ml, ch["Id"])


def test_an_encoder_that_dies_is_reported_and_restarted(emulator):
    s3, ml = emulator.client("s3"), emulator.client("medialive")
    s3.create_bucket(Bucket="dies")
    inp = ml.create_input(Name="dies", Type="INPUT_DEVICE", InputDevices=[{"Id": "hd-dies"}])["Input"]
    ch = ml.create_channel(**channel_kwargs(emulator, "dies", inp["Id"], ["s3ssl://dies/stream/index"],
                                            outputs=1, **small()))["Channel"]
    start_and_wait(ml, ch["Id"])
    wait_for("output", lambda: "stream/index.m3u8" in keys(s3, "dies"), 60)
    (proc,) = channel_processes(emulator, ch["Id"])
    os.kill(proc["pid"], signal.SIGKILL)
    wait_for("RECOVERING", lambda: ml.describe_channel(ChannelId=ch["Id"])["State"] == "RECOVERING", 20, 0.2)
    (alert,) = [a for a in alerts(ml, ch["Id"]) if a["AlertType"] == "Encoder Exited"]
    assert "status -9" in alert["Message"], alert
    wait_for("RUNNING again", lambda: ml.describe_channel(ChannelId=ch["Id"])["State"] == "RUNNING", 60)
    assert not [a for a in alerts(ml, ch["Id"]) if a["AlertType"] == "Encoder Exited"]
    media = s3.get_object(Bucket="dies", Key="stream/index_512x288.m3u8")["Body"].read().decode()
    wait_for("the playlist continued across the restart",
             lambda: "#EXT-X-DISCONTINUITY" in s3.get_object(Bucket="dies", Key="stream/index_512x288.m3u8")
             ["Body"].read().decode(), 30)
    del media
    stop_and_delete(emulator, ml, ch["Id"])
    assert channel_processes(emulator) == []
