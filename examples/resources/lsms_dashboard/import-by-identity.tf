import {
  to       = lsms_dashboard.monitoring
  identity = { name = "live-event-us-east-1" }
}
