"""MediaLive's HLS output stage: what the encoder wrote locally, written to
the destination as MediaLive writes it.

ffmpeg writes the pipeline's HLS into a private folder; `Uploader` mirrors it
to the destination through the emulator's own S3 or MediaStore data plane,
signed with the credentials the pipeline obtained by assuming the channel's
role, so that every PutObject and DeleteObject is authenticated and
authorized against that role's policies like any other request (README,
"MediaLive media plane"):

- a segment is written once complete (ffmpeg renames it into place), before
  the first playlist that lists it; a media playlist after its segments; the
  master manifest once every rendition has a playlist;
- a segment ffmpeg drops from the folder (KeepSegments) is deleted from the
  destination;
- a playlist that ends (#EXT-X-ENDLIST, written by an encoder that stops) is
  not written: MediaLive's live playlists stay open;
- objects carry Content-Type application/vnd.apple.mpegurl (playlists) or
  video/MP2T (segments), RFC 8216 section 4, and no Cache-Control: neither
  HlsS3Settings (CannedAcl only) nor HlsMediaStoreSettings offer one, and
  MediaStore returns none for an object uploaded without it (MediaStore user
  guide, "interaction with HTTP caches").

A write that fails is retried (numRetries, default 3, connectionRetryInterval
seconds apart, default 1); when the retries are spent the channel gets the
alert MediaLive documents for it (6015 "Failed to Get HTTP Output Token" for
401/403, 6006 "Failed to Write to Output" otherwise, 6008 "Failed to Delete
Output File" for deletes), cleared once a write succeeds again.
"""

import os
import re
import threading
import time

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

PLAYLIST_TYPE = "application/vnd.apple.mpegurl"
SEGMENT_TYPE = "video/MP2T"


def _whole_playlist(text):
    """A playlist ffmpeg finished writing: an encoder that is being stopped
    leaves its playlists empty for a moment (seen in the playback suite: an
    empty index_512x288.m3u8 uploaded at StopChannel), which MediaLive never
    writes; such a read is skipped, not uploaded."""
    return text.startswith("#EXTM3U") and text.endswith("\n")


