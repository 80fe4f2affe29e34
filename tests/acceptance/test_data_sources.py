"""Issue 22: the data sources, read in a configuration that manages nothing.

A stream is applied in one workspace (an S3 bucket, a MediaStore container, a
push channel writing to the bucket, the bucket's distribution); a second
workspace, which manages nothing, reads it through lsms_channel (by id and by
name), lsms_distribution, lsms_bucket, lsms_container and
lsms_encoding_profile. Each value is compared with what the managing
workspace's state says and what boto3 reads; the plan already shows them
(data sources with known arguments are read at plan). A lookup that finds
nothing is an error naming what was looked for; a channel asked by id and by
name at once is refused at validation. lsms_container is deprecated
(MediaStore ended on 2025-11-13): the plan warns (Terraform 1.16.4, OpenTofu
1.12.6; Terraform 1.11.4 shows no warning for a deprecated data source).

Every client runs it: data sources need nothing newer than Terraform 1.11.4.
"""

import pytest

from harness import PROVIDER_BLOCK, name_per_client, provider_for_emulator

NAMES = name_per_client("b2ds")


def stream_hcl(name):
    return f"""
resource "lsms_bucket" "origin" {{
  name = "{name}-origin"
}}

resource "lsms_container" "legacy" {{
  name = "{name}-legacy"
}}

resource "lsms_channel" "live" {{
  name               = "{name}-live"
  input_type         = "RTMP_PUSH"
  input_cidr         = ["198.51.100.0/24"]
  destination_bucket = lsms_bucket.origin.name
  encoding_profile   = "SD-540p"
  tags               = {{ event = "{name}" }}
}}

resource "lsms_distribution" "cdn" {{
  origin_bucket = lsms_bucket.origin.name
  comment       = "{name}"
}}
"""


def readers_hcl(name, channel_id, distribution_id):
    return f"""
data "lsms_channel" "by_id" {{
  id = "{channel_id}"
}}

data "lsms_channel" "by_name" {{
  name = "{name}-live"
}}

data "lsms_distribution" "cdn" {{
  id = "{distribution_id}"
}}

data "lsms_bucket" "origin" {{
  name = "{name}-origin"
}}

data "lsms_container" "legacy" {{
  name = "{name}-legacy"
}}

data "lsms_encoding_profile" "sd" {{
  name = data.lsms_channel.by_name.encoding_profile
}}

output "channel" {{ value = data.lsms_channel.by_id }}
output "channel_by_name_id" {{ value = data.lsms_channel.by_name.id }}
output "distribution" {{ value = data.lsms_distribution.cdn }}
output "bucket" {{ value = data.lsms_bucket.origin }}
output "container" {{
  value     = data.lsms_container.legacy
  sensitive = true
}}
output "profile" {{ value = data.lsms_encoding_profile.sd }}
"""


