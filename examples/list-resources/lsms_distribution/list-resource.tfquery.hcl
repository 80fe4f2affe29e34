# terraform query -generate-config-out=adopted.tf: the distributions of one bucket.
list "lsms_distribution" "cdn" {
  provider = lsms
  config {
    origin_bucket = "live-event-origin"
  }
}
