# A player in an S3 bucket: s3://<bucket>/<prefix>
tofu import lsms_player.demo s3://live-event-origin/player/
# A player in a MediaStore container: <container endpoint>#<prefix>
tofu import lsms_player.demo 'https://abcdefghijklmn.data.mediastore.us-east-1.amazonaws.com#player/'
