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
