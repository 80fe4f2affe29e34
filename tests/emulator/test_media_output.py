"""The media plane's output stage (lsms_emulator.media.output.Uploader) on a
folder written by hand: what it uploads, without ffmpeg or an origin."""

import os
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from lsms_emulator.media.output import Uploader  # noqa: E402

PLAYLIST = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n#EXTINF:4.0,\nindex_a_00001.ts\n"


class Pipeline:
    label = "test"

    def clear_alerts_for_output(self, action):
        pass

    def segment_written(self):
        pass

    def first_output(self):
        pass


def uploader(folder, puts):
    plan = SimpleNamespace(store_settings={}, output_selection="MANIFESTS_AND_SEGMENTS",
                           stream_inf_resolution=True)
    up = Uploader(Pipeline(), str(folder), {"url": "s3ssl://b/stream/index"}, "index",
                  ["index_a.m3u8"], "index.m3u8", plan, credentials=None)
    up._put = lambda name, body, content_type: puts.append((name, body))
    return up


def write(folder, name, data):
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def test_a_playlist_read_while_rewritten_is_not_uploaded(tmp_path):
    """An encoder being stopped leaves its playlist empty for a moment; the
    empty (or cut) read is skipped and the next whole one is uploaded."""
    puts = []
    up = uploader(tmp_path, puts)
    write(tmp_path, "index_a_00001.ts", b"\x47" * 188)
    for partial in (b"", PLAYLIST[:30].encode()):
        write(tmp_path, "index_a.m3u8", partial)
        up.sync_once()
        assert [n for n, _ in puts if n.endswith(".m3u8")] == [], puts
    write(tmp_path, "index_a.m3u8", PLAYLIST.encode())
    write(tmp_path, "index.m3u8", b"")
    up.sync_once()
    assert ("index_a.m3u8", PLAYLIST.encode()) in puts
    assert "index.m3u8" not in [n for n, _ in puts], "an empty master manifest was uploaded"
    master = b"#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,RESOLUTION=2x2\nindex_a.m3u8\n"
    write(tmp_path, "index.m3u8", master)
    up.sync_once()
    assert ("index.m3u8", master) in puts
