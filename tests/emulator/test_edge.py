"""The CloudFront edge (lsms_emulator/edge.py) with an S3 origin read through
its Origin Access Control. Everything is set up with boto3 as a user would
(bucket, objects, OAC, distribution, bucket policy) and fetched with
`requests` through the edge: the emulator's own port with the distribution's
domain (or that domain + .localhost) as Host. README "5. The CloudFront
edge" gives each rule's source."""

import datetime
import json
import time
from email.utils import format_datetime

import pytest
import requests

from fixture import emulator  # noqa: F401  (pytest fixture)
from lsms_emulator import edge  # the TTL rules, checked without waiting

CORS_HEADERS = ("Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers")


def unique(prefix):
    return f"{prefix}-{time.monotonic_ns()}"


def behaviour(origin_id="bucket", pattern=None, ttl=(0, 86400, 31536000), headers=CORS_HEADERS,
              methods=("GET", "HEAD", "OPTIONS"), cached=("GET", "HEAD"), **extra):
    """A cache behaviour with the legacy settings, as the provider writes them."""
    b = {"TargetOriginId": origin_id, "ViewerProtocolPolicy": "redirect-to-https",
         "AllowedMethods": {"Quantity": len(methods), "Items": list(methods),
                            "CachedMethods": {"Quantity": len(cached), "Items": list(cached)}},
         "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"},
                             "Headers": {"Quantity": len(headers), "Items": list(headers)}},
         "MinTTL": ttl[0], "DefaultTTL": ttl[1], "MaxTTL": ttl[2]}
    if pattern:
        b["PathPattern"] = pattern
    b.update(extra)
    return b


def s3_origin(bucket, oac_id, path="", origin_id="bucket"):
    return {"Id": origin_id, "DomainName": f"{bucket}.s3.us-east-1.amazonaws.com",
            "OriginPath": path, "S3OriginConfig": {"OriginAccessIdentity": ""},
            "OriginAccessControlId": oac_id}


def create_distribution(cf, origins, default, behaviours=(), errors=(), root="", enabled=True):
    config = {"CallerReference": unique("edge"), "Comment": "edge", "Enabled": enabled,
              "DefaultRootObject": root,
              "Origins": {"Quantity": len(origins), "Items": list(origins)},
              "DefaultCacheBehavior": default,
              "CacheBehaviors": {"Quantity": len(behaviours), "Items": list(behaviours)},
              "CustomErrorResponses": {"Quantity": len(errors), "Items": list(errors)}}
    return cf.create_distribution(DistributionConfig=config)["Distribution"]


def create_oac(cf, kind="s3"):
    return cf.create_origin_access_control(OriginAccessControlConfig={
        "Name": unique("oac"), "SigningProtocol": "sigv4", "SigningBehavior": "always",
        "OriginAccessControlOriginType": kind})["OriginAccessControl"]["Id"]


def oac_statement(bucket, dist_arn, actions=("s3:GetObject",), resource=None):
    """The statement AWS documents for an OAC (private-content-restricting-
    access-to-s3.html), which lsms_distribution writes."""
    return {"Sid": unique("s").replace("-", ""), "Effect": "Allow",
            "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": list(actions),
            "Resource": resource or f"arn:aws:s3:::{bucket}/*",
            "Condition": {"StringEquals": {"AWS:SourceArn": dist_arn}}}


def put_policy(s3, bucket, *statements):
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(
        {"Version": "2012-10-17", "Statement": list(statements)}))


class Viewer:
    """GETs through the edge with the distribution's domain as Host."""

    def __init__(self, emulator, domain, suffix=".localhost"):
        self.url, self.host = emulator.url, domain + suffix

    def request(self, method, path, headers=None):
        return requests.request(method, self.url + path,
                                headers=dict({"Host": self.host}, **(headers or {})), timeout=10)

    def get(self, path, headers=None):
        return self.request("GET", path, headers)


class Site:
    """One bucket and distribution shaped like examples/complete-s3's."""


