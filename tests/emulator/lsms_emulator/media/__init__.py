"""The MediaLive media plane: channels that really encode.

StartChannel runs one pipeline per channel pipeline (pipeline.py: one
ffmpeg each, following the channel's EncoderSettings strictly, plan.py),
writing its HLS output to the channel's destinations as MediaLive writes it
(output.py), from the input MediaLive would take (URL_PULL pulled, push
inputs listening on their endpoints, push.py; INPUT_DEVICE a synthetic
card, sources.py). StopChannel stops it. The channel's state follows the
pipelines (`channel_state`), and what goes wrong is reported as MediaLive
alerts (ListAlerts).

State shared with the request thread is touched under the emulator's lock
(`configure`); pipelines run in their own threads and make their AWS calls
over HTTP to the emulator like any client.
"""

import itertools
import json
import threading
import time
import uuid
from datetime import datetime, timezone

from werkzeug.wrappers import Response

from . import procs, push, sources
from .pipeline import Pipeline
from .plan import Unfollowable, channel_plan


class Alerts:
    """Channel alerts (ListAlerts: ChannelAlert), kept per channel for the
    emulator's lifetime: SET while the condition lasts, then CLEARED."""

    def __init__(self):
        self.lock = threading.Lock()
        self.by_channel = {}

    def set(self, key, pipeline, code, alert_type, message):
        with self.lock:
            items = self.by_channel.setdefault(key, [])
            for a in items:
                if a["State"] == "SET" and a["PipelineId"] == pipeline and a["_code"] == code:
                    a["Message"] = message
                    return
            items.append({"Id": uuid.uuid4().hex, "AlertType": alert_type, "Message": message,
                          "PipelineId": pipeline, "SetTimestamp": datetime.now(timezone.utc),
                          "State": "SET", "_code": code})

    def clear(self, key, pipeline, codes=None):
        with self.lock:
            for a in self.by_channel.get(key, []):
                if a["State"] == "SET" and (pipeline is None or a["PipelineId"] == pipeline) and \
                        (not codes or a["_code"] in codes):
                    a["State"] = "CLEARED"
                    a["ClearedTimestamp"] = datetime.now(timezone.utc)

    def list(self, key, state=None):
        with self.lock:
            return [{k: v for k, v in a.items() if not k.startswith("_")}
                    for a in self.by_channel.get(key, []) if state in (None, a["State"])]

    def forget(self, key):
        with self.lock:
            self.by_channel.pop(key, None)


class ChannelRun:
    """The pipelines of one started channel."""

    def __init__(self, plane, key, channel, plan, sources_by_pipeline, after=None):
        self.plane = plane
        self.after = after  # a run of the same channel still stopping: start once it has
        self.key = key
        self.account, self.region, self.channel_id = key
        self.role_arn = channel.role_arn
        self.arn = channel.arn
        self.plan = plan
        self.failed = plan is None
        self.stopping = False
        self.stopped = threading.Event()
        self.started_at = time.time()
        self.pipelines = [] if plan is None else [
            Pipeline(self, i, src) for i, src in enumerate(sources_by_pipeline)]

    def start(self):
        if not self.pipelines:
            self.stopped.set()
            return
        if self.after is not None and not self.after.stopped.is_set():
            def later():
                self.after.stopped.wait(90)
                if not self.stopping:
                    for p in self.pipelines:
                        p.start()
            threading.Thread(target=later, daemon=True).start()
            return
        for p in self.pipelines:
            p.start()

    def pipeline_failed(self, pipeline):
        # A pipeline that cannot start stops the channel: MediaLive does not
        # run half a channel it cannot start.
        self.failed = True
        threading.Thread(target=self._stop_all, daemon=True).start()

    def stop(self):
        self.stopping = True
        threading.Thread(target=self._stop_all, daemon=True).start()

    def _stop_all(self):
        for p in self.pipelines:
            p.stop()
        for p in self.pipelines:
            if p.thread.is_alive() or p.thread.ident is not None:
                p.join(timeout=60)
        self.stopped.set()

    def state(self):
        if self.stopping or self.failed:
            return "IDLE" if self.stopped.is_set() else ("STOPPING" if self.stopping else "STARTING")
        states = [p.state for p in self.pipelines]
        if "RECOVERING" in states:
            return "RECOVERING"
        if states and all(s == "RUNNING" for s in states):
            return "RUNNING"
        return "STARTING"

    def running_count(self):
        return sum(1 for p in self.pipelines if p.state in ("RUNNING",))

    def status(self):
        return {"channel_id": self.channel_id, "state": self.state(), "started_at": self.started_at,
                "pipelines": [p.status() for p in self.pipelines]}


