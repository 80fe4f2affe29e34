# The stream's demo player, written into the stream's bucket and served by
# the stream's distribution: https://<distribution domain>/player/index.html
resource "lsms_player" "demo" {
  bucket      = lsms_bucket.origin.name # or container_endpoint = lsms_container.origin.endpoint
  domain_name = lsms_distribution.live.domain_name
  title       = "Live event"
  channel_id  = lsms_channel.live.id # named in the page's "not running" message

  # The defaults: the page under player/, playing /stream/index.m3u8,
  # cached 60 s by browsers and CloudFront.
  # prefix          = "player/"
  # stream_path     = "stream/index"
  # max_age_seconds = 60
}

output "player_url" {
  value = lsms_player.demo.url
}
