# A distribution in its own configuration, in front of a container another one
# manages (MediaStore has ended: for stacks being migrated to S3).
data "lsms_container" "origin" {
  name = "live-event"
}

resource "lsms_distribution" "cdn" {
  origin_endpoint = data.lsms_container.origin.endpoint
  origin_secret   = data.lsms_container.origin.origin_secret
}
