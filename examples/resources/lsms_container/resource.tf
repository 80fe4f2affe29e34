resource "lsms_container" "origin" {
  name          = "live-event"
  force_destroy = true

  # Keep the solution's defaults (HTTPS-only reads restricted to the CDN,
  # CORS GET from anywhere, segments expire after 300 s) or override them:
  lifecycle_rules = [
    { path_wildcard = "stream/*.ts", seconds_since_create = 120, action = "EXPIRE" },
  ]

  tags = {
    event = "live-event"
  }
}
