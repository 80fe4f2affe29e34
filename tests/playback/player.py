"""Headless Chromium playing a live stream with hls.js, and the checks the
playback suite judges it by.

Debian's chromium (Playwright for Python drives it with
executable_path=/usr/bin/chromium; Playwright's own browser download cannot
work here) opens player.html, served by `PageServer` from 127.0.0.1 on a
port of its own: another origin than the stream's
(d....cloudfront.net.localhost:<emulator port>), so the browser applies CORS
to every manifest and segment as it would for a player on another site.
"""

import functools
import http.server
import os
import re
import shutil
import socketserver
import subprocess
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
ARTIFACTS = os.path.join(REPO, "build", "playback")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class PlaybackFailed(AssertionError):
    pass


def viewer_url(live_stream_url, emulator_url):
    """live_stream_url (https://<domain>/<path>) as the emulator's edge
    serves it: http://<domain>.localhost:<port>/<path> (browsers resolve
    *.localhost to the loopback address)."""
    m = re.fullmatch(r"https://([a-z0-9]+\.cloudfront\.net)(/.*)", live_stream_url)
    assert m, live_stream_url
    port = emulator_url.rsplit(":", 1)[1]
    return f"http://{m.group(1)}.localhost:{port}{m.group(2)}"


def viewer_get(url, headers=None):
    """GET `url` (http://<domain>.localhost:<port>/...) as a viewer: to the
    loopback address, with the Host header naming the distribution (glibc,
    unlike browsers, does not resolve *.localhost). Returns (status,
    headers, body)."""
    import http.client
    from urllib.parse import urlsplit
    parts = urlsplit(url)
    conn = http.client.HTTPConnection("127.0.0.1", parts.port, timeout=15)
    try:
        conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""),
                     headers=dict({"Host": parts.netloc}, **(headers or {})))
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        conn.close()


def wait_until_served(url, timeout=150, segments=3):
    """Seconds until the edge serves the master manifest `url` and its top
    rendition's playlist lists `segments` segments. Before the channel has
    written the master manifest the S3 origin answers 403 (CloudFront's
    Origin Access Control may not list the bucket) and a player gives up at
    once, as a viewer would; and hls.js starts three segments behind the
    live edge (liveSyncDurationCount): the page is opened once the stream
    is there."""
    start = time.monotonic()
    last = None
    while time.monotonic() - start < timeout:
        try:
            status, _headers, body = viewer_get(url)
            last = status
            if status == 200:
                variants = re.findall(r"BANDWIDTH=(\d+)[^\n]*\n([^#\s][^\n]*)", body.decode())
                top = max(variants, key=lambda v: int(v[0]))[1] if variants else None
                if top is None:
                    last = "no variant in the master manifest"
                else:
                    status, _headers, media = viewer_get(url.rsplit("/", 1)[0] + "/" + top)
                    count = media.count(b"#EXTINF") if status == 200 else 0
                    last = f"{top}: {status}, {count} segments"
                    if count >= segments:
                        return time.monotonic() - start
        except OSError as e:
            last = str(e)
        time.sleep(0.5)
    raise PlaybackFailed(f"{url} not served within {timeout} s (last answer: {last})")


