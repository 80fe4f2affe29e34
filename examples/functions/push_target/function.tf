# What to type into OBS (Settings > Stream, Service "Custom...").
output "obs" {
  value = {
    server     = provider::lsms::push_target(lsms_channel.live.input_endpoints[0]).server
    stream_key = provider::lsms::push_target(lsms_channel.live.input_endpoints[0]).stream_key
  }
}
