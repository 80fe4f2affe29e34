# terraform query -generate-config-out=adopted.tf
list "lsms_player" "players" {
  provider = lsms
  config {
    bucket = "live-event-origin"
  }
}
