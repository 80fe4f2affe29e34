import {
  to       = lsms_container.origin
  identity = { name = "live-event" }
}
