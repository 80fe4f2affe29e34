"""Issue 20: lsms_player, the stream's demo player written into its origin,
through real OpenTofu and Terraform and the emulator, checked with boto3.

For each origin (an S3 bucket, a MediaStore container): apply -> the origin
holds exactly the page, hls.js (the bytes of the pinned npm package) and its
licence notice under player/, with their Content-Type and Cache-Control, the
page carrying its configuration -> a second plan is empty -> objects changed
and deleted behind the client's back show in the plan (update in place) and
apply writes them back byte for byte -> an argument change rewrites only the
page -> import by the documented id gives an empty plan -> destroy removes
exactly the player's objects: an object of someone else's in the same
folder, and the rest of the origin, stay. Through the emulator's CloudFront
edge, the distribution serves the player's objects and a changed page shows
once its max-age has passed. Also: bad arguments and a bad import id
refused at plan with nothing sent to AWS. With the clients that have them:
the identity ({bucket or container_endpoint, prefix, region, account_id})
and import by identity to an empty plan (OpenTofu 1.12.6, Terraform
1.16.4); `terraform query` finding the players of a bucket by the pages
they wrote, and its generated configuration importing to an empty plan
(Terraform 1.16.4).

Each test runs with each client found; the origins are named after it, as
the clients share one emulator.
"""

import json
import os
import re
import subprocess
import time

import pytest
import requests

from harness import PROVIDER_BLOCK, REPO, provider_for_emulator

# The npm package the provider embeds (its pinned version, not an override).
HLSJS = os.path.dirname(subprocess.run(
    [os.path.join(REPO, "tests", "tools", "hlsjs")], check=True, stdout=subprocess.PIPE,
    text=True, env=dict(os.environ, HLSJS_VERSION="")).stdout.strip().splitlines()[-1])
with open(os.path.join(HLSJS, "package.json")) as f:
    HLSJS_VERSION = json.load(f)["version"]
with open(os.path.join(HLSJS, "dist", "hls.light.min.js"), "rb") as f:
    HLSJS_BYTES = f.read()
with open(os.path.join(HLSJS, "LICENSE"), "rb") as f:
    LICENCE_BYTES = f.read()
HLS_KEY = f"player/hls-{HLSJS_VERSION}.light.min.js"
KEYS = {"player/index.html", HLS_KEY, "player/hls.js-LICENSE.txt"}
DOMAIN = "d111111abcdef8.cloudfront.net"


def page_config(html):
    m = re.search(r'<script id="lsms-player-config" type="application/json">(.*?)</script>',
                  html, re.S)
    assert m, html[:500]
    return json.loads(m.group(1))


class S3Origin:
    """The player in an S3 bucket, read and changed with boto3."""

    kind = "s3"

    def __init__(self, emulator, client):
        self.s3 = emulator.client("s3")
        self.name = f"player-{client}-origin"

    def hcl(self):
        return f"""
resource "lsms_bucket" "origin" {{
  name          = "{self.name}"
  force_destroy = true
}}
"""

    ref = "bucket = lsms_bucket.origin.name"

    def import_id(self, ws):
        return f"s3://{self.name}/player/"

    def keys(self):
        out = self.s3.list_objects_v2(Bucket=self.name)
        return {o["Key"] for o in out.get("Contents", [])}

    def get(self, key):
        r = self.s3.get_object(Bucket=self.name, Key=key)
        return r["Body"].read(), r["ContentType"], r.get("CacheControl"), r["ETag"]

    def put(self, key, body, content_type="text/html", cache_control=None):
        extra = {"CacheControl": cache_control} if cache_control else {}
        self.s3.put_object(Bucket=self.name, Key=key, Body=body, ContentType=content_type,
                           **extra)

    def delete(self, key):
        self.s3.delete_object(Bucket=self.name, Key=key)


