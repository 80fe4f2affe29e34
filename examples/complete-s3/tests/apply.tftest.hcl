# Applies the complete S3 example (against the local emulator when
# AWS_ENDPOINT_URL points at it, as `make test` does) and checks its outputs;
# `tofu test` destroys everything afterwards.

variables {
  name = "tftest-complete-s3"
}

run "apply_complete_solution" {
  command = apply

  assert {
    condition     = can(regex("^https://[a-z0-9]+\\.cloudfront\\.net/stream/index\\.m3u8$", output.live_stream_url))
    error_message = "The live stream URL is the CloudFront domain plus stream/index.m3u8."
  }
  assert {
    condition     = length(output.medialive_channel_id) > 0
    error_message = "The channel has an id."
  }
  assert {
    condition     = length(output.medialive_push_endpoints) == 0
    error_message = "A URL_PULL input has no push endpoints."
  }
  assert {
    condition     = output.dashboard_name == "tftest-complete-s3-live-streaming"
    error_message = "The dashboard is named after the stream."
  }
  assert {
    condition     = startswith(output.bucket_name, "tftest-complete-s3-")
    error_message = "The bucket name is generated from the stream's name."
  }
  assert {
    condition     = module.live.origin == "s3"
    error_message = "The S3 example stores the stream in a bucket."
  }
}

run "push_variant_has_endpoints" {
  command = apply
  variables {
    input_type = "RTMP_PUSH"
    input_cidr = ["203.0.113.0/24"]
  }
  assert {
    condition     = length(output.medialive_push_endpoints) >= 1
    error_message = "An RTMP push input has push endpoints."
  }
  assert {
    condition     = alltrue([for u in output.medialive_push_endpoints : startswith(u, "rtmp://")])
    error_message = "RTMP push endpoints are rtmp:// URLs."
  }
}
