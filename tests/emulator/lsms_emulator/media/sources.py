"""The synthetic live source: a test card with a burned-in UTC clock and a tone.

Not an AWS behaviour: a live HLS stream the emulator serves so that tests and
`make demo` have a source to give a URL_PULL input (`pull_url`), and the same
picture for INPUT_DEVICE inputs (an AWS Elemental Link device is simulated by
the card itself).

    GET  /_lsms/testcard/index.m3u8       the open source (1280x720, 30 fps,
                                          2 s segments, AAC 1 kHz tone)
    POST /_lsms/sources                   {"user": u, "password": p} ->
                                          {"url": ".../_lsms/sources/<id>/index.m3u8"},
                                          the same stream behind HTTP basic
                                          authentication (401 without it)

One ffmpeg produces the card into a temporary folder while someone reads it:
it starts on the first request and stops after IDLE_SECONDS without one.
"""

import base64
import json
import os
import secrets
import shutil
import tempfile
import threading
import time

from werkzeug.wrappers import Response

from . import procs

PREFIX = "/_lsms/"
WIDTH, HEIGHT, FPS = 1280, 720, 30
SEGMENT_SECONDS = 2
IDLE_SECONDS = 30
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def card_filters(label):
    """lavfi video and audio source graphs of the card (also used for
    INPUT_DEVICE): a moving test pattern, the UTC time to the second and
    `label`, and a 1 kHz tone."""
    text = []
    if os.path.exists(FONT):
        font = f"fontfile={FONT}:"
        # drawtext's expansion of the wall clock, escaped for the filter graph.
        text.append(f",drawtext={font}text='%{{gmtime\\:%H\\\\\\:%M\\\\\\:%S}} UTC':"
                    "x=(w-tw)/2:y=h-th-60:fontsize=72:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=12")
        text.append(f",drawtext={font}text='{label}':x=(w-tw)/2:y=40:fontsize=40:fontcolor=white:"
                    "box=1:boxcolor=black@0.6:boxborderw=8")
    video = f"testsrc2=size={WIDTH}x{HEIGHT}:rate={FPS}" + "".join(text)
    audio = "sine=frequency=1000:sample_rate=48000"
    return video, audio


class TestCard:
    """The card's ffmpeg and its output folder."""

    def __init__(self):
        self.lock = threading.Lock()
        self.proc = None
        self.dir = None
        self.last_read = 0.0
        self.protected = {}  # id -> (user, password)
        self._reaper = None

    def _start(self):
        self.dir = tempfile.mkdtemp(prefix="lsms-testcard-")
        video, audio = card_filters("lsms emulator test card")
        args = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
                "-f", "lavfi", "-i", video, "-f", "lavfi", "-i", audio,
                "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
                "-g", str(FPS * SEGMENT_SECONDS), "-keyint_min", str(FPS * SEGMENT_SECONDS),
                "-sc_threshold", "0", "-b:v", "2500k", "-maxrate", "2500k", "-bufsize", "5000k",
                "-c:a", "aac", "-b:a", "128k", "-ac", "2",
                "-f", "hls", "-hls_time", str(SEGMENT_SECONDS), "-hls_list_size", "6",
                "-hls_flags", "delete_segments+temp_file", "-hls_delete_threshold", "3",
                os.path.join(self.dir, "index.m3u8")]
        self.proc = procs.spawn(args, "testcard", log=os.path.join(self.dir, "ffmpeg.log"))
        if self._reaper is None:
            self._reaper = threading.Thread(target=self._reap, name="testcard-reaper", daemon=True)
            self._reaper.start()

    def _stop_locked(self):
        if self.proc is not None:
            procs.stop(self.proc)
            self.proc = None
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    def stop(self):
        with self.lock:
            self._stop_locked()

    def _reap(self):
        while True:
            time.sleep(2)
            with self.lock:
                if self.proc is not None and (time.monotonic() - self.last_read > IDLE_SECONDS
                                              or self.proc.poll() is not None):
                    self._stop_locked()

    def path_for(self, name, wait=12.0):
        """The local file of `name` (index.m3u8 or a segment), starting the
        card if needed and, for the playlist, waiting until it lists two
        segments. None when it does not exist."""
        deadline = time.monotonic() + wait
        with self.lock:
            self.last_read = time.monotonic()
            if self.proc is None or self.proc.poll() is not None:
                self._stop_locked()
                self._start()
            folder = self.dir
        path = os.path.join(folder, os.path.basename(name))
        while name == "index.m3u8" and time.monotonic() < deadline:
            try:
                with open(path) as f:
                    if f.read().count("#EXTINF") >= 2:
                        break
            except OSError:
                pass
            time.sleep(0.2)
        return path if os.path.exists(path) else None


CARD = TestCard()


def _unauthorized():
    resp = Response("Unauthorized\n", status=401, content_type="text/plain")
    resp.headers["WWW-Authenticate"] = 'Basic realm="lsms test card"'
    return resp


def _authorized(environ, user, password):
    header = environ.get("HTTP_AUTHORIZATION", "")
    if not header.startswith("Basic "):
        return False
    try:
        given = base64.b64decode(header[6:]).decode()
    except (ValueError, UnicodeDecodeError):
        return False
    return secrets.compare_digest(given, f"{user}:{password}")


def handle(environ, base_url):
    """Serves /_lsms/testcard/... and /_lsms/sources...; None for other paths."""
    path = environ.get("PATH_INFO", "")
    method = environ["REQUEST_METHOD"].upper()
    rest = path[len(PREFIX):]
    if rest == "sources" and method == "POST":
        length = int(environ.get("CONTENT_LENGTH") or 0)
        try:
            doc = json.loads(environ["wsgi.input"].read(length) or b"{}")
            user, password = str(doc["user"]), str(doc["password"])
        except (ValueError, KeyError, TypeError):
            return Response('{"message": "expected {\\"user\\": ..., \\"password\\": ...}"}', status=400,
                            content_type="application/json")
        sid = secrets.token_hex(6)
        CARD.protected[sid] = (user, password)
        url = f"{base_url}/_lsms/sources/{sid}/index.m3u8"
        return Response(json.dumps({"url": url}), status=201, content_type="application/json")
    parts = rest.split("/")
    if parts[0] == "testcard" and len(parts) == 2:
        name = parts[1]
    elif parts[0] == "sources" and len(parts) == 3 and parts[1] in CARD.protected:
        if not _authorized(environ, *CARD.protected[parts[1]]):
            return _unauthorized()
        name = parts[2]
    else:
        return None
    if method not in ("GET", "HEAD") or not (name == "index.m3u8" or name.endswith(".ts")):
        return Response("Not Found\n", status=404, content_type="text/plain")
    local = CARD.path_for(name)
    if local is None:
        return Response("Not Found\n", status=404, content_type="text/plain")
    try:
        with open(local, "rb") as f:
            body = f.read()
    except OSError:
        return Response("Not Found\n", status=404, content_type="text/plain")
    kind = "application/vnd.apple.mpegurl" if name.endswith(".m3u8") else "video/mp2t"
    resp = Response(body if method == "GET" else b"", status=200, content_type=kind)
    resp.headers["Cache-Control"] = "no-cache" if name.endswith(".m3u8") else "max-age=60"
    return resp