class MediaStoreOrigin:
    """The player in a MediaStore container, through its data plane."""

    kind = "mediastore"

    def __init__(self, emulator, client):
        self.emulator = emulator
        self.name = f"player_{client}_origin"
        self._data = None

    def hcl(self):
        return f"""
resource "lsms_container" "origin" {{
  name                = "{self.name}"
  force_destroy       = true
  access_logging      = false
  create_logging_role = false
}}
"""

    ref = "container_endpoint = lsms_container.origin.endpoint"

    @property
    def data(self):
        if self._data is None:
            ms = self.emulator.client("mediastore")
            endpoint = ms.describe_container(ContainerName=self.name)["Container"]["Endpoint"]
            self._data = self.emulator.client("mediastore-data", endpoint_url=endpoint)
            self.endpoint = endpoint
        return self._data

    def import_id(self, ws):
        self.data  # noqa: B018 (learns the endpoint)
        return f"{self.endpoint}#player/"

    def keys(self, folder=""):
        found = set()
        for item in self.data.list_items(Path=folder).get("Items", []):
            path = f"{folder}/{item['Name']}" if folder else item["Name"]
            if item["Type"] == "FOLDER":
                found |= self.keys(path)
            else:
                found.add(path)
        return found

    def get(self, key):
        r = self.data.get_object(Path=key)
        return r["Body"].read(), r["ContentType"], r.get("CacheControl"), r["ETag"]

    def put(self, key, body, content_type="text/html", cache_control=None):
        extra = {"CacheControl": cache_control} if cache_control else {}
        self.data.put_object(Path=key, Body=body, ContentType=content_type, **extra)

    def delete(self, key):
        self.data.delete_object(Path=key)


ORIGINS = {"s3": S3Origin, "mediastore": MediaStoreOrigin}


def player_hcl(origin, extra=""):
    return f"""
resource "lsms_player" "demo" {{
  {origin.ref}
  domain_name = "{DOMAIN}"
  title       = "Concert </script> & <b>more</b>"
  channel_id  = "1234567"
{extra}
}}
"""


def write(ws, emulator, origin, player):
    ws.write("main.tf", PROVIDER_BLOCK + provider_for_emulator(emulator.url) + origin.hcl() +
             player)


def check_objects(origin, title):
    """The origin holds the three objects as lsms_player writes them."""
    assert KEYS <= origin.keys(), origin.keys()
    page, ctype, cache, _ = origin.get("player/index.html")
    assert (ctype, cache) == ("text/html", "max-age=60")
    cfg = page_config(page.decode())
    assert cfg["title"] == title and cfg["stream_path"] == "stream/index", cfg
    assert cfg["channel_id"] == "1234567" and cfg["domain_name"] == DOMAIN, cfg
    assert cfg["hls_js"] == HLS_KEY.split("/")[1] and cfg["hls_js_version"] == HLSJS_VERSION
    if "</script>" in title:
        # The configuration cannot close its script element.
        assert b"</script> &" not in page and b"\\u003c/script\\u003e" in page
    body, ctype, cache, _ = origin.get(HLS_KEY)
    assert body == HLSJS_BYTES and (ctype, cache) == ("text/javascript", "max-age=86400")
    body, ctype, cache, _ = origin.get("player/hls.js-LICENSE.txt")
    assert body == LICENCE_BYTES and (ctype, cache) == ("text/plain", "max-age=60")
    assert b"Apache License" in body