@pytest.fixture(scope="module")
def site(emulator):  # noqa: F811
    s = Site()
    s.s3, s.cf = emulator.client("s3"), emulator.client("cloudfront")
    s.bucket = unique("edge-site")
    s.s3.create_bucket(Bucket=s.bucket)
    s.s3.put_bucket_cors(Bucket=s.bucket, CORSConfiguration={"CORSRules": [
        {"AllowedOrigins": ["*"], "AllowedMethods": ["GET", "HEAD"], "AllowedHeaders": ["*"],
         "MaxAgeSeconds": 3000}]})
    s.oac = create_oac(s.cf)
    s.dist = create_distribution(
        s.cf, [s3_origin(s.bucket, s.oac)], behaviour(ttl=(0, 60, 60)), [
            behaviour(pattern="*.m3u8", ttl=(0, 1, 1)),
            behaviour(pattern="min/*", ttl=(30, 30, 60)),
            behaviour(pattern="cap/*", ttl=(0, 60, 1)),
            behaviour(pattern="noorigin/*", headers=()),
            behaviour(pattern="options/*", cached=("GET", "HEAD", "OPTIONS")),
            behaviour(pattern="readonly/*", methods=("GET", "HEAD"), cached=("GET", "HEAD")),
        ],
        errors=[{"ErrorCode": 404, "ErrorCachingMinTTL": 1},
                {"ErrorCode": 403, "ErrorCachingMinTTL": 1}],
        root="index.html")
    put_policy(s.s3, s.bucket, oac_statement(s.bucket, s.dist["ARN"]))
    s.viewer = Viewer(emulator, s.dist["DomainName"])
    s.put = lambda key, body, **kw: s.s3.put_object(Bucket=s.bucket, Key=key, Body=body, **kw)
    return s


def edge_lines(emulator, since):  # noqa: F811
    return [r for r in emulator.request_log()[since:] if r["service"] == "cloudfront-edge"]


# -- caching ------------------------------------------------------------------


def test_miss_then_hits_with_growing_age(site, emulator):  # noqa: F811
    site.put("stream/seg1.ts", b"segment-1", ContentType="video/MP2T")
    mark = len(emulator.request_log())
    first = site.viewer.get("/stream/seg1.ts")
    assert first.status_code == 200 and first.content == b"segment-1"
    assert first.headers["X-Cache"] == "Miss from cloudfront" and "Age" not in first.headers
    assert first.headers["Content-Type"] == "video/MP2T"
    assert first.headers["Via"].endswith(".cloudfront.net (CloudFront)")
    assert first.headers["X-Amz-Cf-Id"] and first.headers["X-Amz-Cf-Pop"]
    second = site.viewer.get("/stream/seg1.ts")
    assert second.headers["X-Cache"] == "Hit from cloudfront" and second.headers["Age"] == "0"
    time.sleep(1.05)
    third = site.viewer.get("/stream/seg1.ts")
    assert third.headers["X-Cache"] == "Hit from cloudfront" and int(third.headers["Age"]) >= 1
    lines = edge_lines(emulator, mark)
    assert [(r["result"], r["distribution"], r["path"]) for r in lines] == \
        [(x, site.dist["Id"], "/stream/seg1.ts") for x in ("Miss", "Hit", "Hit")]
    assert lines[0]["origin"] == {"service": "s3", "operation": "GetObject", "status": 200}
    assert lines[1]["origin"] is None and lines[2]["age"] >= 1


def test_every_host_form_reaches_the_distribution(site, emulator):  # noqa: F811
    site.put("forms.ts", b"x")
    port = emulator.url.rsplit(":", 1)[1]
    for suffix in ("", ".localhost", f".localhost:{port}", f":{port}"):
        r = Viewer(emulator, site.dist["DomainName"], suffix).get("/forms.ts")
        assert r.status_code == 200 and r.content == b"x", (suffix, r.text)


def test_manifest_ttl_longer_than_nothing_freezes_the_manifest(site):
    """*.m3u8 cached for its behaviour's DefaultTTL (1 s) when the origin
    sends no Cache-Control: a newer manifest is not seen until then."""
    site.put("stream/index.m3u8", b"#EXTM3U\n#1\n")
    assert site.viewer.get("/stream/index.m3u8").content == b"#EXTM3U\n#1\n"
    site.put("stream/index.m3u8", b"#EXTM3U\n#2\n")
    frozen = site.viewer.get("/stream/index.m3u8")
    assert frozen.content == b"#EXTM3U\n#1\n" and frozen.headers["X-Cache"] == "Hit from cloudfront"
    time.sleep(1.05)
    fresh = site.viewer.get("/stream/index.m3u8")
    assert fresh.content == b"#EXTM3U\n#2\n" and fresh.headers["X-Cache"] == "Miss from cloudfront"


