"""Issue: lsms_distribution, the CloudFront distribution in front of the container.

Through each real client found (OpenTofu, and Terraform when it is on PATH;
distributions have no name to tell them apart, and each test removes its own
before the next starts) against the emulator, every fact checked
independently with boto3: the distribution as the seed shapes it, no diff on a
second plan, in-place updates with If-Match, drift made behind Terraform's
back, import, a stale ETag re-read and retried once, delete = disable, wait,
delete (retain_on_delete only disables; an already disabled distribution is
not disabled again), the origin secret sensitive and absent from trace logs,
and plan-time validation.
"""

import http.client
import http.server
import re
import threading
import time
from collections import Counter

import pytest
from botocore.exceptions import ClientError

from fixture import Emulator
from harness import PROVIDER_BLOCK, provider_for_emulator

ADDR = "lsms_distribution.cdn"
ORIGIN_HOST = "abc123.data.mediastore.us-east-1.amazonaws.com"
SECRET = "ua-secret-7f3c9e21d4b8a6"
ERROR_CODES = [400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504]


def config(url, body, default_tags=True):
    extra = 'default_tags {\n    tags = { owner = "acc" }\n  }' if default_tags else ""
    return PROVIDER_BLOCK + provider_for_emulator(url, extra) + body


def distribution_hcl(comment="acc live", manifest_ttl=3, segment_ttl=600,
                     tags='{ team = "video" }', extra=""):
    return f"""
resource "lsms_distribution" "cdn" {{
  origin_endpoint      = "https://{ORIGIN_HOST}"
  origin_secret        = "{SECRET}"
  comment              = "{comment}"
  manifest_ttl_seconds = {manifest_ttl}
  segment_ttl_seconds  = {segment_ttl}
  price_class          = "PriceClass_100"
  logging_bucket       = "logs.s3.amazonaws.com"
  logging_prefix       = "cdn/"
  tags                 = {tags}
{extra}
}}
"""


def calls(emulator, before):
    """Counter of "Operation status" for the CloudFront requests since `before`."""
    return Counter(f"{r['operation']} {r['status']}" for r in emulator.request_log()[before:]
                   if r["service"] == "cloudfront")


def cf_ops(emulator, before):
    return [(r["operation"], r["status"]) for r in emulator.request_log()[before:]
            if r["service"] == "cloudfront"]


def no_distributions(cf):
    return cf.list_distributions()["DistributionList"].get("Items", []) == []


def by_pattern(config_):
    return {b["PathPattern"]: b for b in config_["CacheBehaviors"].get("Items", [])}