@pytest.mark.parametrize("kind", ["s3", "mediastore"])
def test_player_lifecycle(client, workspace_factory, emulator, kind):
    origin = ORIGINS[kind](emulator, client[0])
    ws = workspace_factory(client)
    title = "Concert </script> & <b>more</b>"
    write(ws, emulator, origin, player_hcl(origin))
    ws.init()
    ws.apply()
    check_objects(origin, title)
    values = ws.resource_values("lsms_player.demo")
    assert values["url"] == f"https://{DOMAIN}/player/index.html"
    assert values["hls_js_version"] == HLSJS_VERSION
    assert set(values["objects"]) == KEYS
    assert values["id"] == origin.import_id(ws)
    code, plan = ws.plan_exitcode()
    assert code == 0, plan.output

    # Someone else's objects: one in the player's folder, one beside it.
    origin.put("player/notes.txt", b"not the player's", "text/plain")
    origin.put("other/keep.txt", b"not the player's either", "text/plain")

    # Drift: the page defaced, hls.js deleted, the licence's headers changed.
    origin.put("player/index.html", b"<h1>defaced</h1>", "text/html", "max-age=60")
    origin.delete(HLS_KEY)
    origin.put("player/hls.js-LICENSE.txt", LICENCE_BYTES, "text/plain", "no-store")
    code, plan = ws.plan_exitcode()
    assert code == 2, plan.output
    assert "update in-place" in plan.output and "must be replaced" not in plan.output, plan.output
    for key in KEYS:
        assert f'"{key}"' in plan.output, (key, plan.output)
    ws.apply()
    check_objects(origin, title)
    code, plan = ws.plan_exitcode()
    assert code == 0, plan.output

    # An argument change rewrites the page only.
    _, _, _, js_etag = origin.get(HLS_KEY)
    before = ws.resource_values("lsms_player.demo")["objects"]
    write(ws, emulator, origin, player_hcl(origin).replace("Concert </script>", "Recital"))
    apply = ws.apply()
    assert "1 changed" in apply.output, apply.output
    check_objects(origin, title.replace("Concert </script>", "Recital"))
    after = ws.resource_values("lsms_player.demo")["objects"]
    assert after[HLS_KEY] == before[HLS_KEY] and origin.get(HLS_KEY)[3] == js_etag
    assert after["player/index.html"]["sha256"] != before["player/index.html"]["sha256"]

    # Import by the documented id: the arguments come back from the page.
    ws.run("state", "rm", "lsms_player.demo")
    ws.import_("lsms_player.demo", origin.import_id(ws))
    code, plan = ws.plan_exitcode()
    assert code == 0, plan.output

    # Destroy the player alone: exactly its objects go.
    ws.destroy("-target=lsms_player.demo")
    assert origin.keys() == {"player/notes.txt", "other/keep.txt"}, origin.keys()
    ws.destroy()


def test_bad_arguments_are_refused_at_plan(client, workspace_factory, emulator):
    ws = workspace_factory(client)
    start = len(emulator.request_log())
    ws.write("main.tf", PROVIDER_BLOCK + provider_for_emulator(emulator.url) + f"""
resource "lsms_player" "both" {{
  bucket             = "live-origin"
  container_endpoint = "https://abc.data.mediastore.us-east-1.amazonaws.com"
  domain_name        = "{DOMAIN}"
}}
resource "lsms_player" "none" {{
  domain_name = "{DOMAIN}"
}}
resource "lsms_player" "overlap" {{
  bucket      = "live-origin"
  domain_name = "{DOMAIN}"
  prefix      = "stream/player/"
}}
resource "lsms_player" "bad_prefix" {{
  bucket      = "live-origin"
  domain_name = "{DOMAIN}"
  prefix      = "player"
}}
""")
    ws.init()
    r = ws.plan(check=False)
    assert r.returncode == 1, r.output
    assert "Conflicting arguments" in r.output and "Missing required argument" in r.output
    assert "The player's prefix overlaps the stream" in r.output, r.output
    assert 'Invalid value for "prefix"' in r.output or "such as player/" in r.output, r.output
    # Only the client's start-up call (GetCallerIdentity) reached AWS.
    assert {e["operation"] for e in emulator.request_log()[start:]} <= {"GetCallerIdentity"}

    ws.write("main.tf", PROVIDER_BLOCK + provider_for_emulator(emulator.url) + f"""
resource "lsms_player" "demo" {{
  bucket      = "live-origin"
  domain_name = "{DOMAIN}"
}}
""")
    for bad in ("live-origin/player/", "s3://live-origin/player", "ftp://x#player/"):
        r = ws.import_("lsms_player.demo", bad, check=False)
        assert r.returncode == 1 and "Invalid import id" in r.output, r.output
    r = ws.import_("lsms_player.demo", "s3://no-such-bucket-here/player/", check=False)
    assert r.returncode == 1, r.output


