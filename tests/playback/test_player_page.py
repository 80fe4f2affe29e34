"""The demo player's page (lsms_player, resources/player/page/index.html)
never shows a blank page: each way a stream can be missing gives its message
(issue 20).

The page, filled in with a configuration as lsms_player writes it, and the
hls.js the provider embeds are served from 127.0.0.1 by a small server that
answers the stream's manifests as each case needs; the suite's headless
Chromium opens the page and must reach the state and message of the case:

- no manifest (404, and 403, S3's answer to CloudFront for a missing key):
  "The channel is not running", no stream there yet;
- the manifest answers 500: "The stream is unreachable", with the status;
- the rendition playlist ends with #EXT-X-ENDLIST: not running, it ended;
- the rendition playlist was last written two minutes ago: not running, it
  stopped, with its age;
- hls.js cannot be loaded: "The player could not start".

No AWS and no video here: the pages of real streams are watched by the
`make demo` and README tests (tests/acceptance) and the playback suite.
"""

import email.utils
import http.server
import json
import os
import subprocess
import threading
import time

import pytest

from player import REPO

PAGE = os.path.join(REPO, "resources", "player", "page", "index.html")
MASTER = (b"#EXTM3U\n#EXT-X-VERSION:3\n"
          b'#EXT-X-STREAM-INF:BANDWIDTH=545600,RESOLUTION=512x288,CODECS="avc1.42c015,mp4a.40.2"\n'
          b"index_512x288.m3u8\n")
MEDIA = (b"#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n#EXT-X-MEDIA-SEQUENCE:7\n"
         b"#EXTINF:4.0,\nindex_512x288_00007.ts\n")


def hlsjs():
    dist = subprocess.run([os.path.join(REPO, "tests", "tools", "hlsjs")], check=True,
                          stdout=subprocess.PIPE, text=True,
                          env=dict(os.environ, HLSJS_VERSION="")).stdout.strip().splitlines()[-1]
    with open(os.path.join(os.path.dirname(dist), "package.json")) as f:
        version = json.load(f)["version"]
    with open(os.path.join(dist, "hls.light.min.js"), "rb") as f:
        return version, f.read()


def page(version):
    """The template filled in as lsms_player fills it (player_page.c)."""
    config = json.dumps({
        "title": "Live stream page-test", "stream_path": "stream/index", "channel_id": "1234567",
        "domain_name": "d111111abcdef8.cloudfront.net", "max_age_seconds": 60,
        "hls_js": f"hls-{version}.light.min.js", "hls_js_version": version,
        "hls_js_licence": "hls.js-LICENSE.txt"}, separators=(",", ":"))
    for c, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        config = config.replace(c, esc)
    with open(PAGE) as f:
        return f.read().replace("{{config}}", config).encode()


class Site(http.server.ThreadingHTTPServer):
    """Answers GET path -> (status, body, extra headers) from `routes`."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Answer)
        self.routes = {}
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        threading.Thread(target=self.serve_forever, daemon=True).start()


class Answer(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the base class's name)
        status, body, headers = self.server.routes.get(self.path.split("?")[0],
                                                       (404, b"not found", {}))
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class written(dict):  # noqa: N801 (used as a header map)
    """A Last-Modified header `seconds_ago` before each answer is sent."""

    def __init__(self, seconds_ago):
        super().__init__()
        self.seconds_ago = seconds_ago

    def items(self):
        stamp = email.utils.formatdate(time.time() - self.seconds_ago, usegmt=True)
        return [("Last-Modified", stamp)]


CASES = {
    # case: (routes of the stream, state, title, words of the message)
    "no-manifest-404": ({}, "not-running", "The channel is not running", "(HTTP 404)"),
    "no-manifest-403": ({"/stream/index.m3u8": (403, b"<Error/>", {})}, "not-running",
                        "The channel is not running", "(HTTP 403)"),
    "origin-error": ({"/stream/index.m3u8": (500, b"<Error/>", {})}, "unreachable",
                     "The stream is unreachable", "could not be read (HTTP 500)"),
    "ended": ({"/stream/index.m3u8": (200, MASTER, written(1)),
               "/stream/index_512x288.m3u8": (200, MEDIA + b"#EXT-X-ENDLIST\n", written(1))},
              "not-running", "The channel is not running", "The stream has ended"),
    "stale": ({"/stream/index.m3u8": (200, MASTER, written(120)),
               "/stream/index_512x288.m3u8": (200, MEDIA, written(120))},
              "not-running", "The channel is not running", "last written 2 min ago"),
}


@pytest.fixture(scope="module")
def site():
    version, js = hlsjs()
    s = Site()
    s.base = {"/player/index.html": (200, page(version), {"Content-Type": "text/html"}),
              f"/player/hls-{version}.light.min.js": (200, js,
                                                      {"Content-Type": "text/javascript"})}
    try:
        yield s
    finally:
        s.shutdown()
        s.server_close()


def watch(browser, site, routes, state):
    site.routes = dict(site.base, **routes)
    p = browser.context.new_page()
    try:
        p.goto(f"{site.url}/player/index.html")
        p.wait_for_function(f"document.body.dataset.state === '{state}'", timeout=20000)
        return p.evaluate("""() => ({
            title: document.getElementById('message-title').textContent,
            message: document.getElementById('message-detail').textContent,
            hint: document.getElementById('message-hint').textContent,
            shown: !document.getElementById('message').hidden,
            status: document.getElementById('status').textContent})""")
    finally:
        p.close()


@pytest.mark.parametrize("case", list(CASES))
def test_the_page_says_why_nothing_plays(browser, site, case):
    routes, state, title, words = CASES[case]
    seen = watch(browser, site, routes, state)
    assert seen["shown"] and seen["title"] == title, seen
    assert words in seen["message"], seen
    if state == "not-running":
        # How to start it, naming the channel.
        assert "aws medialive start-channel --channel-id 1234567" in seen["hint"], seen
        assert seen["status"] == "Not running", seen


def test_a_page_without_its_script_says_so(browser, site):
    seen = watch(browser, site, {f"/player/{k.rsplit('/', 1)[1]}": (404, b"", {})
                                 for k in site.base if k.endswith(".js")}, "unsupported")
    assert seen["title"] == "The player could not start", seen
    assert "did not load" in seen["message"], seen