@pytest.mark.older_clients
def test_data_sources_read_a_stream_managed_elsewhere(client, workspace_factory, emulator):
    name = NAMES[client.name]
    provider = PROVIDER_BLOCK + provider_for_emulator(emulator.url)
    managing = workspace_factory(client)
    managing.write("main.tf", provider + stream_hcl(name))
    managing.init()
    managing.apply()
    # The resources return identities now; a client without identity
    # (Terraform 1.11.4) ignores them: its plans stay empty as everyone's.
    code, plan = managing.plan_exitcode()
    assert code == 0, plan.stdout
    channel = managing.resource_values("lsms_channel.live")
    cdn = managing.resource_values("lsms_distribution.cdn")
    bucket = managing.resource_values("lsms_bucket.origin")
    container = managing.resource_values("lsms_container.legacy")

    reader = workspace_factory(client)
    reader.write("main.tf", provider + readers_hcl(name, channel["id"], cdn["id"]))
    reader.init()
    plan = reader.plan()
    # Read at plan: the values are already in the plan's outputs.
    assert cdn["domain_name"] in plan.stdout and channel["input_endpoints"][0] in plan.stdout
    # Protocol 6.10+ clients show the deprecation message; Terraform 1.11
    # shows none for a deprecated data source (measured).
    if client.name != "tf111":
        assert "MediaStore was discontinued" in plan.output, plan.output
    reader.apply()
    out = {k: v["value"] for k, v in reader.output().items()}

    got = out["channel"]
    assert out["channel_by_name_id"] == channel["id"]
    ml = emulator.client("medialive").describe_channel(ChannelId=channel["id"])
    assert got["state"] == ml["State"] == "IDLE"
    assert got["input_type"] == "RTMP_PUSH"
    assert got["input_endpoints"] == channel["input_endpoints"] and len(got["input_endpoints"]) == 1
    assert got["input_endpoints"][0].startswith("rtmp://")
    assert got["destination_bucket"] == f"{name}-origin" and got["container_endpoint"] is None
    assert got["destination_url"] == ml["Destinations"][0]["Settings"][0]["Url"] == \
        f"s3ssl://{name}-origin/stream/index"
    assert got["stream_path"] == "stream/index"
    assert got["encoding_profile"] == "SD-540p"
    assert [r["name"] for r in got["renditions"]] == ["_512x288", "_640x360", "_768x432", "_960x540"]
    assert got["input_id"] == channel["input_id"]
    assert got["input_cidr"] == ["198.51.100.0/24"]
    assert got["tags"] == {"event": name}
    assert got["arn"] == channel["arn"] and got["role_arn"] == channel["role_arn"]

    dist = out["distribution"]
    for key in ("domain_name", "arn", "origin_bucket", "origin_access_control_id",
                "live_stream_url", "hosted_zone_id", "comment"):
        assert dist[key] == cdn[key], key
    assert dist["status"] == "Deployed" and dist["enabled"] is True
    assert dist["origin_endpoint"] is None
    assert dist["live_stream_url"] == f"https://{cdn['domain_name']}/stream/index.m3u8"

    b = out["bucket"]
    assert (b["region"], b["bucket_regional_domain_name"], b["arn"]) == \
        (bucket["region"], bucket["bucket_regional_domain_name"], bucket["arn"])
    assert b["metrics_filter_id"] == "EntireBucket" and b["request_metrics"] is True
    assert b["block_public_access"] is True and b["object_ownership"] == "BucketOwnerEnforced"

    c = out["container"]
    assert c["endpoint"] == container["endpoint"] and c["status"] == "ACTIVE"
    assert c["origin_secret"] == container["origin_secret"] and c["restrict_to_cdn"] is True
    assert c["log_group_name"] == f"/aws/mediastore/{name}-legacy"

    p = out["profile"]
    assert p["input_resolution"] == "SD" and p["segment_length_seconds"] == 4
    assert p["renditions"][-1] == {"name": "_960x540", "width": 960, "height": 540,
                                   "bitrate": 1800000, "max_bitrate": 1800000,
                                   "audio_bitrate": 96000, "framerate": 30}


def test_lookups_that_find_nothing_or_ask_twice_fail(client, workspace_factory, emulator):
    name = NAMES[client.name] + "-none"
    ws = workspace_factory(client)
    provider = PROVIDER_BLOCK + provider_for_emulator(emulator.url)
    ws.write("main.tf", provider + f"""
data "lsms_channel" "missing" {{
  name = "{name}"
}}
""")
    ws.init()
    r = ws.plan(check=False)
    assert r.returncode != 0 and "No such channel" in r.output and name in r.output, r.output
    ws.write("main.tf", provider + """
data "lsms_distribution" "missing" {
  id = "ENOSUCHDIST"
}
""")
    r = ws.plan(check=False)
    assert r.returncode != 0 and "No such distribution" in r.output, r.output
    ws.write("main.tf", provider + f"""
data "lsms_channel" "both" {{
  id   = "1234567"
  name = "{name}"
}}
""")
    r = ws.validate(check=False)
    assert r.returncode != 0 and "Conflicting arguments" in r.output, r.output