def test_the_distribution_serves_the_player_and_an_update_shows_within_its_max_age(
        client, workspace_factory, emulator):
    """Through the emulator's CloudFront edge, which reads the bucket through
    the distribution's Origin Access Control: the page, hls.js and the
    licence are served from the distribution's domain with their types and
    Cache-Control; the page is cached, and a changed page is served once its
    max-age has passed (2 s here)."""
    bucket = f"player-{client[0]}-edge"
    ws = workspace_factory(client)
    ws.write("main.tf", PROVIDER_BLOCK + provider_for_emulator(emulator.url) + f"""
variable "title" {{
  type    = string
  default = "First"
}}
resource "lsms_bucket" "origin" {{
  name          = "{bucket}"
  force_destroy = true
}}
resource "lsms_distribution" "cdn" {{
  origin_bucket = lsms_bucket.origin.name
}}
resource "lsms_player" "demo" {{
  bucket          = lsms_bucket.origin.name
  domain_name     = lsms_distribution.cdn.domain_name
  title           = var.title
  max_age_seconds = 2
}}
""")
    ws.init()
    ws.apply()
    try:
        url = ws.resource_values("lsms_player.demo")["url"]
        host = url.split("/")[2] + ".localhost"

        def get(path):
            return requests.get(emulator.url + path, headers={"Host": host}, timeout=10)

        page = get("/player/index.html")
        assert page.status_code == 200, page.text
        assert page.headers["Content-Type"] == "text/html"
        assert page.headers["Cache-Control"] == "max-age=2"
        assert page_config(page.text)["title"] == "First"
        assert get("/player/index.html").headers["X-Cache"] == "Hit from cloudfront"
        js = get("/" + HLS_KEY)
        assert js.status_code == 200 and js.content == HLSJS_BYTES
        assert js.headers["Content-Type"] == "text/javascript"
        assert js.headers["Cache-Control"] == "max-age=86400"
        licence = get("/player/hls.js-LICENSE.txt")
        assert licence.status_code == 200 and licence.content == LICENCE_BYTES

        ws.apply("-var=title=Second")
        assert page_config(get("/player/index.html").text)["title"] == "First"  # cached
        time.sleep(2.5)
        assert page_config(get("/player/index.html").text)["title"] == "Second"
    finally:
        ws.destroy()


def identity_of(ws, address):
    for r in ws.state()["values"]["root_module"]["resources"]:
        if r["address"] == address:
            return r.get("identity")
    raise AssertionError(f"{address} is not in the state")


@pytest.mark.clients("identity")
@pytest.mark.parametrize("kind", ["s3", "mediastore"])
def test_player_identity_and_import_by_identity(client, workspace_factory, emulator, kind):
    """The player's identity is where its objects are ({bucket or
    container_endpoint, prefix, region, account_id}); a fresh state imports
    it with `import { identity = { ... } }` carrying what is required (the
    origin and the prefix) to an empty plan, with the same identity. An
    identity naming both origins, or none, is refused, importing nothing."""
    origin = ORIGINS[kind](emulator, client[0] + "-id")
    config = PROVIDER_BLOCK + provider_for_emulator(emulator.url) + origin.hcl() + \
        player_hcl(origin, '  prefix = "events/keynote/"')
    ws = workspace_factory(client)
    ws.write("main.tf", config)
    ws.init()
    ws.apply()
    try:
        identity = identity_of(ws, "lsms_player.demo")
        where = {"bucket": origin.name} if kind == "s3" else \
            {"container_endpoint": ws.resource_values("lsms_container.origin")["endpoint"]}
        assert identity == {"bucket": None, "container_endpoint": None, **where,
                            "prefix": "events/keynote/", "region": "us-east-1",
                            "account_id": "123456789012"}, identity
        ws.run("state", "rm", "lsms_player.demo")
        given = "\n".join(f"    {k} = {json.dumps(v)}" for k, v in
                          {**where, "prefix": "events/keynote/"}.items())
        ws.write("main.tf", config + f"""
import {{
  to       = lsms_player.demo
  identity = {{
{given}
  }}
}}
""")
        plan = ws.plan()
        assert "1 to import, 0 to add, 0 to change, 0 to destroy" in plan.output, plan.output
        ws.apply()
        code, plan = ws.plan_exitcode()
        assert code == 0, plan.output
        assert identity_of(ws, "lsms_player.demo") == identity

        # Both origins, or none: refused before anything is imported.
        ws.run("state", "rm", "lsms_player.demo")
        for bad, message in (
                ('bucket = "a-bucket", container_endpoint = "https://x", prefix = "p/"',
                 "Conflicting identity attributes"),
                ('prefix = "p/"', "Missing identity attribute")):
            ws.write("main.tf", config + f"""
import {{
  to       = lsms_player.demo
  identity = {{ {bad} }}
}}
""")
            r = ws.plan(check=False)
            assert r.returncode == 1 and message in r.output, r.output
        ws.write("main.tf", config)
        ws.import_("lsms_player.demo", origin.import_id(ws).replace("player/", "events/keynote/"))
    finally:
        ws.destroy()


