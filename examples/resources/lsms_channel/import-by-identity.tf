import {
  to       = lsms_channel.live
  identity = { id = "1234567", region = "us-east-1" }
}
