"""The WSGI layer around moto's server application.

For every request it finds the signing service (SigV4 credential scope) and
the operation, gives the service's module (one per service, below) a chance
to answer or to check a precondition, and otherwise passes the request to
moto untouched. Every request is appended to the request log as one JSON line
{"service", "operation", "status", "access_key"} so benchmarks can count API
calls.

All requests are served one at a time: the checks the layer makes before
handing a request to moto (is the channel running? is the container empty?)
must not interleave with another request changing the same state.
"""

import html
import json
import re
import threading
import traceback
from urllib.parse import parse_qs

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.wrappers import Response

from . import cloudfront, cloudwatch, edge, media, medialive, mediastore, mediastore_data, model, moto_auth, s3
from .protocol import AwsError, Call

# Service modules by signing name. Each exposes handle(call, forward) that
# returns a werkzeug Response, or None to let moto answer unchanged.
HANDLERS = {
    "mediastore": mediastore,
    "medialive": medialive,
    "cloudfront": cloudfront,
    "monitoring": cloudwatch,
    "s3": s3,
}


class LsmsApp:
    def __init__(self):
        self.moto = DomainDispatcherApplication(create_backend_app)
        self.lock = threading.RLock()
        self.request_log_path = None
        cloudfront.configure()
        moto_auth.install()
        s3.install()
        media.PLANE.configure(self.lock, None)

    def set_url(self, url):
        """The emulator's own URL, once bound: the media plane's pipelines
        call it like any client."""
        media.PLANE.configure(self.lock, url)
        threading.Thread(target=self._sweep_media, name="media sweep", daemon=True).start()

    def _sweep_media(self):
        import time
        from moto.medialive.models import medialive_backends

        def exists(kind, key):
            account, region, ident = key
            be = medialive_backends[account][region]
            table = be._channels if kind == "channel" else be._inputs
            obj = table.get(ident)
            return obj is not None and obj.state != "DELETED"

        while True:
            time.sleep(2)
            with self.lock:
                media.PLANE.sweep(exists)

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO", "").startswith("/_lsms/"):
            # The emulator's own paths (the media plane's test card and
            # status): not AWS, not logged, and never waiting on the lock.
            return media.serve(environ)(environ, start_response)
        call = Call(environ)
        with self.lock:
            moto_auth.request_body = call.body
            moto_auth.request_service = call.signing_service
            moto_auth.request_query = call.query
            moto_auth.s3_actions = None  # s3.handle sets it for S3 requests
            try:
                if call.access_key in media.PLANE.service_keys:
                    # MediaLive's own writes: authorized against the
                    # channel's role whether or not moto's auth mode is on.
                    from moto.core.authorization import enable_iam_authentication
                    with enable_iam_authentication():
                        resp = self.dispatch(call)
                else:
                    resp = self.dispatch(call)
            except AwsError as err:
                resp = call.error(err)
            except Exception:
                # A bug in the layer: answer like AWS answers its own faults,
                # and keep the traceback in server.log.
                traceback.print_exc()
                resp = call.error(AwsError("InternalServerError", "The emulator layer failed; see server.log.", 500))
        self.log(call, resp.status_code)
        return resp(environ, start_response)

    def dispatch(self, call):
        def forward():
            call.rewind()
            resp = Response.from_app(self.moto, call.environ, buffered=True)
            return json_auth_error(call, resp) or resp

        if edge.viewer_domain(call.host):
            # A viewer request to a distribution's domain: the CloudFront edge.
            return edge.handle(call, int(call.environ.get("SERVER_PORT") or 0))
        if call.path.startswith(mediastore_data.PREFIX):
            # The data plane is ours alone; moto's cannot route nested keys.
            return mediastore_data.handle(call)
        identify(call)
        handler = HANDLERS.get(call.signing_service)
        resp = handler.handle(call, forward) if handler else None
        return resp if resp is not None else forward()

    def log(self, call, status):
        if not self.request_log_path:
            return
        # The access key id (never the secret) says whose call it was: a test
        # tells the provider's calls from its own boto3 checks by it.
        entry = {"service": call.service, "operation": call.operation,
                 "status": status, "access_key": call.access_key}
        entry.update(getattr(call, "log_extra", None) or {})  # the edge's result, origin, ...
        line = json.dumps(entry)
        with open(self.request_log_path, "a") as f:
            f.write(line + "\n")


_XML_CODE = re.compile(rb"<Code>([^<]*)</Code>")
_XML_MESSAGE = re.compile(rb"<Message>([^<]*)</Message>")


def json_auth_error(call, resp):
    """moto's auth errors are XML whatever the service; AWS writes them in the
    service's protocol (json: {"__type": ...}), which is what SDKs parse.
    Returns the rewritten Response, or None when there is nothing to fix."""
    if resp.status_code not in (401, 403) or call.protocol not in ("json", "rest-json"):
        return None
    body = resp.get_data()
    code = _XML_CODE.search(body)
    if not body.lstrip().startswith(b"<") or not code:
        return None
    message = _XML_MESSAGE.search(body)
    text = html.unescape(message.group(1).decode()) if message else ""
    return call.error(AwsError(code.group(1).decode(), text, resp.status_code))


def identify(call):
    """Sets call.service (botocore name), call.protocol and call.operation."""
    if call.path.startswith("/moto-api"):
        call.service, call.operation = "moto-api", call.path
        return
    if call.signing_service is None:
        return
    name = model.service_for_signing_name(call.signing_service)
    if call.signing_service == "mediastore" and not call.target:
        name = "mediastore-data"
    if name is None:
        return
    call.service = name
    meta = model.service_model(name).metadata
    content_type = call.headers.get("Content-Type", "")
    if call.target:
        call.protocol = "json"
        call.operation = call.target.rpartition(".")[2]
    elif call.path.startswith("/service/") and "/operation/" in call.path:
        call.protocol = "smithy-rpc-v2-cbor"
        call.operation = call.path.rpartition("/")[2]
    elif meta.get("protocol") == "query" or (
        content_type.startswith("application/x-www-form-urlencoded")
        and meta.get("protocol") not in ("rest-xml", "rest-json")
    ):
        # A form body names a query action, except on the REST protocols:
        # an S3 PutObject may carry any content type.
        call.protocol = "query"
        form = parse_qs(call.body.decode("utf-8", "replace")) if call.body else {}
        action = form.get("Action") or call.query.getlist("Action")
        call.operation = action[0] if action else None
    else:
        call.protocol = meta.get("protocol")
        # S3 keys may hold '%' and encoded '/': route on the path as signed
        # and sent, decoded once (PATH_INFO is already decoded).
        path = call.raw_path if name == "s3" else call.path
        call.operation, call.labels = model.router(name).match(call.method, path, call.query,
                                                               call.headers)


def make_app():
    return LsmsApp()
