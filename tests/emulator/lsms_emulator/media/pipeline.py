"""One pipeline of a running channel: credentials, input, encoder, output.

A pipeline is a thread that

1. assumes the channel's role (credentials.py); failing that, the channel
   does not start;
2. waits for its input (URL_PULL: the pull URL answers; RTMP_PUSH: a sender
   allowed by the input security group connects; RTP_PUSH: RTP packets
   arrive; INPUT_DEVICE: the synthetic card is always there). Until the
   first input decodes no output is written and, after 10 s, the alert 5007
   "Initial Probe is Taking Longer Than Expected" is set;
3. runs ffmpeg (ffmpeg.py) on it while output.py writes the output;
4. when the input goes away, sets the input's alert (5301 "HTTP Get Failed",
   5308 "RTMP Server Disconnected", 5302 "Stopped Receiving UDP Input") and,
   with inputLossAction EMIT_OUTPUT, keeps the output going with black
   frames and silence (MediaLive's input loss image and audio, an
   approximation of InputLossBehavior's defaults) until the input returns;
   PAUSE_OUTPUT stops writing (alert 6036 "Output Group is Paused");
5. when the encoder dies for another reason, reports the channel RECOVERING
   ("One or both pipelines in the channel failed, but MediaLive is
   restarting it", user guide "States for channels") and restarts it; the
   state returns to RUNNING once output is written again.

Alert wordings and ids are AWS's ("List of alerts for channels", MediaLive
user guide), except "Encoder Exited", the emulator's own (README).
"""

import base64
import os
import re
import shutil
import socket
import tempfile
import threading
import time
import traceback
import urllib.error
import urllib.request

import boto3
from botocore.config import Config

from . import ffmpeg, procs
from .credentials import AssumeRoleFailed, assume_channel_role
from .output import Uploader
from .sources import card_filters

PROBE_ALERT_SECONDS = 10