def test_distribution_lifecycle(client, workspace_factory, emulator, tmp_path):
    cf = emulator.client("cloudfront")
    ws = workspace_factory(client)
    ws.write("main.tf", config(emulator.url, distribution_hcl()))
    ws.init()

    # The secret is sensitive in the plan.
    plan = ws.plan()
    assert "origin_secret" in plan.stdout and "(sensitive value)" in plan.stdout
    assert SECRET not in plan.output

    # Apply with a trace log: the secret appears nowhere in it.
    log_path = str(tmp_path / "trace.log")
    before = len(emulator.request_log())
    t0 = time.monotonic()
    ws.run("apply", "-no-color", "-input=false", "-auto-approve",
           extra_env={"TF_LOG": "trace", "TF_LOG_PATH": log_path})
    apply_s = time.monotonic() - t0
    create_calls = calls(emulator, before)
    with open(log_path, errors="replace") as f:
        trace = f.read()
    assert "CreateDistributionWithTags" in trace  # the provider's debug log is in there
    assert SECRET not in trace

    state = ws.resource_values(ADDR)
    dist_id = state["id"]
    assert state["status"] == "Deployed"
    assert state["hosted_zone_id"] == "Z2FDTNDATAQYW2"
    assert state["live_stream_url"] == f"https://{state['domain_name']}/stream/index.m3u8"
    assert state["tags_all"] == {"owner": "acc", "team": "video"}
    # Create: one CreateDistributionWithTags, then GetDistribution until Deployed.
    assert create_calls["CreateDistributionWithTags 201"] == 1
    assert create_calls["UpdateDistribution 200"] == 0

    got = cf.get_distribution(Id=dist_id)
    dist, etag = got["Distribution"], got["ETag"]
    assert state["etag"] == etag and state["arn"] == dist["ARN"]
    dc = dist["DistributionConfig"]
    origin = dc["Origins"]["Items"][0]
    assert dc["Origins"]["Quantity"] == 1
    assert origin["DomainName"] == ORIGIN_HOST
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    assert origin["CustomHeaders"]["Items"] == [{"HeaderName": "User-Agent", "HeaderValue": SECRET}]
    default = dc["DefaultCacheBehavior"]
    assert default["TargetOriginId"] == origin["Id"]
    assert default["ViewerProtocolPolicy"] == "redirect-to-https"
    assert (default["DefaultTTL"], default["MaxTTL"]) == (600, 600)
    assert set(default["ForwardedValues"]["Headers"]["Items"]) == {
        "Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"}
    manifest = by_pattern(dc)["*.m3u8"]
    assert (manifest["DefaultTTL"], manifest["MaxTTL"]) == (3, 3)
    assert manifest["ViewerProtocolPolicy"] == "redirect-to-https"
    errors = dc["CustomErrorResponses"]["Items"]
    assert sorted(e["ErrorCode"] for e in errors) == ERROR_CODES
    assert {e["ErrorCachingMinTTL"] for e in errors} == {1}
    assert dc["Logging"] == {"Enabled": True, "IncludeCookies": False,
                             "Bucket": "logs.s3.amazonaws.com", "Prefix": "cdn/"}
    assert (dc["PriceClass"], dc["HttpVersion"], dc["IsIPV6Enabled"], dc["Enabled"]) == (
        "PriceClass_100", "http2and3", True, True)
    assert dc["Comment"] == "acc live"
    tags = cf.list_tags_for_resource(Resource=dist["ARN"])["Tags"]["Items"]
    assert {t["Key"]: t["Value"] for t in tags} == {"owner": "acc", "team": "video"}

    # Second plan: nothing to do.
    before = len(emulator.request_log())
    code, r = ws.plan_exitcode()
    assert code == 0, r.output
    read_calls = calls(emulator, before)

    # TTLs, comment and tags change in place, with If-Match.
    v2 = distribution_hcl(comment="acc live v2", manifest_ttl=5, segment_ttl=1200,
                          tags='{ stage = "prod" }')
    ws.write("main.tf", config(emulator.url, v2))
    code, r = ws.plan_exitcode()
    assert code == 2 and "update in-place" in r.stdout and "must be replaced" not in r.stdout
    before = len(emulator.request_log())
    ws.apply()
    update_ops = cf_ops(emulator, before)
    update_calls = calls(emulator, before)
    assert update_calls["UpdateDistribution 200"] == 1
    assert update_calls["CreateDistributionWithTags 201"] == 0
    assert update_calls["UntagResource 204"] == 1 and update_calls["TagResource 204"] == 1
    tags = cf.list_tags_for_resource(Resource=dist["ARN"])["Tags"]["Items"]
    assert {t["Key"]: t["Value"] for t in tags} == {"owner": "acc", "stage": "prod"}
    got = cf.get_distribution(Id=dist_id)
    dc = got["Distribution"]["DistributionConfig"]
    assert got["ETag"] != etag  # a new config version
    assert dc["Comment"] == "acc live v2"
    assert by_pattern(dc)["*.m3u8"]["DefaultTTL"] == 5
    assert dc["DefaultCacheBehavior"]["DefaultTTL"] == 1200
    assert dc["Origins"]["Items"][0]["CustomHeaders"]["Items"][0]["HeaderValue"] == SECRET
    state = ws.resource_values(ADDR)
    assert state["etag"] == got["ETag"] and state["status"] == "Deployed"
    code, r = ws.plan_exitcode()
    assert code == 0, r.output

    # Drift: the comment changed with boto3 shows in the plan and is put back.
    current = cf.get_distribution_config(Id=dist_id)
    current["DistributionConfig"]["Comment"] = "edited by hand"
    cf.update_distribution(Id=dist_id, IfMatch=current["ETag"],
                           DistributionConfig=current["DistributionConfig"])
    code, r = ws.plan_exitcode()
    assert code == 2
    assert re.search(r'comment\s+=\s+"edited by hand" -> "acc live v2"', r.stdout), r.stdout
    ws.apply()
    assert cf.get_distribution(Id=dist_id)["Distribution"]["DistributionConfig"]["Comment"] == \
        "acc live v2"

    # Import into an empty state: the plan is empty.
    ws.reset_state()
    ws.import_(ADDR, dist_id)
    imported = ws.resource_values(ADDR)
    assert imported["origin_secret"] == SECRET
    assert imported["wait_for_deployment"] is True and imported["retain_on_delete"] is False
    code, r = ws.plan_exitcode()
    assert code == 0, r.output

    # A provider-side argument alone (stream_path) changes no AWS object.
    ws.write("main.tf", config(emulator.url, v2.replace(
        "tags ", 'stream_path = "live/main"\n  tags ')))
    before = len(emulator.request_log())
    ws.apply()
    ops = cf_ops(emulator, before)
    assert [op for op, _ in ops] == ["GetDistribution", "ListTagsForResource"], ops
    state = ws.resource_values(ADDR)
    assert state["live_stream_url"] == f"https://{state['domain_name']}/live/main.m3u8"
    assert state["etag"] == cf.get_distribution(Id=dist_id)["ETag"]

    # Destroy: disabled, then deleted with the latest ETag.
    before = len(emulator.request_log())
    t0 = time.monotonic()
    ws.destroy()
    destroy_s = time.monotonic() - t0
    delete_ops = cf_ops(emulator, before)
    assert ("UpdateDistribution", 200) in delete_ops
    assert delete_ops.index(("UpdateDistribution", 200)) < delete_ops.index(
        ("DeleteDistribution", 204))
    assert ("DeleteDistribution", 409) not in delete_ops
    assert no_distributions(cf)
    with pytest.raises(ClientError) as e:
        cf.get_distribution(Id=dist_id)
    assert e.value.response["Error"]["Code"] == "NoSuchDistribution"

    print(f"\nMEASURE [{client[0]}] apply {apply_s:.1f}s destroy {destroy_s:.1f}s")
    print(f"MEASURE [{client[0]}] create calls {dict(create_calls)}")
    print(f"MEASURE [{client[0]}] plan (read) calls {dict(read_calls)}")
    print(f"MEASURE [{client[0]}] update ops {update_ops}")
    print(f"MEASURE [{client[0]}] delete ops {delete_ops}")


