# The complete live streaming solution with an S3 bucket as its origin, the
# way AWS's successor solution ("Live Streaming on AWS with Amazon S3") runs
# it: MediaLive writes the HLS ladder into the bucket, CloudFront reads it
# through an Origin Access Control, a CloudWatch dashboard shows the
# bucket's request metrics and the distribution's traffic, and the demo
# player at player_url is served by the same distribution. Defaults: an
# RTMP push input (the solution's demo source, which its URL_PULL default
# pulled, no longer exists: push the test card of the test_card_command
# output, or OBS; URL_PULL takes your own source), the HD-720p ladder, and
# the channel left stopped. This is the example to deploy on AWS today:
#
#   tofu apply -var 'input_cidr=["<your public IP>/32"]' -var channel_start=true
#   eval "$(tofu output -raw test_card_command)"   # or OBS: tofu output obs_settings
#   # then open the player_url output in a browser
#
# Against real AWS: credentials and region as for any AWS tool
# (AWS_PROFILE, AWS_REGION, ...). Against the local emulator: `make demo`,
# or set AWS_ENDPOINT_URL (see README.md).

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
      solution = "live-streaming-on-aws-with-amazon-s3"
    }
  }
}

module "live" {
  source = "../modules/live-stream"

  origin           = "s3"
  name             = var.name
  input_type       = var.input_type
  input_device_id  = var.input_device_id
  input_cidr       = var.input_cidr
  pull_url         = var.pull_url
  pull_user        = var.pull_user
  pull_pass        = var.pull_pass
  encoding_profile = var.encoding_profile
  channel_start    = var.channel_start
  bucket_name      = var.bucket_name
  force_destroy    = var.force_destroy
}
