# A player in an S3 bucket: the bucket and the player's prefix.
import {
  to       = lsms_player.demo
  identity = { bucket = "live-event-origin", prefix = "player/" }
}

# A player in a MediaStore container: its data endpoint and the prefix.
# import {
#   to       = lsms_player.demo
#   identity = {
#     container_endpoint = "https://abcdefghijklmn.data.mediastore.us-east-1.amazonaws.com"
#     prefix             = "player/"
#   }
# }