@pytest.mark.clients("list")
def test_query_finds_the_players_of_a_bucket_and_adopts_them(client, workspace_factory,
                                                             emulator):
    """Players another configuration wrote into a bucket (its state lost):
    `terraform query` over `list "lsms_player"` with the bucket finds exactly
    them, by the pages they wrote (not a page of someone else's, not the
    stream), shows their identities; `-generate-config-out` writes resource
    and import blocks that plan as imports only, and after the apply the
    plan is empty; the objects are left as they were."""
    bucket = f"player-{client[0]}-adopt"
    s3 = emulator.client("s3")
    s3.create_bucket(Bucket=bucket)
    for key, body in (("stream/index.m3u8", b"#EXTM3U\n"), ("other/index.html", b"<h1>hi</h1>"),
                      (".hidden/index.html", b"<h1>hidden</h1>")):
        s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType="text/html")
    writer = workspace_factory(client)
    writer.write("main.tf", PROVIDER_BLOCK + provider_for_emulator(emulator.url) + f"""
resource "lsms_player" "main" {{
  bucket      = "{bucket}"
  domain_name = "{DOMAIN}"
  title       = "Main stage"
}}
resource "lsms_player" "keynote" {{
  bucket          = "{bucket}"
  prefix          = "events/keynote/"
  domain_name     = "{DOMAIN}"
  channel_id      = "1234567"
  max_age_seconds = 5
}}
""")
    writer.init()
    writer.apply()
    before = {o["Key"]: o["ETag"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]}

    ws = workspace_factory(client)
    ws.write("main.tf", PROVIDER_BLOCK + provider_for_emulator(emulator.url))
    ws.write("adopt.tfquery.hcl", f"""
list "lsms_player" "players" {{
  provider = lsms
  config {{
    bucket = "{bucket}"
  }}
}}
""")
    ws.init()
    out = ws.run("query", "-no-color").stdout
    found = sorted(re.findall(r"^list\.lsms_player\.players\s+(\S+)\s", out, re.M))
    assert found == [f"account_id=123456789012,bucket={bucket},container_endpoint=<null>,"
                     f"prefix={p},region=us-east-1" for p in ("events/keynote/", "player/")], out
    ws.run("query", "-no-color", "-generate-config-out=generated.tf")
    with open(os.path.join(ws.path, "generated.tf")) as f:
        generated = f.read()
    assert generated.count("import {") == 2, generated
    plan = ws.plan()
    assert "Plan: 2 to import, 0 to add, 0 to change, 0 to destroy." in plan.stdout, \
        generated + plan.stdout
    ws.apply()
    code, plan = ws.plan_exitcode()
    assert code == 0, f"{generated}\n{plan.stdout}"
    after = {o["Key"]: o["ETag"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]}
    assert after == before
    titles = sorted(v["title"] for v in (ws.resource_values(f"lsms_player.players_{i}")
                                         for i in (0, 1)))
    assert titles == ["Live stream", "Main stage"], titles
    ws.destroy()
    left = {o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]}
    assert left == {"stream/index.m3u8", "other/index.html", ".hidden/index.html"}, left
