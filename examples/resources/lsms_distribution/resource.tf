# The S3 origin (the successor of MediaStore, deployable on AWS today): the
# distribution reads the bucket through an Origin Access Control, and the
# bucket policy lets only this distribution read objects.
resource "lsms_distribution" "cdn" {
  origin_bucket        = lsms_bucket.origin.name
  comment              = "live-event"
  manifest_ttl_seconds = 2
  segment_ttl_seconds  = 86400
}

# The MediaStore origin (MediaStore reached end of support on 2025-11-13).
resource "lsms_distribution" "cdn_mediastore" {
  origin_endpoint = lsms_container.origin.endpoint
  origin_secret   = lsms_container.origin.origin_secret
}

output "live_stream_url" {
  value = lsms_distribution.cdn.live_stream_url
}