def test_origin_cache_control_combined_with_the_behaviour_ttls(site):
    past = format_datetime(datetime.datetime.now(datetime.timezone.utc)
                           - datetime.timedelta(hours=1), usegmt=True)
    cases = {
        # MinTTL 0: no-store / private / max-age=0 / s-maxage=0 / a past Expires: never cached.
        "x/no-store": ({"CacheControl": "no-store"}, "Miss"),
        "x/private": ({"CacheControl": "private, max-age=600"}, "Miss"),
        "x/max-age-0": ({"CacheControl": "max-age=0"}, "Miss"),
        "x/s-maxage-wins": ({"CacheControl": "max-age=600, s-maxage=0"}, "Miss"),
        "x/expired": ({"Expires": past}, "Miss"),
        "x/max-age": ({"CacheControl": "max-age=600"}, "Hit"),
        # MinTTL 30: even no-cache is kept for MinTTL.
        "min/no-cache": ({"CacheControl": "no-cache"}, "Hit"),
    }
    for key, (extra, second) in cases.items():
        site.put(key, b"v", **extra)
        assert site.viewer.get("/" + key).headers["X-Cache"] == "Miss from cloudfront", key
        again = site.viewer.get("/" + key)
        assert again.headers["X-Cache"] == f"{second} from cloudfront", key
        if "CacheControl" in extra:
            assert again.headers["Cache-Control"] == extra["CacheControl"]  # passed through
    # MaxTTL 1 caps max-age=600; expired, the object is revalidated (304 from S3).
    site.put("cap/long", b"v", CacheControl="max-age=600")
    site.viewer.get("/cap/long")
    assert site.viewer.get("/cap/long").headers["X-Cache"] == "Hit from cloudfront"
    time.sleep(1.05)
    assert site.viewer.get("/cap/long").headers["X-Cache"] == "RefreshHit from cloudfront"


@pytest.mark.parametrize("headers, ttls, want", [
    ({}, (0, 86400, 31536000), 86400),
    ({}, (20, 5, 60), 20),                      # no max-age, MinTTL > 0: the greater
    ({"Cache-Control": "max-age=30"}, (0, 5, 60), 30),
    ({"Cache-Control": "max-age=90"}, (0, 5, 60), 60),   # lesser of max-age and MaxTTL
    ({"Cache-Control": "max-age=10"}, (20, 5, 60), 20),  # at least MinTTL
    ({"Cache-Control": "max-age=10, s-maxage=40"}, (0, 5, 60), 40),
    ({"Cache-Control": "no-cache"}, (0, 5, 60), 0),
    ({"Cache-Control": "no-store, max-age=30"}, (7, 5, 60), 7),
    ({"Expires": "Thu, 01 Jan 2099 00:00:00 GMT"}, (0, 5, 60), 60),
    ({"Expires": "not a date"}, (0, 5, 60), 0),
    ({"Cache-Control": "max-age=30", "Expires": "Thu, 01 Jan 1970 00:00:00 GMT"}, (0, 5, 60), 30),
])
def test_ttl_table(headers, ttls, want):
    """Expiration.html's table, rule by rule (without waiting)."""
    class B:
        min_ttl, default_ttl, max_ttl = ttls
        lsms_ttls = {"MinTTL": ttls[0], "DefaultTTL": ttls[1], "MaxTTL": ttls[2]}
    now = datetime.datetime.now(datetime.timezone.utc)
    assert edge.object_ttl(headers, B, now) == want


def test_ttl_defaults_when_left_out():
    class B:
        min_ttl = default_ttl = max_ttl = 0  # what moto stores for a TTL left out
        lsms_ttls = {"MinTTL": 0}
    assert edge.ttls(B) == (0, 86400, 31536000)


@pytest.mark.parametrize("status, headers, configured, want", [
    (404, {}, None, 10),                               # 10 s by default
    (404, {}, 1, 1),
    (404, {"Cache-Control": "max-age=30"}, 1, 30),     # the greater of the two
    (503, {}, 2, 2),
    (403, {}, 1, 0),                                   # 403 only with max-age/s-maxage
    (403, {"Cache-Control": "s-maxage=5"}, 1, 5),
    (416, {}, 1, 0),                                   # never cached
])
def test_error_caching_ttl(status, headers, configured, want):
    class Config:
        CustomErrorResponses = {"Items": [] if configured is None else
                                [{"ErrorCode": status, "ErrorCachingMinTTL": configured}]}
    assert edge.error_ttl(status, headers, Config, datetime.datetime.now()) == want


