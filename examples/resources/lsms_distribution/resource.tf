resource "lsms_distribution" "cdn" {
  origin_endpoint      = lsms_container.origin.endpoint
  origin_secret        = lsms_container.origin.origin_secret
  comment              = "live-event"
  manifest_ttl_seconds = 2
  segment_ttl_seconds  = 86400
}

output "live_stream_url" {
  value = lsms_distribution.cdn.live_stream_url
}
