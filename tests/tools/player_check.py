"""Watches the demo player (lsms_player's page) in headless Chromium: does
the stream play there, or does the page say why not?

    python player_check.py URL [--emulator http://127.0.0.1:PORT]
                           [--expect playing|not-running] [--timeout 120]
                           [--screenshot PATH]

URL is the player's `player_url` (https://<distribution>/player/index.html);
with --emulator it is opened where the emulator's CloudFront edge serves it,
http://<distribution>.localhost:<port>/player/index.html (browsers resolve
*.localhost to 127.0.0.1). The browser is Debian's chromium, driven by
Playwright for Python (its own browser download cannot work here).

--expect playing (the default) passes once the page says "Live" and its
video's currentTime advances by at least 2 s over 3 s of wall time;
--expect not-running once the page shows its "The channel is not running"
message. Prints one JSON document: the state the page reached, its title
and message, the renditions it lists (width, height, bitrate) and the one
playing, the live latency, the video's decoded size, and the seconds from
opening the page to that state. Exit 1 when the state was not reached in
--timeout seconds (the JSON then says what the page showed instead).
Used by `make demo` and the tests.
"""

import argparse
import json
import os
import sys
import time
from contextlib import contextmanager

# The playback suite's browser settings and URL mapping (tests/playback/player.py).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "playback"))
from player import CHROMIUM, CHROMIUM_FLAGS, viewer_url  # noqa: E402


def local_url(player_url, emulator_url):
    """player_url as the emulator's edge serves it to a browser on this machine."""
    return viewer_url(player_url, emulator_url)


@contextmanager
def browser_page(width=1280, height=720):
    """A page of a headless Debian chromium (closed, with the browser, after)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # The page starts muted, so autoplay needs no click.
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=CHROMIUM_FLAGS +
                                    ["--autoplay-policy=no-user-gesture-required"])
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            yield page
        finally:
            browser.close()


def page_report(page):
    """What the page shows: its state, message, renditions and figures."""
    return page.evaluate("""() => {
        const p = window.lsmsPlayer || {};
        const v = document.getElementById('video');
        const items = [...document.querySelectorAll('#renditions li[data-height]')];
        return {
            state: document.body.dataset.state,
            title: document.getElementById('message-title').textContent,
            message: [document.getElementById('message-detail').textContent,
                      document.getElementById('message-hint').textContent].join(' ').trim(),
            renditions: items.map(li => ({width: +li.dataset.width, height: +li.dataset.height,
                                          bitrate: +li.dataset.bitrate})),
            playing_rendition: items.filter(li => li.classList.contains('playing'))
                                    .map(li => `${li.dataset.width}x${li.dataset.height}`)[0] || null,
            latency_s: p.latency,
            current_time_s: v ? v.currentTime : null,
            decoded: v && v.videoWidth ? `${v.videoWidth}x${v.videoHeight}` : null,
            stream_url: p.streamUrl,
            errors: p.errors || [],
        };
    }""")


def watch(page, url, expect="playing", timeout_s=120.0):
    """Opens `url` and waits for `expect`; returns (reached, report)."""
    t0 = time.monotonic()
    page.goto(url, wait_until="load", timeout=timeout_s * 1000)
    reached = False
    deadline = t0 + timeout_s
    while time.monotonic() < deadline and not reached:
        left = max(1.0, deadline - time.monotonic())
        try:
            page.wait_for_function(f"document.body.dataset.state === '{expect}'",
                                   timeout=left * 1000)
        except Exception:
            break
        if expect != "playing":
            reached = True
            break
        # "Live" must mean a moving picture: currentTime advances.
        start = page.evaluate("document.getElementById('video').currentTime")
        time.sleep(3)
        now = page.evaluate("document.getElementById('video').currentTime")
        reached = now - start >= 2.0
    report = page_report(page)
    report["url"] = url
    report["reached"] = expect if reached else None
    report["seconds"] = round(time.monotonic() - t0, 1)
    sizes = ", ".join(f"{r['width']}x{r['height']}" for r in report["renditions"])
    report["summary"] = (f"{report['state']}: renditions {sizes or 'none'}; playing "
                         f"{report['playing_rendition'] or 'none'}; latency "
                         f"{report['latency_s'] or 0:.1f} s")
    return reached, report


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("url")
    ap.add_argument("--emulator")
    ap.add_argument("--expect", default="playing", choices=["playing", "not-running"])
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--screenshot")
    args = ap.parse_args()
    url = local_url(args.url, args.emulator) if args.emulator else args.url
    with browser_page() as page:
        reached, report = watch(page, url, args.expect, args.timeout)
        if args.screenshot:
            page.screenshot(path=args.screenshot)
            report["screenshot"] = args.screenshot
    print(json.dumps(report, indent=1))
    sys.exit(0 if reached else 1)


if __name__ == "__main__":
    main()
