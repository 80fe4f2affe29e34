# terraform query -generate-config-out=adopted.tf
list "lsms_dashboard" "ops" {
  provider = lsms
  config {
    name_prefix = "live-"
    tags        = { team = "live" }
  }
}
