resource "lsms_dashboard" "monitoring" {
  name            = "live-event-us-east-1"
  container_name  = lsms_container.origin.name
  distribution_id = lsms_distribution.cdn.id
}

# The same data points for an S3 origin, from the bucket's request metrics.
resource "lsms_dashboard" "monitoring_s3" {
  name              = "live-event-s3-us-east-1"
  bucket_name       = lsms_bucket.origin.name
  metrics_filter_id = lsms_bucket.origin.metrics_filter_id
  distribution_id   = lsms_distribution.cdn.id
}
