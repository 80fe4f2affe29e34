resource "lsms_channel" "live" {
  name               = "live-event"
  input_type         = "RTMP_PUSH"
  input_cidr         = ["203.0.113.0/24"]
  encoding_profile   = "HD-1080p"
  container_endpoint = lsms_container.origin.endpoint
  channel_start      = true
}

output "push_to" {
  value = lsms_channel.live.input_endpoints
}
