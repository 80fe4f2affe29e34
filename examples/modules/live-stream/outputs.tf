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

output "container_endpoint" {
  description = "The MediaStore container's data endpoint."
  value       = lsms_container.this.endpoint
}

output "dashboard_name" {
  description = "The CloudWatch dashboard over the container's access logs."
  value       = lsms_dashboard.this.name
}

output "console_links" {
  description = "AWS console pages of the stream's parts."
  value = {
    medialive  = "https://console.aws.amazon.com/medialive/home#/channels/${lsms_channel.this.id}"
    mediastore = "https://console.aws.amazon.com/mediastore/home/containers/${lsms_container.this.name}"
    cloudfront = "https://console.aws.amazon.com/cloudfront/v4/home#/distributions/${lsms_distribution.this.id}"
    dashboard  = lsms_dashboard.this.console_url
  }
}
