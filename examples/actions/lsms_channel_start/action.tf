# terraform apply -invoke=action.lsms_channel_start.go_live
action "lsms_channel_start" "go_live" {
  config {
    channel_id = lsms_channel.live.id
  }
}

resource "lsms_channel" "live" {
  name               = "live-event"
  input_type         = "RTMP_PUSH"
  input_cidr         = ["203.0.113.0/24"]
  destination_bucket = lsms_bucket.origin.name

  # The actions decide when the channel runs: the plan leaves it alone.
  lifecycle {
    ignore_changes = [channel_start]
  }
}
