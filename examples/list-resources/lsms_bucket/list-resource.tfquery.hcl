# terraform query -generate-config-out=adopted.tf
list "lsms_bucket" "origins" {
  provider = lsms
  config {
    name_prefix = "live-"
  }
}
