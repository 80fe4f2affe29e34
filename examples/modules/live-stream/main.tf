# One live stream, composed the way the solution's stacks do it. The origin is
# either an S3 bucket (origin = "s3", AWS's successor solution, the one to use
# on AWS today) or a MediaStore container (origin = "mediastore", the original
# solution; MediaStore was discontinued on 2025-11-13, so only emulators serve
# it now):
#   origin -> channel destination; origin -> distribution -> dashboard.

locals {
  push       = contains(["RTP_PUSH", "RTMP_PUSH"], var.input_type)
  pull       = var.input_type == "URL_PULL"
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