def test_invalidation_empties_the_cache(site):
    site.put("inv/a.ts", b"old")
    assert site.viewer.get("/inv/a.ts").content == b"old"
    site.put("inv/a.ts", b"new")
    assert site.viewer.get("/inv/a.ts").content == b"old"
    site.cf.create_invalidation(DistributionId=site.dist["Id"], InvalidationBatch={
        "Paths": {"Quantity": 1, "Items": ["/inv/*"]}, "CallerReference": unique("inv")})
    assert site.viewer.get("/inv/a.ts").content == b"new"


def test_range_and_conditional_requests_from_the_cache(site):
    site.put("range.ts", b"0123456789")
    full = site.viewer.get("/range.ts")
    part = site.viewer.get("/range.ts", {"Range": "bytes=2-5"})
    assert part.status_code == 206 and part.content == b"2345"
    assert part.headers["Content-Range"] == "bytes 2-5/10"
    assert site.viewer.get("/range.ts", {"Range": "bytes=20-"}).status_code == 416
    same = site.viewer.get("/range.ts", {"If-None-Match": full.headers["ETag"]})
    assert same.status_code == 304 and same.content == b""
    head = site.viewer.request("HEAD", "/range.ts")
    assert head.status_code == 200 and head.headers["Content-Length"] == "10"


# -- origin access ------------------------------------------------------------


@pytest.fixture()
def fresh(emulator):  # noqa: F811
    """A bucket and distribution of their own, no bucket policy yet."""
    s = Site()
    s.s3, s.cf = emulator.client("s3"), emulator.client("cloudfront")
    s.bucket = unique("edge-own")
    s.s3.create_bucket(Bucket=s.bucket)
    s.s3.put_object(Bucket=s.bucket, Key="index.m3u8", Body=b"#EXTM3U\n")
    s.dist = create_distribution(s.cf, [s3_origin(s.bucket, create_oac(s.cf))], behaviour())
    s.viewer = Viewer(emulator, s.dist["DomainName"])
    return s


def test_bucket_policy_decides_what_the_distribution_may_read(fresh):
    def status():
        r = fresh.viewer.get("/index.m3u8")
        return r.status_code, r.headers["X-Cache"], \
            ("<Code>AccessDenied</Code>" in r.text) if r.status_code == 403 else r.text

    assert status() == (403, "Error from cloudfront", True)  # no bucket policy at all
    other = create_distribution(fresh.cf, [s3_origin(fresh.bucket, create_oac(fresh.cf))],
                                behaviour())
    put_policy(fresh.s3, fresh.bucket, oac_statement(fresh.bucket, other["ARN"]))
    assert status() == (403, "Error from cloudfront", True)  # another distribution's statement
    put_policy(fresh.s3, fresh.bucket, oac_statement(fresh.bucket, fresh.dist["ARN"]))
    assert status() == (200, "Miss from cloudfront", "#EXTM3U\n")
    # The 403s were not cached (no max-age): the grant took effect at once.
    # An explicit Deny wins over the grant.
    put_policy(fresh.s3, fresh.bucket, oac_statement(fresh.bucket, fresh.dist["ARN"]), {
        "Effect": "Deny", "Principal": "*", "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{fresh.bucket}/secret/*"})
    fresh.s3.put_object(Bucket=fresh.bucket, Key="secret/x", Body=b"x")
    assert fresh.viewer.get("/secret/x").status_code == 403


