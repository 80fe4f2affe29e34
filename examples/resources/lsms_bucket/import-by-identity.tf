import {
  to       = lsms_bucket.origin
  identity = { name = "live-event-origin" }
}
