# One live stream, composed the way the solution's stack does it:
# container -> channel destination; container origin secret -> distribution;
# container name -> dashboard.

locals {
  push = contains(["RTP_PUSH", "RTMP_PUSH"], var.input_type)
  pull = var.input_type == "URL_PULL"
  # No tags is null, not {}: what a resource imported without tags reads back.
  tags = length(var.tags) > 0 ? var.tags : null
}

resource "lsms_container" "this" {
  name = var.name
  tags = local.tags
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
  container_endpoint = lsms_container.this.endpoint
  channel_start      = var.channel_start
  tags               = local.tags
}

resource "lsms_distribution" "this" {
  origin_endpoint = lsms_container.this.endpoint
  origin_secret   = lsms_container.this.origin_secret
  comment         = "Live stream ${var.name}"
  tags            = local.tags
}

resource "lsms_dashboard" "this" {
  name            = "${var.name}-live-streaming"
  container_name  = lsms_container.this.name
  distribution_id = lsms_distribution.this.id
}
