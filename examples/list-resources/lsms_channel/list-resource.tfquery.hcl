# terraform query -generate-config-out=adopted.tf
list "lsms_channel" "events" {
  provider = lsms
  config {
    name_prefix = "event-"
    tags        = { team = "live" }
    state       = "IDLE"
  }
}
