# The stream's URL on a custom domain (an alias of the distribution).
output "watch" {
  value = provider::lsms::playback_url("live.example.com", lsms_channel.live.stream_path)
}
