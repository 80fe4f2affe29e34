"""The media figures of `make bench`: encoder CPU per media-second for each
ladder, and the time from `apply` to the first frame in a browser.

- Encoder CPU per media-second: for each seed profile (HD-1080p, HD-720p,
  SD-540p) a channel with those EncoderSettings pulls the emulator's test
  card and runs for MEDIA_SECONDS of output; the pipeline's ffmpeg CPU time
  (user + system, /proc) divided by the media seconds it wrote (the first
  rendition's segment durations), as /_lsms/media/status reports them.
  Reference in the same run: ffmpeg encoding the same ladder (same sizes,
  frame rates and bitrate caps, the same x264 preset) from a recording of
  the card with x264's own defaults for everything else, so the cost of
  following MediaLive's settings (5 reference frames, look-ahead, AQ) shows.
- Apply to first frame: examples/complete-s3 with channel_start = true
  (HD-720p, pull of the test card) applied by OpenTofu; the wall time of
  the apply, then until the first segment is in the bucket, until the edge
  serves the stream with three segments (where hls.js starts), and until
  headless Chromium shows the first frame.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
for sub in ("emulator", "acceptance", "playback"):
    sys.path.insert(0, os.path.join(ROOT, "tests", sub))

PROFILES = ("HD-1080p", "HD-720p", "SD-540p")
MEDIA_SECONDS = float(os.environ.get("BENCH_MEDIA_SECONDS", "40"))


def _status(url):
    with urllib.request.urlopen(url + "/_lsms/media/status", timeout=10) as r:
        return json.loads(r.read())


def _cpu(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def encoder_cpu(emu, profile):
    """(CPU seconds per media second, media seconds measured) of the
    pipeline encoding `profile`."""
    from channels import channel_kwargs, medialive_role, s3_writer

    bucket = f"bench-{profile.lower()}"
    emu.client("s3").create_bucket(Bucket=bucket)
    ml = emu.client("medialive")
    role = medialive_role(emu, f"bench-{profile.lower()}", s3_writer(bucket))
    inp = ml.create_input(Name=bucket, Type="URL_PULL",
                          Sources=[{"Url": emu.url + "/_lsms/testcard/index.m3u8"}])["Input"]
    ch = ml.create_channel(**channel_kwargs(emu, bucket, inp["Id"], [f"s3ssl://{bucket}/stream/index"],
                                            role_arn=role, profile=profile.lower()))["Channel"]
    ml.start_channel(ChannelId=ch["Id"])
    try:
        def pipeline():
            for c in _status(emu.url)["channels"]:
                if c["channel_id"] == ch["Id"]:
                    return c["pipelines"][0]
            return None

        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not (pipeline() or {}).get("media_seconds"):
            time.sleep(1)
        start = pipeline()  # the first segment is out: measure from here
        deadline = time.monotonic() + MEDIA_SECONDS * 4 + 60
        while time.monotonic() < deadline:
            now = pipeline()
            if now["media_seconds"] - start["media_seconds"] >= MEDIA_SECONDS:
                break
            time.sleep(1)
        media = now["media_seconds"] - start["media_seconds"]
        cpu = now["cpu_seconds"] - start["cpu_seconds"]
        return (cpu / media if media else None), media
    finally:
        ml.stop_channel(ChannelId=ch["Id"])
        for _ in range(60):
            if ml.describe_channel(ChannelId=ch["Id"])["State"] == "IDLE":
                break
            time.sleep(0.5)


def reference_cpu(emu, profile, work):
    """CPU seconds per media second of plain ffmpeg on the same ladder."""
    from channels import encoder_settings
    from lsms_emulator.media.ffmpeg import PRESET

    card = os.path.join(work, "card.ts")
    if not os.path.exists(card):
        # 30 s of the card as the emulator serves it (1280x720, 30 fps).
        subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-i",
                        emu.url + "/_lsms/testcard/index.m3u8", "-t", "30", "-c", "copy", card], check=True)
    enc = encoder_settings(profile.lower())
    videos = sorted(enc["VideoDescriptions"], key=lambda v: v["Width"])
    n = len(videos)
    graph = [f"[0:v]split={n}" + "".join(f"[s{i}]" for i in range(n))]
    args = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-i", card]
    maps = []
    for i, v in enumerate(videos):
        h = v["CodecSettings"]["H264Settings"]
        graph.append(f"[s{i}]fps={h['FramerateNumerator']}/{h['FramerateDenominator']},"
                     f"scale={v['Width']}:{v['Height']}[v{i}]")
        maps += ["-map", f"[v{i}]", "-map", "0:a"]
    args += ["-filter_complex", ";".join(graph)] + maps + ["-c:v", "libx264", "-preset", PRESET,
                                                           "-profile:v", "baseline", "-c:a", "aac"]
    for i, v in enumerate(videos):
        cap = v["CodecSettings"]["H264Settings"]["MaxBitrate"]
        args += [f"-maxrate:v:{i}", str(cap), f"-bufsize:v:{i}", str(2 * cap), f"-crf:v:{i}", "22"]
    out = os.path.join(work, "ref")
    os.makedirs(out, exist_ok=True)
    args += ["-f", "hls", "-hls_time", "4", "-var_stream_map",
             " ".join(f"v:{i},a:{i}" for i in range(n)), os.path.join(out, "r%v.m3u8")]
    t = os.times()
    subprocess.run(args, check=True)
    t2 = os.times()
    cpu = (t2.children_user - t.children_user) + (t2.children_system - t.children_system)
    return cpu / 30.0


def apply_to_first_frame(emu, work):
    """{phase: seconds} from the start of `tofu apply` of examples/complete-s3."""
    import shutil
    import harness
    from player import Browser, viewer_url, wait_until_served

    tfrc = harness.install_provider(work)
    client = harness.available_clients()[0]
    examples = os.path.join(work, "examples")
    shutil.rmtree(examples, ignore_errors=True)
    shutil.copytree(os.path.join(ROOT, "examples"), examples,
                    ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
    ws = harness.Workspace(client, os.path.join(examples, "complete-s3"), tfrc,
                           env=harness.emulator_env(emu.url))
    ws.init()
    args = ["-var=name=bench-play", f"-var=pull_url={emu.url}/_lsms/testcard/index.m3u8",
            "-var=encoding_profile=HD-720p", "-var=force_destroy=true", "-var=channel_start=true"]
    dist = subprocess.run([os.path.join(ROOT, "tests", "tools", "hlsjs")], check=True,
                          stdout=subprocess.PIPE, text=True).stdout.strip().splitlines()[-1]
    browser = Browser(dist)
    try:
        t0 = time.monotonic()
        ws.apply(*args)
        applied = time.monotonic() - t0
        out = ws.output()
        bucket = out["bucket_name"]["value"]
        s3 = emu.client("s3")
        while not s3.list_objects_v2(Bucket=bucket, Prefix="stream/").get("KeyCount"):
            time.sleep(0.2)
        first_object = time.monotonic() - t0
        url = viewer_url(out["live_stream_url"]["value"], emu.url)
        wait_until_served(url)
        served = time.monotonic() - t0
        pb = browser.open(url)
        pb.first_frame()
        frame = time.monotonic() - t0
        pb.screenshot("bench-first-frame")
        pb.close()
        return {"apply": applied, "first object in the bucket": first_object,
                "served with 3 segments": served, "first frame": frame}
    finally:
        browser.close()
        ws.destroy(*args)


def media_section():
    """The markdown lines of the report's media section."""
    from fixture import Emulator

    work = tempfile.mkdtemp(prefix="lsms-bench-media-")
    emu = Emulator()
    lines = ["## Media (the emulator's media plane, headless Chromium)", ""]
    try:
        rows = []
        for profile in PROFILES:
            ours, media = encoder_cpu(emu, profile)
            ref = reference_cpu(emu, profile, work)
            rows.append((profile, "%.2f" % ours if ours else "–", "%.0f s" % media, "%.2f" % ref,
                         "%.2f×" % (ours / ref) if ours and ref else "–"))
        lines += ["| ladder | encoder CPU s per media s | measured over | plain ffmpeg, same ladder | ratio |",
                  "|---|---|---|---|---|"]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        lines += ["", "CPU of the pipeline's ffmpeg (decode of the 720p card, scaling, every x264 "
                  "and AAC encoder, HLS muxing), per second of output; plain ffmpeg: the same "
                  "sizes, frame rates, preset and bitrate caps with x264's defaults otherwise, from "
                  "a recording of the card. Above 1 per core available, a ladder cannot run in real "
                  "time.", ""]
        phases = apply_to_first_frame(emu, work)
        lines += ["| examples/complete-s3, HD-720p, OpenTofu | seconds from the start of apply |",
                  "|---|---|"]
        lines += ["| %s | %.1f |" % (k, v) for k, v in phases.items()]
        lines += ["", "hls.js starts three segments (12 s of 4 s segments) behind the live edge, "
                  "so the stream is opened once the edge serves three.", ""]
    finally:
        emu.stop()
        import shutil
        shutil.rmtree(work, ignore_errors=True)
    return lines


if __name__ == "__main__":
    print("\n".join(media_section()))