def test_missing_objects_403_without_list_bucket_404_cached_with_it(fresh, emulator):  # noqa: F811
    put_policy(fresh.s3, fresh.bucket, oac_statement(fresh.bucket, fresh.dist["ARN"]))
    assert fresh.viewer.get("/later.ts").status_code == 403
    put_policy(fresh.s3, fresh.bucket, oac_statement(fresh.bucket, fresh.dist["ARN"]),
               oac_statement(fresh.bucket, fresh.dist["ARN"], ["s3:ListBucket"],
                             f"arn:aws:s3:::{fresh.bucket}"))
    config = fresh.cf.get_distribution_config(Id=fresh.dist["Id"])
    config["DistributionConfig"]["CustomErrorResponses"] = {
        "Quantity": 1, "Items": [{"ErrorCode": 404, "ErrorCachingMinTTL": 1}]}
    fresh.cf.update_distribution(Id=fresh.dist["Id"], IfMatch=config["ETag"],
                                 DistributionConfig=config["DistributionConfig"])
    mark = len(emulator.request_log())
    missing = fresh.viewer.get("/later.ts")
    assert missing.status_code == 404 and "<Code>NoSuchKey</Code>" in missing.text
    fresh.s3.put_object(Bucket=fresh.bucket, Key="later.ts", Body=b"now")
    cached = fresh.viewer.get("/later.ts")
    assert cached.status_code == 404 and cached.headers["X-Cache"] == "Error from cloudfront"
    assert [r["origin"] is not None for r in edge_lines(emulator, mark)] == [True, False]
    time.sleep(1.05)
    assert fresh.viewer.get("/later.ts").content == b"now"


def test_default_root_object_and_origin_path(site, emulator):  # noqa: F811
    site.put("index.html", b"<h1>root</h1>", ContentType="text/html")
    site.put("sub/index.html", b"<h1>sub</h1>")
    root = site.viewer.get("/")
    assert root.status_code == 200 and root.content == b"<h1>root</h1>"
    assert site.viewer.get("/sub/").status_code == 403  # not for subdirectories
    site.put("live/stream/a.m3u8", b"#EXTM3U\n#live\n")
    dist = create_distribution(site.cf, [s3_origin(site.bucket, site.oac, path="/live")],
                               behaviour())
    put_policy(site.s3, site.bucket, oac_statement(site.bucket, site.dist["ARN"]),
               oac_statement(site.bucket, dist["ARN"]))
    r = Viewer(emulator, dist["DomainName"]).get("/stream/a.m3u8")
    assert r.status_code == 200 and r.content == b"#EXTM3U\n#live\n"


# -- CORS ---------------------------------------------------------------------


def test_cors_answers_follow_the_origin_header_and_the_cache_key(site):
    site.put("cors/a.m3u8", b"#EXTM3U\n")
    plain = site.viewer.get("/cors/a.m3u8")
    assert "Access-Control-Allow-Origin" not in plain.headers
    cross = site.viewer.get("/cors/a.m3u8", {"Origin": "http://player.example"})
    # Origin is forwarded and in the cache key: not the cached plain answer.
    assert cross.headers["X-Cache"] == "Miss from cloudfront"
    assert cross.headers["Access-Control-Allow-Origin"] == "*"
    assert cross.headers["Access-Control-Allow-Methods"] == "GET, HEAD"
    assert cross.headers["Access-Control-Max-Age"] == "3000"
    # A behaviour that does not forward Origin mixes them up (issue #8 of
    # live-streaming-on-aws-with-amazon-s3): the first answer is served to both.
    site.put("noorigin/a.ts", b"ts")
    site.viewer.get("/noorigin/a.ts")
    mixed = site.viewer.get("/noorigin/a.ts", {"Origin": "http://player.example"})
    assert mixed.headers["X-Cache"] == "Hit from cloudfront"
    assert "Access-Control-Allow-Origin" not in mixed.headers


def test_preflight_is_answered_from_the_bucket_cors(site):
    ask = {"Origin": "http://player.example", "Access-Control-Request-Method": "GET",
           "Access-Control-Request-Headers": "range"}
    ok = site.viewer.request("OPTIONS", "/stream/index.m3u8", ask)
    assert ok.status_code == 200 and ok.headers["Access-Control-Allow-Origin"] == "*"
    assert ok.headers["Access-Control-Allow-Headers"] == "range"
    assert ok.headers["X-Cache"] == "Miss from cloudfront"
    again = site.viewer.request("OPTIONS", "/stream/index.m3u8", ask)
    assert again.headers["X-Cache"] == "Miss from cloudfront"  # OPTIONS not among CachedMethods
    site.viewer.request("OPTIONS", "/options/x", ask)
    assert site.viewer.request("OPTIONS", "/options/x", ask).headers["X-Cache"] == \
        "Hit from cloudfront"
    put = site.viewer.request("OPTIONS", "/stream/index.m3u8",
                              dict(ask, **{"Access-Control-Request-Method": "PUT"}))
    assert put.status_code == 403 and "CORSResponse" in put.text
    refused = site.viewer.request("OPTIONS", "/readonly/x", ask)
    assert refused.status_code == 403 and refused.headers["X-Cache"] == "Error from cloudfront"


