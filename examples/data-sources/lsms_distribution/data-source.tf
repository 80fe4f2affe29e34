# The distribution of a stream managed elsewhere: its playback URL and domain.
data "lsms_distribution" "event" {
  id          = "E2QWRUHAPOMQZL"
  stream_path = "event/index"
}

output "watch" {
  value = data.lsms_distribution.event.live_stream_url
}

output "ready" {
  value = data.lsms_distribution.event.status == "Deployed"
}
