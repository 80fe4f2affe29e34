resource "lsms_bucket" "origin" {
  name_prefix   = "live-event-"
  force_destroy = true

  # Keep the defaults (all four Block Public Access settings on, ACLs
  # disabled, CORS GET/HEAD from anywhere, stream/ segments expire after
  # 1 day, request metrics "EntireBucket") or override them:
  lifecycle_rules = [
    { prefix = "stream/", expiration_days = 1 },
    { prefix = "archive/", expiration_days = 30 },
  ]

  logging_bucket = "my-access-logs"
  logging_prefix = "live-event/"

  tags = {
    event = "live-event"
  }
}

# The dashboard reads the bucket's request metrics.
resource "lsms_dashboard" "live" {
  name              = "live-event"
  bucket_name       = lsms_bucket.origin.name
  metrics_filter_id = lsms_bucket.origin.metrics_filter_id
}