def test_cors_removed_from_the_bucket_means_no_cors_answer(fresh):
    put_policy(fresh.s3, fresh.bucket, oac_statement(fresh.bucket, fresh.dist["ARN"]))
    fresh.s3.put_bucket_cors(Bucket=fresh.bucket, CORSConfiguration={"CORSRules": [
        {"AllowedOrigins": ["http://player.example"], "AllowedMethods": ["GET"]}]})
    origin = {"Origin": "http://player.example"}
    r = fresh.viewer.get("/index.m3u8", origin)
    assert r.headers["Access-Control-Allow-Origin"] == "http://player.example"
    assert r.headers["Access-Control-Allow-Credentials"] == "true"
    assert r.headers["Vary"] == "Origin, Access-Control-Request-Headers, Access-Control-Request-Method"
    assert "Access-Control-Allow-Origin" not in \
        fresh.viewer.get("/index.m3u8", {"Origin": "http://elsewhere.example"}).headers
    fresh.s3.delete_bucket_cors(Bucket=fresh.bucket)
    fresh.s3.put_object(Bucket=fresh.bucket, Key="after.m3u8", Body=b"#EXTM3U\n")
    r = fresh.viewer.get("/after.m3u8", origin)
    assert r.status_code == 200 and "Access-Control-Allow-Origin" not in r.headers
    pre = fresh.viewer.request("OPTIONS", "/after.m3u8",
                               dict(origin, **{"Access-Control-Request-Method": "GET"}))
    assert pre.status_code == 403 and "CORS is not enabled" in pre.text


# -- CloudFront's own answers -------------------------------------------------


def test_unknown_and_disabled_distributions_are_refused(fresh, emulator):  # noqa: F811
    put_policy(fresh.s3, fresh.bucket, oac_statement(fresh.bucket, fresh.dist["ARN"]))
    unknown = Viewer(emulator, "dnosuchdist0000.cloudfront.net").get("/index.m3u8")
    assert unknown.status_code == 403 and unknown.headers["X-Cache"] == "Error from cloudfront"
    assert "The request could not be satisfied" in unknown.text
    assert fresh.viewer.get("/index.m3u8").status_code == 200
    config = fresh.cf.get_distribution_config(Id=fresh.dist["Id"])
    config["DistributionConfig"]["Enabled"] = False
    fresh.cf.update_distribution(Id=fresh.dist["Id"], IfMatch=config["ETag"],
                                 DistributionConfig=config["DistributionConfig"])
    disabled = fresh.viewer.get("/index.m3u8")  # even though the object is cached
    assert disabled.status_code == 403 and "The request could not be satisfied" in disabled.text


def test_methods_the_behaviour_does_not_allow_are_refused(site):
    assert site.viewer.request("POST", "/readonly/x").status_code == 403
    assert site.viewer.request("PUT", "/stream/x").status_code == 403
    assert site.viewer.request("DELETE", "/stream/x").status_code == 403


@pytest.mark.parametrize("extra, reason", [
    ({"LambdaFunctionAssociations": {"Quantity": 1, "Items": [{
        "LambdaFunctionARN": "arn:aws:lambda:us-east-1:123456789012:function:f:1",
        "EventType": "viewer-request"}]}}, "Lambda@Edge"),
    ({"TrustedKeyGroups": {"Enabled": True, "Quantity": 1, "Items": ["KG1"]}}, "signed URLs"),
    ({"FieldLevelEncryptionId": "FLE1"}, "field-level encryption"),
])
def test_what_the_edge_cannot_copy_fails_loudly(site, emulator, extra, reason):  # noqa: F811
    dist = create_distribution(site.cf, [s3_origin(site.bucket, site.oac)],
                               behaviour(**extra))
    # moto answered Quantity 0 for associations; the layer keeps them as sent.
    kept = site.cf.get_distribution_config(Id=dist["Id"])["DistributionConfig"]
    for member, value in extra.items():
        if member.endswith("Associations"):
            assert kept["DefaultCacheBehavior"][member] == value
    r = Viewer(emulator, dist["DomainName"]).get("/index.html")
    assert r.status_code == 501 and reason in r.headers["X-Lsms-Edge-Unsupported"], r.text
    assert reason in r.text
    line = emulator.request_log()[-1]
    assert line["result"] == "Unsupported" and reason in line["unsupported"]


