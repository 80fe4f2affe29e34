# Several independent streams from one map: the live-stream module reused
# with for_each, each stream with its own origin (an S3 bucket, or a
# MediaStore container with origin = "mediastore"), channel, distribution,
# dashboard and demo player. A stream of input_type URL_PULL takes your own
# HLS source in its pull_url.

terraform {
  required_version = ">= 1.6"
  required_providers {
    lsms = {
      source  = "lsms/lsms"
      version = ">= 0.1.0"
    }
  }
}

provider "lsms" {
  region = var.region
}

variable "region" {
  description = "AWS region to deploy to."
  type        = string
  default     = "us-east-1"
}

variable "origin" {
  description = "Origin of every stream: s3 (AWS today) or mediastore (emulators only since MediaStore's end of support)."
  type        = string
  default     = "s3"
}

variable "prefix" {
  description = "Prefix of every stream's name."
  type        = string
  default     = "event"
}

variable "force_destroy" {
  description = "Let destroy delete the streams' segments and manifests with their buckets or containers (a started channel writes them)."
  type        = bool
  default     = false
}

variable "streams" {
  description = "The streams to run, by short name; channel_start runs a stream's channel (billed while it runs)."
  type = map(object({
    input_type       = string
    encoding_profile = string
    input_cidr       = optional(list(string), ["0.0.0.0/0"])
    pull_url         = optional(string)
    channel_start    = optional(bool, false)
  }))
  default = {
    concert = {
      input_type       = "RTMP_PUSH"
      encoding_profile = "HD-1080p"
      input_cidr       = ["203.0.113.0/24"]
    }
    keynote = {
      input_type       = "RTMP_PUSH"
      encoding_profile = "SD-540p"
      input_cidr       = ["198.51.100.0/24"]
    }
    backstage = {
      input_type       = "RTP_PUSH"
      encoding_profile = "HD-720p"
      input_cidr       = ["198.51.100.0/24"]
    }
  }
}

module "stream" {
  source   = "../modules/live-stream"
  for_each = var.streams

  origin           = var.origin
  name             = "${var.prefix}-${each.key}"
  input_type       = each.value.input_type
  encoding_profile = each.value.encoding_profile
  input_cidr       = each.value.input_cidr
  pull_url         = each.value.pull_url
  channel_start    = each.value.channel_start
  force_destroy    = var.force_destroy
  tags             = { stream = each.key }
}

output "live_stream_urls" {
  description = "Playback URL of every stream, by name."
  value       = { for name, s in module.stream : name => s.live_stream_url }
}

output "player_urls" {
  description = "The demo player of every stream, by name."
  value       = { for name, s in module.stream : name => s.player_url }
}

output "test_card_commands" {
  description = "The ffmpeg command pushing a test card to each push stream, by name."
  value       = { for name, s in module.stream : name => s.test_card_command if s.test_card_command != null }
}

output "streams" {
  description = "Everything about every stream, by name."
  value = {
    for name, s in module.stream : name => {
      live_stream_url    = s.live_stream_url
      player_url         = s.player_url
      channel_id         = s.medialive_channel_id
      push_endpoints     = s.medialive_push_endpoints
      dashboard_name     = s.dashboard_name
      bucket_name        = s.bucket_name
      container_endpoint = s.container_endpoint
    }
  }
}