class MediaPlane:
    def __init__(self):
        self.lock = threading.RLock()
        self.url = None
        self.runs = {}  # (account, region, channel id) -> ChannelRun
        self.endpoints = {}  # (account, region, input id) -> [push.Endpoint]
        self.alerts = Alerts()
        self.log = print
        self.service_keys = set()  # access keys of the channels' assumed roles

    def configure(self, lock, url):
        self.lock = lock
        self.url = url

    # -- channels ------------------------------------------------------------

    def start_channel(self, key, channel, wire_channel, inp, security_group_cidrs):
        """Called by the StartChannel handler (under the lock) once moto has
        set the channel STARTING."""
        old = self.runs.get(key)
        if old is not None and not old.stopped.is_set() and not old.stopping:
            return  # already running or starting
        after = old if old is not None and not old.stopped.is_set() else None
        self.alerts.clear(key, None)
        try:
            plan = channel_plan(wire_channel)
            sources_ = self._sources(key, plan, inp)
        except Unfollowable as e:
            self.alerts.set(key, "0", "SETTINGS", "Channel Settings Not Supported by the Emulator",
                            f"The emulator's media plane cannot follow {e}; the channel did not start")
            self.log(f"media: channel {key[2]} not started: {e}")
            run = ChannelRun(self, key, channel, None, [])
            self.runs[key] = run
            run.start()
            return
        run = ChannelRun(self, key, channel, plan, sources_, after=after)
        self.runs[key] = run
        run.start()

    def _sources(self, key, plan, inp):
        if inp is None:
            raise Unfollowable("/inputAttachments/0/inputId", plan.input_id, "the input does not exist")
        pipelines = len(plan.destinations)
        if inp.type == "URL_PULL":
            srcs = list(inp.sources or [])
            if len(srcs) < pipelines:
                raise Unfollowable("/inputAttachments/0/inputId", inp.id,
                                   f"the input has {len(srcs)} source(s) for {pipelines} pipeline(s)")
            out = []
            for s in srcs[:pipelines]:
                get = (lambda k, s=s: s.get(k) or s.get(k[0].lower() + k[1:]))
                out.append({"kind": "pull", "url": get("Url"), "username": get("Username"),
                            "password_param": get("PasswordParam")})
            return out
        if inp.type in ("RTMP_PUSH", "RTP_PUSH"):
            eps = self.endpoints.get((key[0], key[1], inp.id)) or []
            if len(eps) < pipelines:
                raise Unfollowable("/inputAttachments/0/inputId", inp.id,
                                   f"the input has {len(eps)} push endpoint(s) for {pipelines} pipeline(s)")
            kind = "rtmp" if inp.type == "RTMP_PUSH" else "rtp"
            return [{"kind": kind, "endpoint": eps[i]} for i in range(pipelines)]
        if inp.type == "INPUT_DEVICE":
            devices = list(inp.input_devices or [])
            if len(devices) < pipelines:
                raise Unfollowable("/inputAttachments/0/inputId", inp.id,
                                   f"the input has {len(devices)} device(s) for {pipelines} pipeline(s)")
            ids = [d.get("Id") or d.get("id") for d in devices]
            return [{"kind": "device", "device": ids[i]} for i in range(pipelines)]
        raise Unfollowable("/inputAttachments/0/inputId", inp.type, "implemented input types: URL_PULL, "
                           "RTMP_PUSH, RTP_PUSH, INPUT_DEVICE")

    def stop_channel(self, key):
        run = self.runs.get(key)
        if run is not None:
            run.stop()

    def run_for(self, key):
        return self.runs.get(key)

    def forget(self, key):
        run = self.runs.get(key)
        if run is not None and run.stopped.is_set():
            del self.runs[key]

    def channel_deleted(self, key):
        run = self.runs.pop(key, None)
        if run is not None:
            run.stop()

    # -- push endpoints --------------------------------------------------------

    def push_endpoints(self, key, input_type, stream_names, count, allowed_cidrs):
        """The endpoints of a push input (created, or kept when the input
        already has them): `stream_names` for RTMP (one per endpoint), `count`
        endpoints for RTP."""
        eps = self.endpoints.get(key) or []
        wanted = len(stream_names) if input_type == "RTMP_PUSH" else count
        names = list(stream_names) if input_type == "RTMP_PUSH" else [""] * count
        keep = []
        for i in range(wanted):
            if i < len(eps) and eps[i].kind == input_type and eps[i].stream_name == names[i]:
                keep.append(eps[i])
            else:
                keep.append(push.Endpoint(input_type, i, names[i], allowed_cidrs, self.log))
        for ep in eps:
            if ep not in keep:
                ep.close()
        self.endpoints[key] = keep
        return keep

    def input_deleted(self, key):
        for ep in self.endpoints.pop(key, []):
            ep.close()

    # -- housekeeping ----------------------------------------------------------

    def status(self):
        return {"channels": [r.status() for r in list(self.runs.values())], "processes": procs.running(),
                "endpoints": [{"input": k[2], "url": ep.url, "refused": [a for _, a in ep.refused]}
                              for k, eps in list(self.endpoints.items()) for ep in eps]}

    def sweep(self, exists):
        """Stops runs and closes endpoints whose channel or input no longer
        exists (moto's reset): `exists(kind, key)`."""
        for key, run in list(self.runs.items()):
            if not exists("channel", key):
                self.runs.pop(key, None)
                run.stop()
        for key in list(self.endpoints):
            if not exists("input", key):
                self.input_deleted(key)

    def shutdown(self):
        """The emulator is stopping (SIGTERM): encoders first, within the
        few seconds `tests/emulator/stop` gives before SIGKILL."""
        for run in list(self.runs.values()):
            run.stop()
        procs.stop_all()
        deadline = time.monotonic() + 3
        for run in list(self.runs.values()):
            run.stopped.wait(max(0.0, deadline - time.monotonic()))
        for key in list(self.endpoints):
            self.input_deleted(key)
        sources.CARD.stop()


PLANE = MediaPlane()
_ids = itertools.count(1)


def serve(environ):
    """The emulator's own HTTP paths under /_lsms/ (not AWS): the test card
    (sources.py) and GET /_lsms/media/status, the media plane's state as JSON
    (channels, pipelines with CPU seconds and media seconds written,
    processes, push endpoints and the senders they refused)."""
    path = environ.get("PATH_INFO", "")
    if path == "/_lsms/media/status":
        return Response(json.dumps(PLANE.status(), default=str), content_type="application/json")
    resp = sources.handle(environ, PLANE.url)
    return resp if resp is not None else Response("Not Found\n", status=404, content_type="text/plain")
