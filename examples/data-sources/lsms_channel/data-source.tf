# A stream managed in another configuration: push to it, and watch its state.
data "lsms_channel" "event" {
  name = "live-event"
}

output "push_to" {
  value = data.lsms_channel.event.input_endpoints
}

output "obs_settings" {
  value = provider::lsms::push_target(data.lsms_channel.event.input_endpoints[0])
}

output "on_air" {
  value = data.lsms_channel.event.state == "RUNNING"
}
