# The parameters of the "Live Streaming on AWS" stacks (MediaStore and S3).

variable "origin" {
  description = "Where MediaLive writes the stream and CloudFront reads it: \"s3\" (an S3 bucket behind an Origin Access Control, what AWS runs today) or \"mediastore\" (a MediaStore container; the service was discontinued on 2025-11-13, so only emulators serve it)."
  type        = string
  default     = "s3"
  validation {
    condition     = contains(["s3", "mediastore"], var.origin)
    error_message = "The origin must be \"s3\" or \"mediastore\"."
  }
}

variable "bucket_name" {
  description = "Name of the S3 bucket (origin = s3). Default: generated from the stream's name with a random suffix (bucket names are global)."
  type        = string
  default     = null
}

variable "force_destroy" {
  description = "Let destroy delete the stream's objects (segments and manifests) with the bucket or container. Without it, destroying an origin that still holds objects fails."
  type        = bool
  default     = false
}

variable "name" {
  description = "Name of the stream: names the container, the MediaLive input and channel, and the dashboard."
  type        = string
  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,48}$", var.name))
    error_message = "The name must be 1 to 48 letters, digits, '-' or '_'."
  }
}

variable "input_type" {
  description = "MediaLive input type: RTMP_PUSH (the default: push the test card of the test_card_command output, or OBS, to the channel), RTP_PUSH, URL_PULL (pull_url: your own HLS source) or INPUT_DEVICE (AWS Elemental Link)."
  type        = string
  default     = "RTMP_PUSH"
  validation {
    condition     = contains(["RTP_PUSH", "RTMP_PUSH", "URL_PULL", "INPUT_DEVICE"], var.input_type)
    error_message = "The input_type must be one of RTP_PUSH, RTMP_PUSH, URL_PULL or INPUT_DEVICE."
  }
}

variable "input_device_id" {
  description = "ID of the AWS Elemental Link device (INPUT_DEVICE only)."
  type        = string
  default     = null
}

variable "input_cidr" {
  description = "CIDR blocks allowed to push to the input (RTP_PUSH and RTMP_PUSH only)."
  type        = list(string)
  default     = ["0.0.0.0/0"]
  validation {
    condition     = alltrue([for c in var.input_cidr : can(cidrhost(c, 0))])
    error_message = "Every input_cidr entry must be a CIDR block such as 203.0.113.0/24."
  }
}

variable "pull_url" {
  description = "HLS source the channel pulls (URL_PULL only; required then): your own stream, such as https://example.com/live/index.m3u8. There is no default: the solution's former demo source no longer exists."
  type        = string
  default     = null
  validation {
    condition     = var.pull_url == null || can(regex("^https?://", var.pull_url))
    error_message = "The pull_url must be an http:// or https:// URL."
  }
}

variable "pull_user" {
  description = "User name for the pull source, if it needs basic authentication (URL_PULL only)."
  type        = string
  default     = null
}

variable "pull_pass" {
  description = "Password for the pull source (URL_PULL only). Stored as an SSM SecureString."
  type        = string
  default     = null
  sensitive   = true
}

variable "encoding_profile" {
  description = "Encoding ladder: HD-1080p (1080p down to 288p), HD-720p (720p down) or SD-540p (540p down)."
  type        = string
  default     = "HD-720p"
  validation {
    condition     = contains(["HD-1080p", "HD-720p", "SD-540p"], var.encoding_profile)
    error_message = "The encoding_profile must be one of HD-1080p, HD-720p or SD-540p."
  }
}

variable "channel_start" {
  description = "Start the MediaLive channel once it is created."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags for every resource of the stream."
  type        = map(string)
  default     = {}
}

variable "player" {
  description = "Deploy the demo player (lsms_player) next to the stream: a page served by the stream's own distribution at player_url."
  type        = bool
  default     = true
}