def test_deleted_outside_terraform_is_recreated(client, workspace_factory, emulator):
    cf = emulator.client("cloudfront")
    ws = workspace_factory(client)
    ws.write("main.tf", config(emulator.url, f"""
resource "lsms_distribution" "cdn" {{
  origin_endpoint     = "{ORIGIN_HOST}"
  enabled             = false
  wait_for_deployment = false
}}
""", default_tags=False))
    ws.init()
    ws.apply()
    state = ws.resource_values(ADDR)
    dist_id = state["id"]
    # Not waited for: the state holds what CreateDistribution answered.
    assert state["status"] == "InProgress"
    assert state["origin_endpoint"] == ORIGIN_HOST
    code, r = ws.plan_exitcode()
    assert code == 0, r.output

    # Deleted behind Terraform's back (it is disabled already).
    while cf.get_distribution(Id=dist_id)["Distribution"]["Status"] != "Deployed":
        time.sleep(0.2)
    cf.delete_distribution(Id=dist_id, IfMatch=cf.get_distribution(Id=dist_id)["ETag"])
    code, r = ws.plan_exitcode()
    assert code == 2 and "will be created" in r.stdout, r.output

    # Re-created; an already disabled distribution is not disabled again on
    # destroy (hashicorp/terraform-provider-aws#3077): no UpdateDistribution.
    ws.apply()
    before = len(emulator.request_log())
    ws.destroy()
    ops = cf_ops(emulator, before)
    assert not any(op == "UpdateDistribution" for op, _ in ops), ops
    assert ("DeleteDistribution", 204) in ops
    assert no_distributions(cf)


