output "live_stream_url" {
  description = "The HLS playback URL through CloudFront."
  value       = lsms_distribution.this.live_stream_url
}

output "medialive_push_endpoints" {
  description = "Where to push the source (RTP_PUSH and RTMP_PUSH inputs; empty otherwise)."
  value       = lsms_channel.this.input_endpoints
}

output "medialive_channel_id" {
  description = "The MediaLive channel id."
  value       = lsms_channel.this.id
}

output "origin" {
  description = "Where the stream is stored: s3 or mediastore."
  value       = var.origin
}

output "bucket_name" {
  description = "The S3 bucket holding the stream (origin = s3; null otherwise)."
  value       = local.s3 ? lsms_bucket.this[0].name : null
}

output "container_endpoint" {
  description = "The MediaStore container's data endpoint (origin = mediastore; null otherwise)."
  value       = local.mediastore ? lsms_container.this[0].endpoint : null
}

output "dashboard_name" {
  description = "The CloudWatch dashboard of the origin's traffic and the distribution."
  value       = lsms_dashboard.this.name
}

output "console_links" {
  description = "AWS console pages of the stream's parts."
  value = merge({
    medialive  = "https://console.aws.amazon.com/medialive/home#/channels/${lsms_channel.this.id}"
    cloudfront = "https://console.aws.amazon.com/cloudfront/v4/home#/distributions/${lsms_distribution.this.id}"
    dashboard  = lsms_dashboard.this.console_url
    }, local.s3 ? {
    s3 = "https://console.aws.amazon.com/s3/buckets/${lsms_bucket.this[0].name}"
    } : {
    mediastore = "https://console.aws.amazon.com/mediastore/home/containers/${lsms_container.this[0].name}"
  })
}

output "player_url" {
  description = "The demo player: open it in a browser to watch the stream (null when player = false)."
  value       = var.player ? lsms_player.this[0].url : null
}

output "test_card_command" {
  description = "The ffmpeg command that pushes a test card (moving colour bars with a clock, and a tone) to the channel's push endpoint; run it once the channel is running. Null for URL_PULL and INPUT_DEVICE inputs."
  value       = local.test_card_command
}

output "obs_settings" {
  description = "What to enter in OBS (Settings > Stream, Service \"Custom...\") to stream to the channel instead of the test card (RTMP_PUSH only; null otherwise)."
  value = local.obs_parts == null ? null : {
    server     = local.obs_parts[0]
    stream_key = local.obs_parts[1]
  }
}