def test_custom_error_page_replaces_the_error(fresh):
    put_policy(fresh.s3, fresh.bucket,
               oac_statement(fresh.bucket, fresh.dist["ARN"], ["s3:GetObject", "s3:ListBucket"],
                             [f"arn:aws:s3:::{fresh.bucket}", f"arn:aws:s3:::{fresh.bucket}/*"]))
    fresh.s3.put_object(Bucket=fresh.bucket, Key="errors/404.html", Body=b"<p>not yet</p>",
                        ContentType="text/html")
    config = fresh.cf.get_distribution_config(Id=fresh.dist["Id"])
    config["DistributionConfig"]["CustomErrorResponses"] = {"Quantity": 1, "Items": [{
        "ErrorCode": 404, "ResponsePagePath": "/errors/404.html", "ResponseCode": "200",
        "ErrorCachingMinTTL": 30}]}
    fresh.cf.update_distribution(Id=fresh.dist["Id"], IfMatch=config["ETag"],
                                 DistributionConfig=config["DistributionConfig"])
    r = fresh.viewer.get("/stream/nothing.ts")
    assert r.status_code == 200 and r.content == b"<p>not yet</p>", r.text
    assert r.headers["Content-Type"] == "text/html"
    assert r.headers["X-Cache"] == "Error from cloudfront"
    again = fresh.viewer.get("/stream/nothing.ts")
    assert again.content == b"<p>not yet</p>" and "Age" in again.headers


def test_signing_behaviour_never_and_legacy_origin_access_identity(emulator):  # noqa: F811
    s3, cf = emulator.client("s3"), emulator.client("cloudfront")
    bucket = unique("edge-public")
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="a.ts", Body=b"a")
    oac = cf.create_origin_access_control(OriginAccessControlConfig={
        "Name": unique("never"), "SigningProtocol": "sigv4", "SigningBehavior": "never",
        "OriginAccessControlOriginType": "s3"})["OriginAccessControl"]["Id"]
    unsigned = create_distribution(cf, [s3_origin(bucket, oac)], behaviour())
    public = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
              "Resource": f"arn:aws:s3:::{bucket}/*"}
    # Unsigned, CloudFront is anonymous: the OAC statement does not apply ...
    put_policy(s3, bucket, oac_statement(bucket, unsigned["ARN"]))
    assert Viewer(emulator, unsigned["DomainName"]).get("/a.ts").status_code == 403
    # ... and a public statement counts only once RestrictPublicBuckets is off.
    s3.delete_public_access_block(Bucket=bucket)
    put_policy(s3, bucket, public)
    assert Viewer(emulator, unsigned["DomainName"]).get("/a.ts").status_code == 200
    oai = {"Id": "bucket", "DomainName": f"{bucket}.s3.amazonaws.com",
           "S3OriginConfig": {"OriginAccessIdentity": "origin-access-identity/cloudfront/E1OAI"}}
    legacy = create_distribution(cf, [oai], behaviour())
    put_policy(s3, bucket, {
        "Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*",
        "Principal": {"AWS": "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E1OAI"}})
    s3.put_object(Bucket=bucket, Key="b.ts", Body=b"b")  # /a.ts is cached by now
    assert Viewer(emulator, legacy["DomainName"]).get("/b.ts").status_code == 200
    assert Viewer(emulator, unsigned["DomainName"]).get("/b.ts").status_code == 403


def test_the_cache_evicts_least_recently_used_first(monkeypatch):
    monkeypatch.setattr(edge, "CACHE_BYTES", 10)
    cache = edge.EdgeCache()
    for key in ("a", "b"):
        cache.put(key, edge.Entry(200, [], b"12345", 60, 0))
    cache.get("a")  # b is now the least recently used
    cache.put("c", edge.Entry(200, [], b"12345", 60, 0))
    assert list(cache.entries) == ["a", "c"] and cache.size == 10


