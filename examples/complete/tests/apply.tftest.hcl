# Applies the complete example (against the local emulator when
# AWS_ENDPOINT_URL points at it, as `make test` does) and checks its outputs;
# `tofu test` destroys everything afterwards.

variables {
  name = "tftest-complete"
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
    condition     = length(output.medialive_push_endpoints) >= 1 && alltrue([for u in output.medialive_push_endpoints : startswith(u, "rtmp://")])
    error_message = "The default RTMP push input has rtmp:// push endpoints."
  }
  assert {
    condition     = output.test_card_command == "ffmpeg -re -f lavfi -i testsrc2=size=1280x720:rate=30 -f lavfi -i sine=frequency=440:sample_rate=48000 -c:v libx264 -preset veryfast -tune zerolatency -pix_fmt yuv420p -g 60 -b:v 3500k -maxrate 3500k -bufsize 7000k -c:a aac -b:a 128k -ar 48000 -f flv ${output.medialive_push_endpoints[0]}"
    error_message = "test_card_command pushes an HD-720p test card to the first push endpoint."
  }
  assert {
    condition     = "${output.obs_settings.server}/${output.obs_settings.stream_key}" == output.medialive_push_endpoints[0] && output.obs_settings.stream_key == "stream"
    error_message = "obs_settings splits the push endpoint into OBS's server and stream key."
  }
  assert {
    condition     = can(regex("^https://[a-z0-9]+\\.cloudfront\\.net/player/index\\.html$", output.player_url)) && split("/", output.player_url)[2] == split("/", output.live_stream_url)[2]
    error_message = "The player is served by the stream's own distribution, under player/."
  }
  assert {
    condition     = output.dashboard_name == "tftest-complete-live-streaming"
    error_message = "The dashboard is named after the stream."
  }
  assert {
    condition     = startswith(output.container_endpoint, "http")
    error_message = "The container endpoint is a URL."
  }
}

run "pull_variant_takes_its_source" {
  command = apply
  variables {
    input_type = "URL_PULL"
    pull_url   = "https://example.com/live/index.m3u8"
  }
  assert {
    condition     = length(output.medialive_push_endpoints) == 0 && output.test_card_command == null && output.obs_settings == null
    error_message = "A URL_PULL input has no push endpoints and nothing to push."
  }
  assert {
    condition     = can(regex("^https://[a-z0-9]+\\.cloudfront\\.net/player/index\\.html$", output.player_url))
    error_message = "A pull stream has its player too."
  }
}
