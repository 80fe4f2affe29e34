# terraform query: the containers left to migrate to S3 origins.
list "lsms_container" "legacy" {
  provider = lsms
}
