resource "lsms_dashboard" "monitoring" {
  name            = "live-event-us-east-1"
  container_name  = lsms_container.origin.name
  distribution_id = lsms_distribution.cdn.id
}
