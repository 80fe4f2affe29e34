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