class Uploader:
    def __init__(self, pipeline, folder, destination, base, variant_names, master_name, plan, credentials):
        self.pipeline = pipeline  # reports alerts and progress
        self.folder = folder
        self.dest = destination
        self.base = base  # "index"
        self.variants = variant_names  # playlist file names, e.g. index_960x540.m3u8
        self.master = master_name
        self.plan = plan
        self.credentials = credentials  # callable -> (key, secret, token)
        self.uploaded = {}  # name -> size of what was written
        self.playlists = {}  # playlist name -> content written
        self.stop_event = threading.Event()
        self.thread = None
        self.retries = int(plan.store_settings.get("numRetries", 3))
        self.retry_interval = float(plan.store_settings.get("connectionRetryInterval", 1))
        self.first_write_at = None
        self.segments_written = 0
        self.media_seconds = 0.0  # of the first rendition: what the encoder has delivered
        self._client = None
        self._client_key = None

    # -- the destination ---------------------------------------------------

    def _key(self, name):
        prefix = self.dest["prefix"]
        return f"{prefix}/{name}" if prefix else name

    def url_of(self, name):
        url = self.dest["url"]
        return url.rsplit("/", 1)[0] + "/" + name

    def client(self):
        key, secret, token = self.credentials()
        if self._client is None or self._client_key != key:
            config = Config(retries={"max_attempts": 1}, connect_timeout=5, read_timeout=30,
                            s3={"addressing_style": "path"})
            if self.dest["kind"] == "s3":
                self._client = boto3.client("s3", endpoint_url=self.pipeline.emulator_url,
                                            region_name=self.pipeline.region, aws_access_key_id=key,
                                            aws_secret_access_key=secret, aws_session_token=token,
                                            config=config)
            else:
                self._client = boto3.client("mediastore-data", endpoint_url=self.dest["endpoint"],
                                            region_name=self.pipeline.region, aws_access_key_id=key,
                                            aws_secret_access_key=secret, aws_session_token=token,
                                            config=config)
            self._client_key = key
        return self._client

    def _put(self, name, body, content_type):
        client = self.client()
        if self.dest["kind"] == "s3":
            extra = {}
            acl = self.plan.store_settings.get("cannedAcl")
            if acl:
                extra["ACL"] = acl.lower().replace("_", "-")
            client.put_object(Bucket=self.dest["bucket"], Key=self._key(name), Body=body,
                              ContentType=content_type, **extra)
        else:
            client.put_object(Path=self._key(name), Body=body, ContentType=content_type)

    def _delete(self, name):
        client = self.client()
        if self.dest["kind"] == "s3":
            client.delete_object(Bucket=self.dest["bucket"], Key=self._key(name))
        else:
            client.delete_object(Path=self._key(name))

    def _attempt(self, action, name, fn):
        """Runs fn with MediaLive's retries; raises StopIteration when the
        pipeline stops meanwhile. Returns True on success."""
        last = None
        for attempt in range(self.retries + 1):
            if self.stop_event.is_set():
                raise StopIteration
            try:
                fn()
                self.pipeline.clear_alerts_for_output(action)
                return True
            except ClientError as e:
                last = e
                status = e.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
                code = e.response.get("Error", {}).get("Code")
                message = e.response.get("Error", {}).get("Message")
            except (BotoCoreError, OSError) as e:
                last, status, code, message = e, None, type(e).__name__, str(e)
            if attempt < self.retries:
                self.stop_event.wait(self.retry_interval)
        url = self.url_of(name)
        if action == "delete":
            self.pipeline.set_alert("6008", "Failed to Delete Output File",
                                    f"Unable to delete [{url}]: {status} {code}: {message}")
        elif status in (401, 403):
            self.pipeline.set_alert("6015", "Failed to Get HTTP Output Token",
                                    f"HLS output unable to write [{url}]: {status} {code}: {message}")
        else:
            self.pipeline.set_alert("6006", "Failed to Write to Output",
                                    f"HLS output unable to write [{url}]: {status or ''} {code}: {message}")
        del last
        return False

    # -- mirroring ---------------------------------------------------------

    def start(self):
        self.thread = threading.Thread(target=self._run, name=f"upload {self.pipeline.label}", daemon=True)
        self.thread.start()

    def stop(self):
        self.stop_event.set()
        if self.thread is not None and self.thread is not threading.current_thread():
            self.thread.join(timeout=40)

    def _run(self):
        try:
            while not self.stop_event.is_set():
                self.sync_once()
                self.stop_event.wait(0.25)
        except StopIteration:
            pass
        except Exception as e:  # a bug here must show, not hang the pipeline
            import traceback
            traceback.print_exc()
            self.pipeline.set_alert("6006", "Failed to Write to Output", f"output stage failed: {e}")

    def _read(self, name):
        try:
            with open(os.path.join(self.folder, name), "rb") as f:
                return f.read()
        except OSError:
            return None

    def sync_once(self):
        selection = self.plan.output_selection
        written_playlists = 0
        for playlist in self.variants:
            data = self._read(playlist)
            if data is None:
                continue
            text = data.decode("utf-8", "replace")
            if self.playlists.get(playlist) == text:
                written_playlists += 1
                continue
            if not _whole_playlist(text):
                continue  # read while ffmpeg rewrote it; the next pass takes the new one
            if "#EXT-X-ENDLIST" in text:
                continue  # an encoder that stopped; MediaLive's live playlists stay open
            durations = {}
            segments = []
            pending = None
            for line in text.splitlines():
                line = line.strip()
                if line.startswith("#EXTINF:"):
                    pending = float(line[8:].split(",")[0] or 0)
                elif line and not line.startswith("#"):
                    segments.append(line)
                    durations[line] = pending or 0.0
            ok = True
            for seg in segments:
                if seg in self.uploaded:
                    continue
                body = self._read(seg)
                if body is None:
                    ok = False  # listed but gone: skip this playlist version
                    break
                if self._attempt("write", seg, lambda s=seg, b=body: self._put(s, b, SEGMENT_TYPE)):
                    self.uploaded[seg] = len(body)
                    self.segments_written += 1
                    if playlist == self.variants[0]:
                        self.media_seconds += durations.get(seg, 0.0)
                    self.pipeline.segment_written()
                else:
                    ok = False
                    break
            if not ok:
                continue
            if selection != "SEGMENTS_ONLY":
                if not self._attempt("write", playlist, lambda p=playlist, d=data: self._put(p, d, PLAYLIST_TYPE)):
                    continue
            self.playlists[playlist] = text
            written_playlists += 1
            if self.first_write_at is None:
                self.first_write_at = time.time()
                self.pipeline.first_output()
        if written_playlists == len(self.variants) and self.master not in self.playlists \
                and selection == "MANIFESTS_AND_SEGMENTS":
            data = self._read(self.master)
            text = data.decode("utf-8", "replace") if data is not None else ""
            if _whole_playlist(text):
                if not self.plan.stream_inf_resolution:
                    text = re.sub(r",RESOLUTION=\d+x\d+", "", text)
                body = text.encode()
                if self._attempt("write", self.master, lambda: self._put(self.master, body, PLAYLIST_TYPE)):
                    self.playlists[self.master] = text
        # KeepSegments: what ffmpeg removed from the folder goes from the destination.
        for seg in list(self.uploaded):
            if not os.path.exists(os.path.join(self.folder, seg)):
                if self._attempt("delete", seg, lambda s=seg: self._delete(s)):
                    del self.uploaded[seg]
                else:
                    del self.uploaded[seg]  # MediaLive does not retry a delete forever
