terraform {
  required_version = ">= 1.6"
  required_providers {
    lsms = {
      source  = "lsms/lsms"
      version = ">= 0.1.0"
    }
  }
}
