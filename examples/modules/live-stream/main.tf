# One live stream, composed the way the solution's stacks do it. The origin is
# either an S3 bucket (origin = "s3", AWS's successor solution, the one to use
# on AWS today) or a MediaStore container (origin = "mediastore", the original
# solution; MediaStore was discontinued on 2025-11-13, so only emulators serve
# it now):
#   origin -> channel destination; origin -> distribution -> dashboard;
#   origin + distribution + channel -> the demo player (a page in the
#   origin, served by the distribution at player_url).

locals {
  push       = contains(["RTP_PUSH", "RTMP_PUSH"], var.input_type)
  pull       = var.input_type == "URL_PULL"
  rtmp       = var.input_type == "RTMP_PUSH"
  s3         = var.origin == "s3"
  mediastore = var.origin == "mediastore"
  # No tags is null, not {}: what a resource imported without tags reads back.
  tags = length(var.tags) > 0 ? var.tags : null
  # S3 bucket names are global, lower-case and without '_': the stream's name
  # becomes a prefix, and S3 gets a random suffix unless bucket_name is set.
  bucket_prefix = "${substr(replace(lower(var.name), "_", "-"), 0, 36)}-"
}

resource "lsms_bucket" "this" {
  count = local.s3 ? 1 : 0

  name          = var.bucket_name
  name_prefix   = var.bucket_name == null ? local.bucket_prefix : null
  force_destroy = var.force_destroy
  tags          = local.tags
}

resource "lsms_container" "this" {
  count = local.mediastore ? 1 : 0

  name          = var.name
  force_destroy = var.force_destroy
  tags          = local.tags
}

# Addresses of the module before it had an origin switch.
moved {
  from = lsms_container.this
  to   = lsms_container.this[0]
}

resource "lsms_channel" "this" {
  name               = var.name
  input_type         = var.input_type
  input_cidr         = local.push ? var.input_cidr : null
  pull_url           = local.pull ? var.pull_url : null
  pull_user          = local.pull ? var.pull_user : null
  pull_pass          = local.pull ? var.pull_pass : null
  input_device_id    = var.input_type == "INPUT_DEVICE" ? var.input_device_id : null
  encoding_profile   = var.encoding_profile
  destination_bucket = local.s3 ? lsms_bucket.this[0].name : null
  container_endpoint = local.mediastore ? lsms_container.this[0].endpoint : null
  channel_start      = var.channel_start
  tags               = local.tags

  lifecycle {
    precondition {
      condition     = !local.pull || var.pull_url != null
      error_message = "A URL_PULL input needs pull_url, the HLS source the channel pulls (there is no default source). Without a source of your own, use the default RTMP_PUSH input and its test_card_command output."
    }
  }
}

resource "lsms_distribution" "this" {
  origin_bucket   = local.s3 ? lsms_bucket.this[0].name : null
  origin_endpoint = local.mediastore ? lsms_container.this[0].endpoint : null
  origin_secret   = local.mediastore ? lsms_container.this[0].origin_secret : null
  comment         = "Live stream ${var.name}"
  tags            = local.tags
}

resource "lsms_dashboard" "this" {
  name              = "${var.name}-live-streaming"
  bucket_name       = local.s3 ? lsms_bucket.this[0].name : null
  metrics_filter_id = local.s3 ? lsms_bucket.this[0].metrics_filter_id : null
  container_name    = local.mediastore ? lsms_container.this[0].name : null
  distribution_id   = lsms_distribution.this.id
}

# The demo player: a page written into the origin next to the stream, so the
# distribution serves both from one domain (no CORS, no public bucket).
resource "lsms_player" "this" {
  count = var.player ? 1 : 0

  bucket             = local.s3 ? lsms_bucket.this[0].name : null
  container_endpoint = local.mediastore ? lsms_container.this[0].endpoint : null
  domain_name        = lsms_distribution.this.domain_name
  title              = "Live stream ${var.name}"
  channel_id         = lsms_channel.this.id
}

# What a person runs to feed a push input without a camera: ffmpeg makes a
# test card (moving colour bars with a clock, and a tone) at the top rung's
# size and sends it to the channel's first push endpoint, as an encoder or
# OBS would.
locals {
  test_card = {
    "HD-1080p" = { size = "1920x1080", kbps = 6000 }
    "HD-720p"  = { size = "1280x720", kbps = 3500 }
    "SD-540p"  = { size = "960x540", kbps = 2500 }
  }[var.encoding_profile]
  push_endpoint = length(coalesce(lsms_channel.this.input_endpoints, [])) > 0 ? lsms_channel.this.input_endpoints[0] : null
  test_card_source = join(" ", [
    "ffmpeg -re",
    "-f lavfi -i testsrc2=size=${local.test_card.size}:rate=30",
    "-f lavfi -i sine=frequency=440:sample_rate=48000",
    "-c:v libx264 -preset veryfast -tune zerolatency -pix_fmt yuv420p -g 60",
    "-b:v ${local.test_card.kbps}k -maxrate ${local.test_card.kbps}k -bufsize ${2 * local.test_card.kbps}k",
    "-c:a aac -b:a 128k -ar 48000",
  ])
  test_card_command = local.push_endpoint == null ? null : (
    local.rtmp ? "${local.test_card_source} -f flv ${local.push_endpoint}"
    : "${local.test_card_source} -f rtp_mpegts ${local.push_endpoint}"
  )
  # rtmp://<address>:1935/<app>/<stream>: OBS takes the stream name apart.
  obs_parts = local.rtmp && local.push_endpoint != null ? regex("^(.*)/([^/]+)$", local.push_endpoint) : null
}