def _free_port(kind=socket.SOCK_STREAM):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def _cpu_seconds(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


class Pipeline:
    def __init__(self, run, index, source):
        self.run = run
        self.index = index
        self.plan = run.plan
        self.dest = self.plan.destinations[index]
        self.source = source  # dict: kind pull|rtmp|rtp|device, and its details
        self.label = f"channel {run.channel_id} pipeline {index}"
        self.state = "STARTING"  # STARTING | RUNNING | RECOVERING | FAILED | STOPPED
        self.stop_event = threading.Event()
        self.folder = tempfile.mkdtemp(prefix=f"lsms-ml-{run.channel_id}-p{index}-")
        self.base = self.dest["base"]
        self.proc = None
        self.proc_kind = None  # "input" | "slate"
        self.creds = None
        self.uploader = None
        self.cpu_done = 0.0  # CPU seconds of encoders that have exited
        self.cpu_live = 0.0
        self.has_audio = True
        self.publisher = None  # (socket, address) waiting to be read
        self.publisher_event = threading.Event()
        self.endpoint = source.get("endpoint")
        self.started_at = time.time()
        self.first_output_at = None
        self.restarts = 0
        self.thread = threading.Thread(target=self._main, name=self.label, daemon=True)

    # -- what the channel sees ---------------------------------------------

    @property
    def emulator_url(self):
        return self.run.plane.url

    @property
    def region(self):
        return self.run.region

    def set_alert(self, code, alert_type, message):
        self.run.plane.alerts.set(self.run.key, str(self.index), code, alert_type, message)

    def clear_alert(self, *codes):
        self.run.plane.alerts.clear(self.run.key, str(self.index), codes)

    def clear_alerts_for_output(self, action):
        self.clear_alert(*(("6008",) if action == "delete" else ("6015", "6006")))

    def first_output(self):
        self.first_output_at = time.time()
        self.clear_alert("5007")

    def segment_written(self):
        if self.state == "RECOVERING" and self.proc_kind is not None:
            self.state = "RUNNING"
            self.clear_alert("ENCODER")

    def cpu_seconds(self):
        return self.cpu_done + self.cpu_live

    def status(self):
        up = self.uploader
        return {
            "pipeline": self.index, "state": self.state, "input": self.source["kind"],
            "pid": self.proc.pid if self.proc is not None and self.proc.poll() is None else None,
            "encoding": self.proc_kind, "cpu_seconds": round(self.cpu_seconds(), 3),
            "media_seconds": round(up.media_seconds, 3) if up else 0.0,
            "segments_written": up.segments_written if up else 0,
            "started_at": self.started_at, "first_output_at": self.first_output_at,
            "restarts": self.restarts, "destination": self.dest["url"],
        }

    # -- lifecycle -----------------------------------------------------------

    def start(self):
        if self.endpoint is not None:
            self.endpoint.pipeline = self
        self.thread.start()

    def stop(self):
        self.stop_event.set()
        self.publisher_event.set()
        self._kill()

    def join(self, timeout=None):
        self.thread.join(timeout)

    def offer_publisher(self, endpoint, conn, address):
        """An RTMP sender the security group allows (push.Endpoint)."""
        if self.stop_event.is_set() or self.publisher is not None or \
                (self.proc is not None and self.proc_kind == "input" and self.proc.poll() is None):
            if self.proc_kind == "input":
                self.set_alert("5314", "Input Double-Publishing Detected",
                               f"A second sender ({address}) pushed to {endpoint.url} while one is being read")
            return False
        self.publisher = (conn, address)
        self.publisher_event.set()
        return True

    def _kill(self):
        proc = self.proc
        if proc is not None:
            procs.stop(proc)

    def _fail(self, code, alert_type, message):
        self.set_alert(code, alert_type, message)
        self.state = "FAILED"
        self.run.pipeline_failed(self)

    def _main(self):
        try:
            try:
                with self.run.plane.lock:
                    self.creds = assume_channel_role(self.run.account, self.region, self.run.role_arn,
                                                     f"medialive-{self.run.channel_id}-{self.index}")
                    self.run.plane.service_keys.add(self.creds[0])
            except AssumeRoleFailed as e:
                self._fail("ROLE", "Unable to Assume Role",
                           f"MediaLive cannot assume the channel's role: {e}")
                return
            self.uploader = Uploader(self, self.folder, self.dest, self.base,
                                     ffmpeg.playlist_names(self.plan, self.base), f"{self.base}.m3u8",
                                     self.plan, lambda: self.creds)
            self.uploader.start()
            self.state = "RUNNING"
            self._loop()
        except Exception as e:
            traceback.print_exc()
            self._fail("ENCODER", "Encoder Exited", f"the emulator's pipeline failed: {e}")
        finally:
            self._kill()
            if self.uploader is not None:
                self.uploader.stop()
            if self.endpoint is not None and self.endpoint.pipeline is self:
                self.endpoint.pipeline = None
                self.endpoint.relay_port = None
            if self.publisher is not None:
                try:
                    self.publisher[0].close()
                except OSError:
                    pass
            shutil.rmtree(self.folder, ignore_errors=True)
            if self.state != "FAILED":
                self.state = "STOPPED"

    # -- input ---------------------------------------------------------------

    def _pull_headers(self):
        """The Authorization header for the pull source, reading the password
        from Parameter Store with the channel's role (the input's
        passwordParam), as MediaLive does. None: no credentials configured."""
        src = self.source
        if not src.get("username"):
            return None
        password = ""
        if src.get("password_param"):
            ssm = boto3.client("ssm", endpoint_url=self.emulator_url, region_name=self.region,
                               aws_access_key_id=self.creds[0], aws_secret_access_key=self.creds[1],
                               aws_session_token=self.creds[2], config=Config(retries={"max_attempts": 1}))
            try:
                password = ssm.get_parameter(Name=src["password_param"], WithDecryption=True)["Parameter"]["Value"]
            except Exception as e:
                self.set_alert("5008", "Input Resource is Inaccessible",
                               f"Unable to read the pull password parameter {src['password_param']}: "
                               f"{getattr(e, 'response', {}).get('Error', {}).get('Code', type(e).__name__)}")
                return False
            self.clear_alert("5008")
        token = base64.b64encode(f"{src['username']}:{password}".encode()).decode()
        return f"Authorization: Basic {token}\r\n"

    def _pull_available(self, headers):
        request = urllib.request.Request(self.source["url"])
        if headers:
            name, _, value = headers.strip().partition(": ")
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=5) as resp:
                resp.read(1 << 16)
            self.clear_alert("5301")
            return True
        except urllib.error.HTTPError as e:
            why = f"{e.code} {e.reason}"
        except (urllib.error.URLError, OSError, ValueError) as e:
            why = str(getattr(e, "reason", e))
        self.set_alert("5301", "HTTP Get Failed", f"HTTP GET of {self.source['url']} failed: {why}")
        return False

    def _input_args(self, headers):
        kind = self.source["kind"]
        if kind == "pull":
            return ffmpeg.input_args("pull", {"url": self.source["url"], "headers": headers})
        if kind == "device":
            video, audio = card_filters(f"Link device {self.source['device']}")
            return ffmpeg.input_args("lavfi", {"video": video, "audio": audio})
        if kind == "rtmp":
            self.internal_port = _free_port()
            return ffmpeg.input_args("rtmp", {"url": f"rtmp://127.0.0.1:{self.internal_port}/"
                                                     f"{self.endpoint.stream_name}"})
        if kind == "rtp":
            port = _free_port(socket.SOCK_DGRAM)
            self.endpoint.relay_port = port
            return ffmpeg.input_args("udp", {"url": f"udp://127.0.0.1:{port}?timeout=4000000&fifo_size=100000"
                                                   "&overrun_nonfatal=1"})
        raise ValueError(kind)

    def _input_lost_alert(self):
        kind = self.source["kind"]
        if kind == "rtmp":
            self.set_alert("5308", "RTMP Server Disconnected",
                           f"The RTMP stream on {self.endpoint.url} has disconnected")
        elif kind == "rtp":
            self.set_alert("5302", "Stopped Receiving UDP Input",
                           f"No RTP packets on {self.endpoint.url} for at least one second")
        elif kind == "pull":
            self.set_alert("5301", "HTTP Get Failed", f"Lost the pull source {self.source['url']}")

    def _input_available(self, headers):
        kind = self.source["kind"]
        if kind == "device":
            return True
        if kind == "pull":
            return self._pull_available(headers)
        if kind == "rtmp":
            return self.publisher is not None
        if kind == "rtp":
            return time.monotonic() - self.endpoint.last_packet < 1.0
        return False

    # -- the loop ------------------------------------------------------------

    def _local_progress(self):
        """When the encoder last wrote a playlist (its own progress, whether
        or not the output stage manages to upload it)."""
        latest = 0.0
        for p in ffmpeg.playlist_names(self.plan, self.base):
            try:
                latest = max(latest, os.stat(os.path.join(self.folder, p)).st_mtime)
            except OSError:
                pass
        return latest

    def _has_output(self):
        return any(os.path.exists(os.path.join(self.folder, p))
                   for p in ffmpeg.playlist_names(self.plan, self.base))

    def _spawn(self, args, kind):
        env = dict(os.environ, TZ="UTC")
        self.proc = procs.spawn(args, f"{self.label} ({kind})", log=os.path.join(self.folder, "ffmpeg.log"),
                                env=env)
        self.proc_kind = kind
        return self.proc

    def _log_tail(self):
        try:
            with open(os.path.join(self.folder, "ffmpeg.log"), "rb") as f:
                f.seek(0, os.SEEK_END)
                f.seek(max(0, f.tell() - 4000))
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def _truncate_log(self):
        try:
            open(os.path.join(self.folder, "ffmpeg.log"), "wb").close()
        except OSError:
            pass

    def _loop(self):
        headers = None
        kind = self.source["kind"]
        if kind == "pull":
            headers = self._pull_headers()
        probe_since = time.monotonic()
        backoff = 1.0
        next_probe = 0.0
        while not self.stop_event.is_set():
            if kind == "pull" and headers is False:
                self.stop_event.wait(5)
                headers = self._pull_headers()
                continue
            available = False
            if time.monotonic() >= next_probe:
                available = self._input_available(headers)
                if not available and kind == "pull":
                    next_probe = time.monotonic() + 2.0
            if not available:
                if self._has_output():
                    self._input_loss_output()
                elif time.monotonic() - probe_since > PROBE_ALERT_SECONDS:
                    self.set_alert("5007", "Initial Probe is Taking Longer Than Expected",
                                   f"Pipeline {self.index} is waiting for an input it can decode "
                                   f"({self._describe_input()})")
                if kind == "rtmp":
                    self.publisher_event.wait(0.5)
                    self.publisher_event.clear()
                else:
                    self.stop_event.wait(0.5)
                continue
            self._stop_slate()
            outcome = self._run_encoder(headers)
            if self.stop_event.is_set():
                break
            if outcome == "input-lost":
                self._input_lost_alert()
                backoff = 1.0
            elif outcome == "no-audio":
                continue
            elif outcome == "input-error":
                next_probe = time.monotonic() + 2.0
            elif outcome == "encoder-died":
                self.restarts += 1
                self.state = "RECOVERING"
                self.stop_event.wait(backoff)
                backoff = min(backoff * 2, 10.0)

    def _describe_input(self):
        kind = self.source["kind"]
        if kind == "pull":
            return f"URL_PULL {self.source['url']}"
        if kind in ("rtmp", "rtp"):
            return f"{kind.upper()}_PUSH {self.endpoint.url}"
        return f"INPUT_DEVICE {self.source.get('device')}"

    def _encoder_args(self, in_args, video_in, audio_in, silence=False):
        return ffmpeg.encoder_args(self.plan, in_args, video_in, audio_in, self.folder, self.base,
                                   continuing=self._has_output(), silence=silence or not self.has_audio)

    def _input_loss_output(self):
        """EMIT_OUTPUT: black frames and silence while the input is away."""
        if self.plan.input_loss_action == "PAUSE_OUTPUT":
            self.set_alert("6036", "Output Group is Paused",
                           "The HLS output group is paused while the input is lost (inputLossAction PAUSE_OUTPUT)")
            return
        if self.proc is not None and self.proc_kind == "slate" and self.proc.poll() is None:
            self._account_cpu()
            return
        top = max(self.plan.renditions, key=lambda r: r.width * r.height)
        fps = top.fps or (30, 1)
        video = f"color=c=black:size={top.width}x{top.height}:rate={fps[0]}/{fps[1]}"
        args = self._encoder_args(*ffmpeg.input_args("lavfi", {"video": video,
                                                               "audio": "anullsrc=channel_layout=stereo:"
                                                                        "sample_rate=48000"}),
                                  silence=False)
        self._truncate_log()
        self._spawn(args, "slate")

    def _stop_slate(self):
        if self.proc is not None and self.proc_kind == "slate":
            self._account_cpu(final=True)
            procs.stop(self.proc)
            self.proc = None
            self.proc_kind = None
            self.clear_alert("6036")

    def _account_cpu(self, final=False):
        if self.proc is None:
            return
        cpu = _cpu_seconds(self.proc.pid)
        if cpu is not None:
            self.cpu_live = cpu
        if final:
            self.cpu_done += self.cpu_live
            self.cpu_live = 0.0

    def _run_encoder(self, headers):
        in_args, video_in, audio_in = self._input_args(headers)
        args = self._encoder_args(in_args, video_in, audio_in)
        self._truncate_log()
        proc = self._spawn(args, "input")
        kind = self.source["kind"]
        relay = None
        if kind == "rtmp":
            relay = self._connect_publisher()
            if relay is None:
                self._account_cpu(final=True)
                procs.stop(proc)
                self.proc = None
                return "input-lost"
        written = self._local_progress()
        progress_at = time.monotonic()
        stall = 3 * self.plan.segment_length + 15
        lost = False
        while proc.poll() is None and not self.stop_event.is_set():
            self.stop_event.wait(0.5)
            self._account_cpu()
            now_written = self._local_progress()
            if now_written != written:
                written = now_written
                progress_at = time.monotonic()
            if kind == "rtp" and time.monotonic() - self.endpoint.last_packet > 2.0:
                lost = True
                break
            if time.monotonic() - progress_at > stall:
                lost = True  # nothing written for three segments: the input stalled
                break
        self._account_cpu(final=True)
        if proc.poll() is None:
            procs.stop(proc)
        else:
            procs.forget(proc)
        self.proc = None
        self.proc_kind = None
        if relay is not None:
            try:
                relay.close()
            except OSError:
                pass
        self.publisher = None
        if self.stop_event.is_set():
            return "stopped"
        if lost:
            return "input-lost"
        tail = self._log_tail()
        rc = proc.returncode
        if re.search(r"Stream specifier ':a:0'.*matches no streams|matches no streams", tail) and self.has_audio:
            self.has_audio = False
            self.set_alert("5101", "Audio Not Detected",
                           f"The input has no audio ({self._describe_input()}); the audio descriptions carry "
                           "silence")
            return "no-audio"
        if re.search(r"Stream specifier ':v:0'", tail):
            self.set_alert("5201", "Video Not Detected", f"The input has no video ({self._describe_input()})")
            return "input-error"
        if kind == "pull" and re.search(r"Server returned|HTTP error|Connection refused|Failed to resolve|"
                                        r"Input/output error|Invalid data found|Error opening input|"
                                        r"Connection timed out", tail):
            self.set_alert("5301", "HTTP Get Failed",
                           f"HTTP GET of {self.source['url']} failed: {tail.strip().splitlines()[-1][:300]}")
            return "input-error"
        if rc == 0:
            if kind == "pull" and self.plan.source_end_behavior == "LOOP":
                return "input-error"  # a pulled file ended: MediaLive loops it (restart)
            return "input-lost"  # the sender left (RTMP), the source ended
        if kind == "rtmp" and re.search(r"Connection reset|End of file|Input/output error", tail):
            return "input-lost"
        last = tail.strip().splitlines()[-1][:300] if tail.strip() else ""
        self.set_alert("ENCODER", "Encoder Exited",
                       f"The encoder of pipeline {self.index} exited (status {rc}): {last}")
        return "encoder-died"

    def _connect_publisher(self):
        """Connects the waiting RTMP sender to ffmpeg's listener."""
        pending = self.publisher
        if pending is None:
            return None
        conn, _address = pending
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not self.stop_event.is_set():
            if self.proc is None or self.proc.poll() is not None:
                break
            try:
                upstream = socket.create_connection(("127.0.0.1", self.internal_port), timeout=2)
                upstream.settimeout(None)
                from .push import pipe
                pipe(conn, upstream)
                self.clear_alert("5308", "5305", "5007")
                return upstream
            except OSError:
                time.sleep(0.1)
        try:
            conn.close()
        except OSError:
            pass
        self.publisher = None
        return None
