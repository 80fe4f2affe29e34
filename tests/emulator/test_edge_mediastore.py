"""The CloudFront edge with a MediaStore origin: the container's data plane
reached as a custom origin with the User-Agent secret the container policy
checks (the solution's restriction of its container to its distribution),
authorized by the container policy, CORS from the container's CORS policy."""

import json
import time

import pytest

from fixture import emulator  # noqa: F401  (pytest fixture)
from test_edge import Viewer, behaviour, create_distribution, unique

SECRET = "lsms-origin-secret-0123456789"


def container_policy(account, name, secret):
    """The policy lsms_container writes by default (restrict_to_cdn): the
    account keeps full control; reads only over HTTPS with the secret as
    User-Agent."""
    arn = f"arn:aws:mediastore:us-east-1:{account}:container/{name}"
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "MediaStoreFullAccess", "Effect": "Allow",
         "Principal": {"AWS": f"arn:aws:iam::{account}:root"}, "Action": "mediastore:*",
         "Resource": [arn, f"{arn}/*"]},
        {"Sid": "CloudFrontRead", "Effect": "Allow", "Principal": "*",
         "Action": ["mediastore:GetObject", "mediastore:DescribeObject"],
         "Resource": f"{arn}/*",
         "Condition": {"Bool": {"aws:SecureTransport": "true"},
                       "StringEquals": {"aws:UserAgent": secret}}}]})


def custom_origin(port, name, secret=None, origin_id="container"):
    """The origin lsms_distribution makes of the container endpoint
    http://127.0.0.1:<port>/_mediastore/<name>."""
    headers = [] if secret is None else [{"HeaderName": "User-Agent", "HeaderValue": secret}]
    return {"Id": origin_id, "DomainName": "127.0.0.1", "OriginPath": f"/_mediastore/{name}",
            "CustomHeaders": {"Quantity": len(headers), "Items": headers},
            "CustomOriginConfig": {"HTTPPort": port, "HTTPSPort": 443,
                                   "OriginProtocolPolicy": "http-only"}}


@pytest.fixture(scope="module")
def container(emulator):  # noqa: F811
    ms = emulator.client("mediastore")
    name = unique("edge-ms")
    ms.create_container(ContainerName=name)
    endpoint = ms.describe_container(ContainerName=name)["Container"]["Endpoint"]
    account = emulator.client("sts").get_caller_identity()["Account"]
    ms.put_container_policy(ContainerName=name, Policy=container_policy(account, name, SECRET))
    ms.put_cors_policy(ContainerName=name, CorsPolicy=[{
        "AllowedOrigins": ["*"], "AllowedMethods": ["GET", "HEAD"], "AllowedHeaders": ["*"],
        "MaxAgeSeconds": 3000}])
    data = emulator.client("mediastore-data", endpoint_url=endpoint)
    data.put_object(Path="stream/index.m3u8", Body=b"#EXTM3U\n", ContentType="application/x-mpegURL",
                    CacheControl="max-age=1")
    return name, ms, data


def viewer_for(emulator, origin):  # noqa: F811
    dist = create_distribution(emulator.client("cloudfront"), [origin],
                               behaviour(origin_id=origin["Id"]))
    return Viewer(emulator, dist["DomainName"])


def test_the_secret_header_opens_the_container(container, emulator):  # noqa: F811
    name, _, _ = container
    viewer = viewer_for(emulator, custom_origin(emulator.port, name, SECRET))
    r = viewer.get("/stream/index.m3u8", {"Origin": "http://player.example"})
    assert r.status_code == 200 and r.content == b"#EXTM3U\n", r.text
    assert r.headers["Content-Type"] == "application/x-mpegURL"
    assert r.headers["Cache-Control"] == "max-age=1"
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert r.headers["X-Cache"] == "Miss from cloudfront"
    assert viewer.get("/stream/index.m3u8").headers["X-Cache"] == "Miss from cloudfront"  # key
    assert viewer.get("/stream/index.m3u8").headers["X-Cache"] == "Hit from cloudfront"
    line = emulator.request_log()[-3]
    assert line["origin"] == {"service": "mediastore-data", "operation": "GetObject",
                              "status": 200}
    missing = viewer.get("/stream/none.ts")
    assert missing.status_code == 404 and missing.headers["x-amzn-ErrorType"] == \
        "ObjectNotFoundException"
    # max-age=1 from the object: revalidated after a second.
    time.sleep(1.05)
    assert viewer.get("/stream/index.m3u8").headers["X-Cache"] == "RefreshHit from cloudfront"


def test_without_or_with_a_wrong_secret_the_container_refuses(container, emulator):  # noqa: F811
    name, _, _ = container
    for secret in (None, "not-the-secret"):
        viewer = viewer_for(emulator, custom_origin(emulator.port, name, secret,
                                                    origin_id=unique("o")))
        r = viewer.get("/stream/index.m3u8")
        assert r.status_code == 403, (secret, r.text)
        assert r.headers["x-amzn-ErrorType"] == "AccessDeniedException"
        # A viewer cannot send the secret itself: CloudFront replaces User-Agent.
        assert viewer.get("/stream/index.m3u8", {"User-Agent": SECRET}).status_code == 403


def test_a_container_without_policy_refuses_cloudfront(emulator):  # noqa: F811
    ms = emulator.client("mediastore")
    name = unique("edge-nopolicy")
    ms.create_container(ContainerName=name)
    endpoint = ms.describe_container(ContainerName=name)["Container"]["Endpoint"]
    emulator.client("mediastore-data", endpoint_url=endpoint).put_object(Path="a.ts", Body=b"a")
    viewer = viewer_for(emulator, custom_origin(emulator.port, name, SECRET))
    assert viewer.get("/a.ts").status_code == 403


def test_an_origin_the_edge_cannot_reach_fails_loudly(container, emulator):  # noqa: F811
    name, _, _ = container
    elsewhere = viewer_for(emulator, custom_origin(emulator.port + 1, name, SECRET))
    r = elsewhere.get("/stream/index.m3u8")
    assert r.status_code == 501 and "is not this emulator" in r.headers["X-Lsms-Edge-Unsupported"]
    origin = dict(custom_origin(emulator.port, name, SECRET), DomainName="example.com")
    r = viewer_for(emulator, origin).get("/stream/index.m3u8")
    assert r.status_code == 501 and "custom origin example.com" in r.text