def test_retain_on_delete_only_disables(client, workspace_factory, emulator):
    cf = emulator.client("cloudfront")
    ws = workspace_factory(client)
    ws.write("main.tf", config(emulator.url, f"""
resource "lsms_distribution" "cdn" {{
  origin_endpoint  = "https://{ORIGIN_HOST}/"
  retain_on_delete = true
}}
""", default_tags=False))
    ws.init()
    ws.apply()
    dist_id = ws.resource_values(ADDR)["id"]
    ws.destroy()
    assert ws.resource_values(ADDR) is None
    dist = cf.get_distribution(Id=dist_id)
    assert dist["Distribution"]["DistributionConfig"]["Enabled"] is False
    assert dist["Distribution"]["Status"] == "Deployed"
    cf.delete_distribution(Id=dist_id, IfMatch=dist["ETag"])
    assert no_distributions(cf)


@pytest.fixture
def slow_cloudfront():
    """An emulator of its own whose distributions stay InProgress for 12
    reads: more than the provider's waiter (100 ms, growing by a fifth) makes
    in 1 s, few enough for destroy's wait to end within seconds."""
    emu = Emulator(env={"LSMS_EMULATOR_CF_INPROGRESS_READS": "12"})
    yield emu
    emu.stop()


def test_deploy_timeout_leaves_the_distribution_tracked(client, workspace_factory, slow_cloudfront):
    # With a 1 s create timeout the wait for Deployed gives up: the
    # distribution exists, so the state keeps it (tainted) and destroy
    # removes it; nothing is orphaned.
    emulator = slow_cloudfront
    cf = emulator.client("cloudfront")
    ws = workspace_factory(client)
    ws.write("main.tf", config(emulator.url, f"""
resource "lsms_distribution" "cdn" {{
  origin_endpoint = "{ORIGIN_HOST}"
  timeouts {{
    create = "1s"
  }}
}}
""", default_tags=False))
    ws.init()
    r = ws.apply(check=False)
    assert r.returncode == 1 and "did not deploy" in r.output, r.output
    assert "WaiterTimeout" in r.output
    tracked = ws.resource_values(ADDR)
    assert tracked is not None and tracked["id"]
    assert "tainted" in ws.run("state", "show", "-no-color", ADDR).stdout
    assert cf.get_distribution(Id=tracked["id"])["Distribution"]["Id"] == tracked["id"]
    ws.destroy()
    assert no_distributions(cf)


class _Proxy(http.server.ThreadingHTTPServer):
    """Forwards every request to the emulator. Before the first
    UpdateDistribution it lets `before_update` change the distribution, so
    the provider's If-Match is stale when its request arrives."""

    daemon_threads = True

    def __init__(self, target_port, before_update):
        self.target_port = target_port
        self.before_update = before_update
        self.fired = False
        super().__init__(("127.0.0.1", 0), _ProxyHandler)


