import {
  to       = lsms_distribution.cdn
  identity = { id = "E2QWRUHAPOMQZL" }
}
