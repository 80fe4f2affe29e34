variable "region" {
  description = "AWS region to deploy to."
  type        = string
  default     = "us-east-1"
}

variable "name" {
  description = "Name of the stream (the solution used the stack name)."
  type        = string
  default     = "live-streaming"
}

variable "input_type" {
  description = "RTMP_PUSH (the default: push the test card of the test_card_command output, or OBS), RTP_PUSH, URL_PULL (your own HLS source in pull_url) or INPUT_DEVICE."
  type        = string
  default     = "RTMP_PUSH"
}

variable "input_device_id" {
  description = "AWS Elemental Link device ID (INPUT_DEVICE only)."
  type        = string
  default     = null
}

variable "input_cidr" {
  description = "CIDR blocks allowed to push (RTP_PUSH and RTMP_PUSH only). Narrow it to your own address (\"203.0.113.7/32\") on AWS: anyone inside may push to the channel."
  type        = list(string)
  default     = ["0.0.0.0/0"]
}

variable "pull_url" {
  description = "Your HLS source to pull (URL_PULL only; required then). No default: the solution's former demo source no longer exists."
  type        = string
  default     = null
}

variable "pull_user" {
  description = "Basic-auth user of the pull source."
  type        = string
  default     = null
}

variable "pull_pass" {
  description = "Basic-auth password of the pull source."
  type        = string
  default     = null
  sensitive   = true
}

variable "encoding_profile" {
  description = "HD-1080p, HD-720p or SD-540p."
  type        = string
  default     = "HD-720p"
}

variable "channel_start" {
  description = "Start the channel after it is created."
  type        = bool
  default     = false
}

variable "bucket_name" {
  description = "Name of the S3 bucket; default: generated from name with a random suffix (bucket names are global)."
  type        = string
  default     = null
}

variable "force_destroy" {
  description = "Let destroy delete the stream's segments and manifests with the bucket. Without it, destroying a bucket the channel wrote to fails (its objects expire after a day)."
  type        = bool
  default     = false
}
