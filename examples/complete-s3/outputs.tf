output "player_url" {
  description = "The demo player, served by the stream's distribution: open it to watch the stream."
  value       = module.live.player_url
}

output "test_card_command" {
  description = "Pushes a test card to the channel with ffmpeg (push inputs; run it once the channel is running)."
  value       = module.live.test_card_command
}

output "obs_settings" {
  description = "OBS stream settings (Service \"Custom...\") for the channel's RTMP push input."
  value       = module.live.obs_settings
}

output "live_stream_url" {
  description = "CloudFront HLS playback URL."
  value       = module.live.live_stream_url
}

output "medialive_push_endpoints" {
  description = "MediaLive push endpoints (push inputs only)."
  value       = module.live.medialive_push_endpoints
}

output "medialive_channel_id" {
  description = "MediaLive channel id."
  value       = module.live.medialive_channel_id
}

output "bucket_name" {
  description = "S3 bucket holding the stream."
  value       = module.live.bucket_name
}

output "dashboard_name" {
  description = "CloudWatch dashboard name."
  value       = module.live.dashboard_name
}

output "console_links" {
  description = "Console links."
  value       = module.live.console_links
}
