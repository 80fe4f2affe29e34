# A player or a dashboard built elsewhere: the renditions of the ladder.
data "lsms_encoding_profile" "hd" {
  name = "HD-720p"
}

output "renditions" {
  value = [for r in data.lsms_encoding_profile.hd.renditions :
  "${r.width}x${r.height} at ${r.bitrate / 1000} kbit/s (+${r.audio_bitrate / 1000} audio)"]
}
