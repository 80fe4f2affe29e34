# Check, before anything is created, that a player's smallest size exists.
variable "profile" {
  type    = string
  default = "HD-720p"
  validation {
    condition     = contains([for r in provider::lsms::encoding_profile_renditions(var.profile) : r.height], 288)
    error_message = "The profile must have a 288-line rendition for mobile players."
  }
}
