# Plan-time checks of the module's variables: bad values fail before any
# AWS call. Run with `tofu test` (make test runs it against the emulator).

provider "lsms" {
  region                      = "us-east-1"
  access_key                  = "AKIAIOSFODNN7EXAMPLE"
  secret_key                  = "not-a-real-secret-tftest"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
}

variables {
  name = "tftest"
}

run "defaults_plan_a_push_stream_with_a_player" {
  command = plan

  assert {
    condition     = lsms_channel.this.input_type == "RTMP_PUSH"
    error_message = "The default input type is RTMP_PUSH: the solution's former URL_PULL demo source no longer exists."
  }
  assert {
    condition     = lsms_channel.this.pull_url == null && var.pull_url == null
    error_message = "No pull source by default."
  }
  assert {
    condition     = lsms_channel.this.input_cidr == tolist(["0.0.0.0/0"])
    error_message = "A push input carries the default CIDR."
  }
  assert {
    condition     = lsms_channel.this.encoding_profile == "HD-720p"
    error_message = "The default encoding profile is HD-720p."
  }
  assert {
    condition     = lsms_dashboard.this.name == "tftest-live-streaming"
    error_message = "The dashboard is named after the stream."
  }
  assert {
    condition     = length(lsms_bucket.this) == 1 && length(lsms_container.this) == 0
    error_message = "The default origin is an S3 bucket, not a MediaStore container."
  }
  assert {
    condition     = lsms_bucket.this[0].name_prefix == "tftest-"
    error_message = "The bucket name is generated from the stream's name."
  }
  assert {
    condition     = lsms_channel.this.container_endpoint == null && lsms_distribution.this.origin_endpoint == null
    error_message = "An S3 stream has no MediaStore endpoint anywhere."
  }
  assert {
    condition     = length(lsms_player.this) == 1 && lsms_player.this[0].prefix == "player/" && lsms_player.this[0].container_endpoint == null
    error_message = "The demo player is written into the bucket under player/."
  }
  assert {
    condition     = lsms_player.this[0].title == "Live stream tftest"
    error_message = "The player is titled after the stream."
  }
}

run "player_can_be_left_out" {
  command = plan
  variables {
    player = false
  }
  assert {
    condition     = length(lsms_player.this) == 0 && output.player_url == null
    error_message = "player = false deploys no player."
  }
}

run "pull_input_needs_its_source" {
  command = plan
  variables {
    input_type = "URL_PULL"
  }
  expect_failures = [lsms_channel.this]
}

run "mediastore_origin_plans_a_container" {
  command = plan
  variables {
    origin = "mediastore"
  }
  assert {
    condition     = length(lsms_container.this) == 1 && length(lsms_bucket.this) == 0
    error_message = "origin = mediastore stores the stream in a container."
  }
  assert {
    condition     = lsms_channel.this.destination_bucket == null && lsms_distribution.this.origin_bucket == null
    error_message = "A MediaStore stream has no bucket anywhere."
  }
  assert {
    condition     = lsms_dashboard.this.container_name == "tftest"
    error_message = "The dashboard reads the container's access logs."
  }
  assert {
    condition     = lsms_player.this[0].bucket == null
    error_message = "A MediaStore stream's player is written into the container."
  }
}

run "bucket_name_overrides_the_prefix" {
  command = plan
  variables {
    name        = "Concert_2026"
    bucket_name = "concert-2026-origin"
  }
  assert {
    condition     = lsms_bucket.this[0].name == "concert-2026-origin" && lsms_bucket.this[0].name_prefix == null
    error_message = "bucket_name names the bucket."
  }
}

run "rejects_unknown_origin" {
  command = plan
  variables {
    origin = "mediapackage"
  }
  expect_failures = [var.origin]
}

run "push_input_gets_cidrs" {
  command = plan
  variables {
    input_type = "RTMP_PUSH"
    input_cidr = ["203.0.113.0/24"]
  }
  assert {
    condition     = lsms_channel.this.input_cidr == tolist(["203.0.113.0/24"])
    error_message = "A push input carries the CIDRs."
  }
  assert {
    condition     = lsms_channel.this.pull_url == null
    error_message = "A push input takes no pull_url."
  }
}

run "rejects_unknown_input_type" {
  command = plan
  variables {
    input_type = "SRT_CALLER"
  }
  expect_failures = [var.input_type]
}

run "rejects_unknown_profile" {
  command = plan
  variables {
    encoding_profile = "UHD-2160p"
  }
  expect_failures = [var.encoding_profile]
}

run "rejects_bad_name" {
  command = plan
  variables {
    name = "not a valid name"
  }
  expect_failures = [var.name]
}

run "rejects_bad_cidr" {
  command = plan
  variables {
    input_type = "RTP_PUSH"
    input_cidr = ["10.0.0.300/24"]
  }
  expect_failures = [var.input_cidr]
}

run "rejects_non_http_pull_url" {
  command = plan
  variables {
    input_type = "URL_PULL"
    pull_url   = "ftp://example.com/live.m3u8"
  }
  expect_failures = [var.pull_url]
}

run "pull_input_takes_its_source" {
  command = plan
  variables {
    input_type = "URL_PULL"
    pull_url   = "https://example.com/live/index.m3u8"
  }
  assert {
    condition     = lsms_channel.this.pull_url == "https://example.com/live/index.m3u8" && lsms_channel.this.input_cidr == null
    error_message = "A pull input carries the pull URL and no CIDRs."
  }
}
