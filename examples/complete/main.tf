# The complete "Live Streaming on AWS with MediaStore" solution: an RTMP
# push input (the solution's demo source, which its URL_PULL default pulled,
# no longer exists: push the test card of the test_card_command output, or
# OBS, instead; URL_PULL takes your own source), the HD-720p ladder, the
# channel left stopped, and the demo player at player_url. AWS discontinued
# MediaStore on 2025-11-13: this runs against the local emulator only. On
# AWS today use examples/complete-s3, the same stream with an S3 bucket as
# its origin.
#
# Against the local emulator: `make demo ORIGIN=mediastore`, or set
# AWS_ENDPOINT_URL (see README.md).

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
  default_tags {
    tags = {
      solution = "live-streaming-on-aws-with-mediastore"
    }
  }
}

module "live" {
  source = "../modules/live-stream"

  origin           = "mediastore"
  name             = var.name
  input_type       = var.input_type
  input_device_id  = var.input_device_id
  input_cidr       = var.input_cidr
  pull_url         = var.pull_url
  pull_user        = var.pull_user
  pull_pass        = var.pull_pass
  encoding_profile = var.encoding_profile
  channel_start    = var.channel_start
  force_destroy    = var.force_destroy
}
