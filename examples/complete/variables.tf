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
  description = "RTP_PUSH, RTMP_PUSH, URL_PULL or INPUT_DEVICE."
  type        = string
  default     = "URL_PULL"
}

variable "input_device_id" {
  description = "AWS Elemental Link device ID (INPUT_DEVICE only)."
  type        = string
  default     = null
}

variable "input_cidr" {
  description = "CIDR blocks allowed to push (RTP_PUSH and RTMP_PUSH only)."
  type        = list(string)
  default     = ["0.0.0.0/0"]
}

variable "pull_url" {
  description = "HLS source to pull (URL_PULL only); the solution's demo source by default."
  type        = string
  default     = "https://d15an60oaeed9r.cloudfront.net/live_stream_v2/sports_reel_with_markers.m3u8"
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

variable "force_destroy" {
  description = "Let destroy delete the stream's segments and manifests with the container. Without it, destroying a container the channel wrote to fails (MediaStore deletes only empty containers)."
  type        = bool
  default     = false
}
