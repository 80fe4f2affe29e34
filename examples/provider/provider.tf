provider "lsms" {
  region = "us-east-1"

  # Optional: a named profile, an assumed role, tags on everything.
  profile = "media"
  assume_role {
    role_arn = "arn:aws:iam::123456789012:role/live-streaming-deploy"
  }
  default_tags {
    tags = {
      solution = "live-streaming-on-aws-with-mediastore"
    }
  }
}