@pytest.mark.parametrize("domain, bucket", [
    ("live.s3.us-east-1.amazonaws.com", "live"),
    ("live.s3.amazonaws.com", "live"),
    ("my.live.s3-eu-west-1.amazonaws.com", "my.live"),
    ("live.s3-website-us-east-1.amazonaws.com", None),  # a website endpoint is a custom origin
    ("live.s3-website.us-east-1.amazonaws.com", None),
])
def test_s3_origin_domains(domain, bucket):
    from lsms_emulator.edge_origin import _S3_DOMAIN

    match = _S3_DOMAIN.match(domain)
    assert (match.group("bucket") if match else None) == bucket


ARN = "arn:aws:cloudfront::123456789012:distribution/EDGE1"
CONTEXT = {"aws:SourceArn": ARN, "aws:SourceAccount": "123456789012",
           "aws:SecureTransport": "true", "aws:UserAgent": "Amazon CloudFront", "aws:Referer": None}


@pytest.mark.parametrize("condition, want", [
    ({"StringEquals": {"AWS:SourceArn": ARN}}, "allow"),      # key names in any case
    ({"StringEquals": {"aws:SourceArn": ARN + "X"}}, None),
    ({"ArnLike": {"aws:SourceArn": "arn:aws:cloudfront::123456789012:distribution/*"}}, "allow"),
    ({"ArnLike": {"aws:SourceArn": "arn:aws:cloudfront::999999999999:*"}}, None),
    ({"StringNotEquals": {"aws:SourceAccount": "999999999999"}}, "allow"),
    ({"Bool": {"aws:SecureTransport": "false"}}, None),
    ({"StringLike": {"aws:Referer": "https://*"}}, None),          # absent: false
    ({"StringLikeIfExists": {"aws:Referer": "https://*"}}, "allow"),  # ...IfExists: true
    ({"Null": {"aws:Referer": "true"}}, "allow"),
])
def test_resource_policy_conditions(condition, want):
    from lsms_emulator import moto_auth

    policy = {"Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"},
                             "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
                             "Condition": condition}]}
    got = moto_auth.resource_policy_decision(policy, "s3:GetObject", "arn:aws:s3:::b/k",
                                             moto_auth.ServicePrincipal("cloudfront.amazonaws.com"),
                                             CONTEXT)
    assert got == want


@pytest.mark.parametrize("statement", [
    {"Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}},
    {"Condition": {"StringEquals": {"s3:ExistingObjectTag/x": "y"}}},
    {"Condition": {"ForAnyValue:StringEquals": {"aws:SourceArn": [ARN]}}},
    {"NotPrincipal": {"AWS": "arn:aws:iam::1:root"}, "Principal": None},
])
def test_what_the_policy_evaluation_cannot_judge_is_refused(statement):
    from lsms_emulator import moto_auth

    raw = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
           "Resource": "arn:aws:s3:::b/*"}
    raw.update(statement)
    raw = {k: v for k, v in raw.items() if v is not None}
    with pytest.raises(moto_auth.UnsupportedPolicy):
        moto_auth.resource_policy_decision({"Statement": [raw]}, "s3:GetObject",
                                           "arn:aws:s3:::b/k", moto_auth.ANONYMOUS, CONTEXT)


def test_query_strings_in_the_cache_key_as_forwarded(site, emulator):  # noqa: F811
    site.put("q.ts", b"q")
    # QueryString false (the site's behaviours): not forwarded, not in the key.
    site.viewer.get("/q.ts?v=1")
    assert site.viewer.get("/q.ts?v=2").headers["X-Cache"] == "Hit from cloudfront"
    forwarded = behaviour(ForwardedValues={
        "QueryString": True, "Cookies": {"Forward": "none"}, "Headers": {"Quantity": 0},
        "QueryStringCacheKeys": {"Quantity": 1, "Items": ["v"]}})
    dist = create_distribution(site.cf, [s3_origin(site.bucket, site.oac)], forwarded)
    put_policy(site.s3, site.bucket, oac_statement(site.bucket, site.dist["ARN"]),
               oac_statement(site.bucket, dist["ARN"]))
    viewer = Viewer(emulator, dist["DomainName"])
    assert viewer.get("/q.ts?v=1").headers["X-Cache"] == "Miss from cloudfront"
    assert viewer.get("/q.ts?v=2").headers["X-Cache"] == "Miss from cloudfront"
    assert viewer.get("/q.ts?v=1&other=x").headers["X-Cache"] == "Hit from cloudfront"
    # A query string S3 would read as another operation is not guessed at.
    assert viewer.get("/q.ts?versionId=abc").status_code == 501