class _ProxyHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _forward(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        server = self.server
        if (self.command == "PUT" and re.search(r"/distribution/[^/]+/config$", self.path)
                and not server.fired):
            server.fired = True
            server.before_update()
        conn = http.client.HTTPConnection("127.0.0.1", server.target_port, timeout=60)
        conn.request(self.command, self.path, body=body, headers=dict(self.headers))
        resp = conn.getresponse()
        data = resp.read()
        self.send_response(resp.status)
        for k, v in resp.getheaders():
            if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        conn.close()

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _forward


def test_stale_etag_is_reread_and_retried_once(client, workspace_factory, emulator):
    cf = emulator.client("cloudfront")
    state = {}

    def someone_else_edits():
        current = cf.get_distribution_config(Id=state["id"])
        current["DistributionConfig"]["Comment"] = "edited concurrently"
        cf.update_distribution(Id=state["id"], IfMatch=current["ETag"],
                               DistributionConfig=current["DistributionConfig"])

    proxy = _Proxy(emulator.port, someone_else_edits)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{proxy.server_address[1]}"
        ws = workspace_factory(client)
        body = """
resource "lsms_distribution" "cdn" {{
  origin_endpoint      = "https://{host}/some/path"
  manifest_ttl_seconds = {ttl}
}}
"""
        ws.write("main.tf", config(url, body.format(host=ORIGIN_HOST, ttl=2), default_tags=False))
        ws.init()
        ws.apply()
        state["id"] = ws.resource_values(ADDR)["id"]
        assert cf.get_distribution(Id=state["id"])["Distribution"]["DistributionConfig"][
            "Origins"]["Items"][0]["DomainName"] == ORIGIN_HOST

        ws.write("main.tf", config(url, body.format(host=ORIGIN_HOST, ttl=7), default_tags=False))
        before = len(emulator.request_log())
        ws.apply()
        ops = cf_ops(emulator, before)
        # Ours got 412 (the proxy's edit came between our read and write);
        # the provider read the config again and its second write went through.
        first = ops.index(("UpdateDistribution", 412))
        assert ops[first + 1:first + 3] == [("GetDistributionConfig", 200),
                                            ("UpdateDistribution", 200)], ops
        assert ops.count(("UpdateDistribution", 412)) == 1
        dc = cf.get_distribution(Id=state["id"])["Distribution"]["DistributionConfig"]
        assert by_pattern(dc)["*.m3u8"]["DefaultTTL"] == 7
        # Only what changed was changed: the concurrent edit survives (and
        # shows as drift of comment, null in the configuration).
        assert dc["Comment"] == "edited concurrently"
        code, r = ws.plan_exitcode()
        assert code == 2 and "edited concurrently" in r.stdout
        ws.destroy()
        assert no_distributions(cf)
    finally:
        proxy.shutdown()
        proxy.server_close()


@pytest.mark.parametrize("attrs, attr", [
    ('origin_endpoint = "h.example"\n  price_class = "PriceClass_50"', "price_class"),
    ('origin_endpoint = "h.example"\n  manifest_ttl_seconds = -1', "manifest_ttl_seconds"),
    ('origin_endpoint = "h.example"\n  segment_ttl_seconds = 31536001', "segment_ttl_seconds"),
    ('origin_endpoint = "h.example"\n  error_caching_min_ttl = -5', "error_caching_min_ttl"),
    ('origin_endpoint = "ftp://h.example"', "origin_endpoint"),
    ('origin_endpoint = "not a host!"', "origin_endpoint"),
])
def test_invalid_arguments_fail_at_plan(client, workspace_factory, emulator, attrs, attr):
    ws = workspace_factory(client)
    ws.write("main.tf", config(emulator.url, f"""
resource "lsms_distribution" "cdn" {{
  {attrs}
}}
""", default_tags=False))
    ws.init()
    before = len(emulator.request_log())
    r = ws.plan(check=False)
    assert r.returncode == 1
    # The diagnostic points at the attribute's line in main.tf.
    assert re.search(rf"on main\.tf line \d+, in resource \"lsms_distribution\" \"cdn\":\n"
                     rf"\s*\d+:\s*{attr}\s*=", r.output), r.output
    assert calls(emulator, before) == Counter()
