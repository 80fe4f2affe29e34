# A dashboard in its own configuration, over a bucket another one manages.
data "lsms_bucket" "origin" {
  name = "live-event-origin"
}

resource "lsms_dashboard" "ops" {
  name              = "live-event-ops"
  bucket_name       = data.lsms_bucket.origin.name
  metrics_filter_id = data.lsms_bucket.origin.metrics_filter_id
  region            = data.lsms_bucket.origin.region
}
