# terraform apply -invoke=action.lsms_channel_stop.off_air
action "lsms_channel_stop" "off_air" {
  config {
    channel_id = data.lsms_channel.event.id
    timeout    = "10m"
  }
}

data "lsms_channel" "event" {
  name = "live-event"
}
