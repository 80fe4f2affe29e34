"""The provider's CloudFront configuration, as the emulator's CloudFront edge
serves it: examples/complete-s3 (S3 through the Origin Access Control and
the bucket policy statement lsms_distribution writes) and examples/complete
(MediaStore with the origin secret the container policy checks) applied,
a manifest and a segment put into the origin with boto3, and fetched at
`live_stream_url` mapped to its `.localhost` form, with and without an
Origin header. No video here (the playback suite plays the stream): this
checks what CloudFront would do with the configuration, quickly.
"""

import time
from urllib.parse import urlparse

import pytest
import requests

from harness import emulator_env

from test_examples import copy_examples

MANIFEST_TTL = 2  # lsms_distribution's default manifest_ttl_seconds
PLAYER = {"Origin": "http://player.example"}


def put_objects(emulator, example, out, name, objects):
    if example == "complete-s3":
        s3 = emulator.client("s3")
        for key, body in objects.items():
            s3.put_object(Bucket=out["bucket_name"]["value"], Key=key, Body=body)
        return
    ms = emulator.client("mediastore")
    endpoint = ms.describe_container(ContainerName=name)["Container"]["Endpoint"]
    data = emulator.client("mediastore-data", endpoint_url=endpoint)
    for key, body in objects.items():
        data.put_object(Path=key, Body=body)


def empty_container(emulator, name):
    ms = emulator.client("mediastore")
    endpoint = ms.describe_container(ContainerName=name)["Container"]["Endpoint"]
    data = emulator.client("mediastore-data", endpoint_url=endpoint)
    for item in data.list_items(Path="stream")["Items"]:
        data.delete_object(Path=f"stream/{item['Name']}")


@pytest.mark.parametrize("example", ["complete-s3", "complete"])
def test_the_stream_url_serves_the_origin_as_cloudfront_would(client, workspace_factory, tmp_path,
                                                              emulator, example):
    examples = copy_examples(tmp_path)
    ws = workspace_factory(client, env=emulator_env(emulator.url))
    ws.path = str(examples / example)
    ws.init()
    name = f"edge-{client[0]}"
    args = [f"-var=name={name}"] + (["-var=force_destroy=true"] if example == "complete-s3" else [])
    ws.apply(*args)
    try:
        out = ws.output()
        url = urlparse(out["live_stream_url"]["value"])
        manifest = url.path.lstrip("/")
        put_objects(emulator, example, out, name, {manifest: b"#EXTM3U\n#1\n",
                                                   "stream/seg1.ts": b"segment"})
        host = url.netloc + ".localhost"

        def get(path, headers=None):
            return requests.get(emulator.url + path, headers=dict({"Host": host}, **(headers or {})),
                                timeout=10)

        first = get(url.path)
        assert first.status_code == 200 and first.content == b"#EXTM3U\n#1\n", first.text
        assert first.headers["X-Cache"] == "Miss from cloudfront"
        assert "Access-Control-Allow-Origin" not in first.headers
        # Origin is in the cache key: a player gets its CORS answer, not the one cached.
        cross = get(url.path, PLAYER)
        assert cross.headers["X-Cache"] == "Miss from cloudfront"
        assert cross.headers["Access-Control-Allow-Origin"] == "*"
        assert get(url.path, PLAYER).headers["X-Cache"] == "Hit from cloudfront"
        # The manifest is not kept past manifest_ttl_seconds.
        put_objects(emulator, example, out, name, {manifest: b"#EXTM3U\n#2\n"})
        assert get(url.path, PLAYER).content == b"#EXTM3U\n#1\n"
        time.sleep(MANIFEST_TTL + 0.1)
        assert get(url.path, PLAYER).content == b"#EXTM3U\n#2\n"
        # Segments are kept (segment_ttl_seconds).
        seg = get("/stream/seg1.ts", PLAYER)
        assert seg.status_code == 200 and seg.headers["Access-Control-Allow-Origin"] == "*"
        assert get("/stream/seg1.ts", PLAYER).headers["X-Cache"] == "Hit from cloudfront"
        # A segment not written yet: S3 answers 403 (the statement grants no
        # s3:ListBucket), MediaStore 404; neither is a CloudFront refusal.
        missing = get("/stream/seg9.ts", PLAYER)
        assert missing.status_code == (403 if example == "complete-s3" else 404), missing.text
        assert missing.headers["X-Cache"] == "Error from cloudfront"
        preflight = requests.options(emulator.url + url.path, timeout=10, headers=dict(
            PLAYER, **{"Host": host, "Access-Control-Request-Method": "GET"}))
        assert preflight.status_code == 200
    finally:
        if example == "complete":
            empty_container(emulator, name)
        ws.destroy(*args)