class PageServer:
    """Serves player.html and hls.min.js on 127.0.0.1:<free port>."""

    def __init__(self, hlsjs_dist):
        self.root = tempfile.mkdtemp(prefix="lsms-player-")
        shutil.copy(os.path.join(HERE, "player.html"), self.root)
        shutil.copy(os.path.join(hlsjs_dist, "hls.min.js"), self.root)
        handler = functools.partial(_QuietHandler, directory=self.root)
        self.httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        shutil.rmtree(self.root, ignore_errors=True)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Browser:
    """One headless Chromium (fresh profile) for the whole suite."""

    def __init__(self, hlsjs_dist):
        from playwright.sync_api import sync_playwright

        self.pages = PageServer(hlsjs_dist)
        self.profile = tempfile.mkdtemp(prefix="lsms-chromium-")
        self._pw = sync_playwright().start()
        self.context = self._pw.chromium.launch_persistent_context(
            self.profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": 980, "height": 640})
        self.pid = None
        os.makedirs(ARTIFACTS, exist_ok=True)

    def close(self):
        try:
            self.context.close()
        finally:
            self._pw.stop()
            self.pages.close()
            shutil.rmtree(self.profile, ignore_errors=True)

    def open(self, src):
        page = self.context.new_page()
        page.goto(f"{self.pages.url}/player.html?src={src}")
        return Playback(page, src)


class Playback:
    """One page playing one stream."""

    def __init__(self, page, src):
        self.page = page
        self.src = src
        self.opened = time.monotonic()

    def state(self):
        return self.page.evaluate("""() => {
            const v = document.getElementById('video');
            return Object.assign({}, window.lsms, {currentTime: v.currentTime, videoWidth: v.videoWidth,
                                 videoHeight: v.videoHeight, paused: v.paused, readyState: v.readyState,
                                 buffered: v.buffered.length ? v.buffered.end(v.buffered.length - 1) : 0});
        }""")

    def close(self):
        self.page.close()

    def screenshot(self, name):
        path = os.path.join(ARTIFACTS, f"{name}.png")
        self.page.screenshot(path=path)
        return path

    def _fail(self, why, context=None):
        st = self.state()
        extra = context() if context else ""
        raise PlaybackFailed(f"{why} [{self.src}] fatal={st.get('fatal')} errors={st.get('errors')[-5:]} "
                             f"levels={[(l['width'], l['height']) for l in st.get('levels', [])]} "
                             f"video={st.get('videoWidth')}x{st.get('videoHeight')} t={st.get('currentTime')}"
                             f"{' ' + extra if extra else ''}")

    def first_frame(self, timeout=90, context=None):
        """Seconds from opening the page to the first frame played."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            st = self.state()
            if st.get("fatal"):
                self._fail("hls.js reports a fatal error", context)
            if st.get("firstFrameAt") is not None and st.get("currentTime", 0) > 0:
                return (st["firstFrameAt"] - st["loadedAt"]) / 1000.0
            time.sleep(0.25)
        self._fail(f"no frame within {timeout} s", context)

    def check(self, renditions, window=5.0, min_advance=4.0, context=None, live_edge=True):
        """The suite's verdict on a playing stream; raises PlaybackFailed
        with the reason:
        - hls.js lists exactly `renditions` ([(width, height)], any order);
        - no fatal error; the picture moves: currentTime advances at least
          `min_advance` s over `window` s;
        - the picture is the top rendition (videoWidth x videoHeight);
        - the live edge advances: a media playlist reloaded during the check
          lists a newer segment (when `live_edge`)."""
        st = self.state()
        if st.get("fatal"):
            self._fail("hls.js reports a fatal error", context)
        levels = sorted((l["width"], l["height"]) for l in st["levels"])
        if levels != sorted(renditions):
            self._fail(f"hls.js lists {levels}, expected {sorted(renditions)}", context)
        t0, mark = st["currentTime"], time.monotonic()
        sn0 = _max_end_sn(st)
        time.sleep(window)
        st = self.state()
        advanced = st["currentTime"] - t0
        if st.get("fatal"):
            self._fail("hls.js reports a fatal error", context)
        if advanced < min_advance:
            self._fail(f"currentTime advanced {advanced:.2f} s over {time.monotonic() - mark:.1f} s "
                       f"(at least {min_advance} s expected)", context)
        top = max(renditions, key=lambda r: r[0] * r[1])
        if (st["videoWidth"], st["videoHeight"]) != top:
            self._fail(f"the picture is {st['videoWidth']}x{st['videoHeight']}, not the top rendition {top}",
                       context)
        if live_edge:
            self.check_live_edge(context=context, since=sn0)
        return advanced

    def wait_reloads(self, count=2, timeout=None):
        """Waits until hls.js has reloaded a media playlist `count` more times
        (or, for a playlist that ended, stopped reloading). After a channel
        stops, the first reloads still bring the segments written just before
        the stop, and the edge may serve a manifest up to its TTL old: only
        after them is the live edge final, so a check that it no longer
        advances must start from there."""
        st = self.state()
        seen = len(st.get("levelUpdates") or [])
        target = max([u.get("targetduration") or 0 for u in st.get("levelUpdates") or []] or [4])
        deadline = time.monotonic() + (timeout or (count + 1) * target + 4)
        while time.monotonic() < deadline:
            ups = self.state().get("levelUpdates") or []
            if len(ups) >= seen + count or (ups and ups[-1].get("live") is False):
                return
            time.sleep(0.25)

    def check_live_edge(self, context=None, since=None, timeout=None):
        """The live edge advances: the media playlist hls.js reloads lists a
        newer last segment within two target durations (plus slack)."""
        st = self.state()
        start = since if since is not None else _max_end_sn(st)
        target = max([u.get("targetduration") or 0 for u in st["levelUpdates"]] or [4])
        deadline = time.monotonic() + (timeout or 2 * target + 4)
        while time.monotonic() < deadline:
            st = self.state()
            if st.get("fatal"):
                self._fail("hls.js reports a fatal error", context)
            if start is not None and _max_end_sn(st) > start:
                return _max_end_sn(st)
            if start is None:
                start = _max_end_sn(st)
            time.sleep(0.25)
        self._fail(f"the live edge did not advance past segment {start} in {timeout or 2 * target + 4} s",
                   context)


def _max_end_sn(st):
    ups = [u["endSN"] for u in st.get("levelUpdates") or [] if u.get("endSN") is not None]
    return max(ups) if ups else None


def ffprobe(path, *args):
    import json
    out = subprocess.run(["ffprobe", "-v", "error", "-of", "json", *args, path], check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out)
