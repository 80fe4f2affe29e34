"""Issue 22: the provider functions, called by the real clients.

provider::lsms::playback_url, push_target, test_card_command and
encoding_profile_renditions in a configuration's outputs: their values are
in the plan (functions are pure: the client calls them while planning, with
no provider configuration and no AWS), and equal what lsms_distribution,
lsms_channel and the ladder say. A bad argument is an error pointing at that
argument.

Every client runs it: OpenTofu 1.12.6, Terraform 1.16.4 and 1.11.4 all call
provider functions (Terraform 1.8+, OpenTofu 1.7+).
"""

import pytest

from harness import PROVIDER_BLOCK

CALLS = """
output "playback" {
  value = provider::lsms::playback_url("https://d111111abcdef8.cloudfront.net/", "/live/index.m3u8")
}
output "playback_plain" {
  value = provider::lsms::playback_url("d111111abcdef8.cloudfront.net", "stream/index")
}
output "obs" {
  value = provider::lsms::push_target("rtmp://198.51.100.10:1935/event/stream")
}
output "rtp" {
  value = provider::lsms::push_target("rtp://198.51.100.20:5000")
}
output "card" {
  value = provider::lsms::test_card_command("rtmp://198.51.100.10:1935/event/stream", "HD-1080p")
}
output "ladder" {
  value = [for r in provider::lsms::encoding_profile_renditions("HD-720p") : "${r.name}@${r.bitrate}"]
}
"""


@pytest.mark.older_clients
@pytest.mark.clients("functions")
def test_functions_in_a_plan_and_their_values(client, workspace_factory):
    ws = workspace_factory(client)
    ws.write("main.tf", PROVIDER_BLOCK + CALLS)
    ws.init()
    plan = ws.plan()
    assert "https://d111111abcdef8.cloudfront.net/live/index.m3u8" in plan.stdout, plan.stdout
    ws.apply()
    out = {k: v["value"] for k, v in ws.output().items()}
    assert out["playback"] == "https://d111111abcdef8.cloudfront.net/live/index.m3u8"
    assert out["playback_plain"] == "https://d111111abcdef8.cloudfront.net/stream/index.m3u8"
    assert out["obs"] == {"protocol": "rtmp", "url": "rtmp://198.51.100.10:1935/event/stream",
                          "server": "rtmp://198.51.100.10:1935/event", "stream_key": "stream",
                          "ffmpeg_format": "flv"}
    assert out["rtp"] == {"protocol": "rtp", "url": "rtp://198.51.100.20:5000", "server": None,
                          "stream_key": None, "ffmpeg_format": "rtp_mpegts"}
    assert out["card"] == (
        "ffmpeg -re -f lavfi -i testsrc2=size=1920x1080:rate=30 "
        "-f lavfi -i sine=frequency=440:sample_rate=48000 "
        "-c:v libx264 -preset veryfast -tune zerolatency -pix_fmt yuv420p -g 60 "
        "-b:v 6000k -maxrate 6000k -bufsize 12000k -c:a aac -b:a 128k -ar 48000 "
        "-f flv rtmp://198.51.100.10:1935/event/stream")
    assert out["ladder"] == ["_512x288@400000", "_640x360@800000", "_768x432@1200000",
                             "_960x540@1800000", "_1280x720@2700000"]


BAD = [
    ('provider::lsms::playback_url("http://d1.cloudfront.net", "stream/index")', "https"),
    ('provider::lsms::playback_url("d1.cloudfront.net", "../secret")', "segment"),
    ('provider::lsms::push_target("udp://198.51.100.10:5000")', "Not a push endpoint"),
    ('provider::lsms::push_target("rtmp://198.51.100.10:1935/onlyapp")', "stream name"),
    ('provider::lsms::test_card_command("rtp://198.51.100.20:5000", "4K")', "not an encoding profile"),
]


@pytest.mark.clients("functions")
@pytest.mark.parametrize("expr,message", BAD, ids=[b[1] for b in BAD])
def test_bad_arguments_are_errors_on_the_argument(client, workspace_factory, expr, message):
    ws = workspace_factory(client)
    ws.write("main.tf", PROVIDER_BLOCK + f'output "x" {{ value = {expr} }}\n')
    ws.init()
    r = ws.plan(check=False)
    assert r.returncode != 0
    text = " ".join(r.output.split())  # the clients wrap long messages
    assert message in text and "Invalid function argument" in text, r.output
    assert not text.endswith(".."), r.output  # the client ends the sentence itself
