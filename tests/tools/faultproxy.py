"""A fault-injecting HTTP proxy between the provider and the emulator (tests only).

    python faultproxy.py --upstream http://127.0.0.1:4566 [--port 0] [--rules FILE]
                         [--log FILE] [--max-seconds 1800] [--max-calls 100000]

It listens on 127.0.0.1 (a free port unless --port is given), prints
`FAULTPROXY_READY http://127.0.0.1:PORT` once it accepts connections, and
forwards every request to the upstream emulator unchanged, Host header
included: the emulator builds a MediaStore container's data Endpoint from the
Host it is sent, so the data-plane calls made later to that endpoint come
through the proxy as well.

Every AWS call gets a 1-based index (requests to /moto-api/ and to the
proxy's own /__faultproxy/ endpoints are not counted) and is identified as
(service, operation) the way the emulator does it: the SigV4 credential
scope names the service, then X-Amz-Target, the query protocol's Action form
field, or the botocore model's requestUri templates (method + path).

Faults are scripted by a JSON document (the --rules file, re-read when it
changes, or POST /__faultproxy/rules):

    {"faults": [{"call": 7, "fault": "error"},
                {"operation": "CreateChannel", "occurrence": 1, "fault": "reset"},
                {"operation": "GetDistribution", "fault": "slow", "delay_ms": 60000}],
     "random": {"rate": 0.2, "seed": 42, "faults": ["throttle", "429", "503"]}}

A rule matches on `call` (the global index), `operation` (and optionally
`service`) with `occurrence` (the n-th call of that operation, 1-based; every
one when omitted), and `path_suffix` (the request path, without its query,
ends with it: one object's calls, "/player/index.html"). The first matching rule wins; otherwise `random` injects
one of its faults with probability `rate` (a seeded generator, so a run is
reproducible for the same sequence of calls). Faults:

    throttle  the service's throttling answer: 400 ThrottlingException (JSON
              protocols), 400 Throttling (query, CloudFront rest-xml), 429
              TooManyRequestsException (MediaLive rest-json), 503 SlowDown (S3)
    429       429 TooManyRequestsException          503   503 ServiceUnavailable
    500       500 InternalFailure
    error     a non-retryable 400 in the service's format (ValidationException,
              BadRequestException, InvalidArgument, ValidationError)
    reset     the connection is reset (RST) before anything is forwarded
    drop      forwarded, then the connection is reset: the change happened
              upstream but its answer is lost
    slow      forwarded after `delay_ms` (default 2000) milliseconds; when the
              client gives up first (closes its connection), nothing is
              forwarded and the call is logged with status "client-gone"

Control endpoints: GET /__faultproxy/calls (the log as JSON), POST
/__faultproxy/rules (replace the rules), POST /__faultproxy/reset (index back
to 0, log cleared, random generator re-seeded). Every call is also appended
as one JSON line to --log: {"index", "service", "operation", "method",
"path", "fault", "status"}. The proxy exits by itself after --max-seconds or
--max-calls, so a forgotten one cannot linger.
"""

import argparse
import http.client
import http.server
import json
import os
import random
import select
import socket
import struct
import sys
import threading
import time
from urllib.parse import parse_qs, parse_qsl, urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "emulator"))

from lsms_emulator import model  # noqa: E402  (botocore routing, as the emulator)

CONTROL = "/__faultproxy/"
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te",
              "upgrade", "trailer", "proxy-authorization", "proxy-authenticate"}
DATA_PREFIX = "/_mediastore/"


# ---- identification ----------------------------------------------------------

def identify(method, raw_path, headers, body):
    """(service, operation, protocol) of one request; unknown parts are None."""
    split = urlsplit(raw_path)
    path, query = split.path, dict(parse_qsl(split.query, keep_blank_values=True))
    auth = headers.get("Authorization", "")
    signing = None
    if "Credential=" in auth:
        scope = auth.split("Credential=", 1)[1].split(",", 1)[0].split("/")
        if len(scope) >= 4:
            signing = scope[3]
    if signing is None:
        return None, None, None
    target = headers.get("X-Amz-Target")
    service = model.service_for_signing_name(signing)
    if signing == "mediastore" and not target:
        service = "mediastore-data"
    if service is None:
        return signing, None, None
    if target:
        return service, target.rpartition(".")[2], "json"
    protocol = model.service_model(service).metadata.get("protocol")
    content_type = headers.get("Content-Type", "")
    rest_protocol = protocol in ("rest-xml", "rest-json")  # any content type (S3 objects)
    form = content_type.startswith("application/x-www-form-urlencoded")
    if protocol == "query" or (form and not rest_protocol):
        form = parse_qs(body.decode("utf-8", "replace")) if body else {}
        action = form.get("Action") or ([query["Action"]] if "Action" in query else [])
        return service, action[0] if action else None, "query"
    if service == "mediastore-data" and path.startswith(DATA_PREFIX):
        # /_mediastore/<container>/<object path>: the model's paths start after it.
        rest = path[len(DATA_PREFIX):].partition("/")[2]
        path = "/" + rest
    operation, _ = model.router(service).match(method, path, query, headers)
    # S3 writes errors its own way (<Error> at the root, x-amz-request-id).
    return service, operation, "s3" if service == "s3" else protocol


# ---- answers in each protocol's error format -----------------------------------

_CODES = {
    # fault: (status, code by protocol)
    "throttle": {"json": (400, "ThrottlingException"), "query": (400, "Throttling"),
                 "rest-xml": (400, "Throttling"), "rest-json": (429, "TooManyRequestsException"),
                 "s3": (503, "SlowDown")},
    "429": (429, "TooManyRequestsException"),
    "503": (503, "ServiceUnavailable"),
    "500": (500, "InternalFailure"),
    "error": {"json": (400, "ValidationException"), "query": (400, "ValidationError"),
              "rest-xml": (400, "InvalidArgument"), "rest-json": (400, "BadRequestException"),
              "s3": (400, "InvalidArgument")},
}


def error_answer(fault, protocol):
    """(status, headers, body) of an injected error answer."""
    spec = _CODES[fault]
    if isinstance(spec, dict):
        spec = spec.get(protocol) or spec["json"]
    status, code = spec
    message = f"injected by faultproxy ({fault})"
    request_id = "faultproxy-%016x" % random.getrandbits(64)
    headers = {"x-amzn-RequestId": request_id, "x-amzn-ErrorType": code}
    if protocol == "s3":
        body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code>'
                f"<Message>{message}</Message><RequestId>{request_id}</RequestId></Error>").encode()
        headers = {"x-amz-request-id": request_id, "Content-Type": "application/xml"}
    elif protocol in ("query", "rest-xml"):
        kind = "Sender" if status < 500 else "Receiver"
        body = (f'<?xml version="1.0"?><ErrorResponse><Error><Type>{kind}</Type>'
                f"<Code>{code}</Code><Message>{message}</Message></Error>"
                f"<RequestId>{request_id}</RequestId></ErrorResponse>").encode()
        headers["Content-Type"] = "text/xml"
    elif protocol == "json":
        body = json.dumps({"__type": code, "message": message}).encode()
        headers["Content-Type"] = "application/x-amz-json-1.1"
    else:
        body = json.dumps({"message": message}).encode()
        headers["Content-Type"] = "application/json"
    return status, headers, body


# ---- rules and the call log ----------------------------------------------------

class Script:
    """The current rules, the call counter and the log; thread-safe."""

    def __init__(self, log_path=None):
        self.lock = threading.Lock()
        self.log_path = log_path
        self.rules = {}
        self.rng = random.Random(0)
        self.index = 0
        self.per_operation = {}
        self.calls = []

    def set_rules(self, rules):
        with self.lock:
            self.rules = rules or {}
            self.rng = random.Random((self.rules.get("random") or {}).get("seed", 0))

    def reset(self):
        with self.lock:
            self.index = 0
            self.per_operation = {}
            self.calls = []
            self.rng = random.Random((self.rules.get("random") or {}).get("seed", 0))

    def next_call(self, service, operation, path=""):
        """Counts one call; returns (index, rule dict or None)."""
        with self.lock:
            self.index += 1
            key = operation or "?"
            self.per_operation[key] = self.per_operation.get(key, 0) + 1
            occurrence = self.per_operation[key]
            for rule in self.rules.get("faults", []):
                if "call" in rule and rule["call"] != self.index:
                    continue
                if "operation" in rule and rule["operation"] != operation:
                    continue
                if "service" in rule and rule["service"] != service:
                    continue
                if "occurrence" in rule and rule["occurrence"] != occurrence:
                    continue
                if "path_suffix" in rule and not path.endswith(rule["path_suffix"]):
                    continue
                return self.index, rule
            rnd = self.rules.get("random")
            if rnd and (not rnd.get("operations") or operation in rnd["operations"]):
                # Two draws per call whatever the outcome, so the sequence of
                # decisions depends only on the seed and the call index.
                hit, pick = self.rng.random(), self.rng.random()
                if hit < rnd.get("rate", 0):
                    faults = rnd.get("faults") or ["throttle"]
                    return self.index, {"fault": faults[int(pick * len(faults))]}
            return self.index, None

    def record(self, entry):
        line = json.dumps(entry)
        with self.lock:
            self.calls.append(entry)
            if self.log_path:
                with open(self.log_path, "a") as f:
                    f.write(line + "\n")

    def snapshot(self):
        with self.lock:
            return list(self.calls)


class RulesFile:
    """Re-reads a --rules file whenever its modification time changes."""

    def __init__(self, path, script):
        self.path, self.script, self.mtime = path, script, None
        self.lock = threading.Lock()

    def refresh(self):
        if not self.path:
            return
        with self.lock:
            try:
                mtime = os.stat(self.path).st_mtime_ns
            except FileNotFoundError:
                return
            if mtime == self.mtime:
                return
            with open(self.path) as f:
                self.script.set_rules(json.load(f))
            self.mtime = mtime


# ---- the proxy -------------------------------------------------------------------

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "faultproxy"

    def log_message(self, format, *args):  # noqa: A002  (the base class's name)
        pass

    def do_request(self):
        body = self.read_body()
        if self.path.startswith(CONTROL):
            return self.control(body)
        self.server.rules_file.refresh()
        counted = not self.path.startswith("/moto-api")
        try:
            service, operation, protocol = identify(self.command, self.path, self.headers, body)
        except Exception:  # an unidentifiable request is still forwarded and counted
            service, operation, protocol = None, None, None
        index, rule = (self.server.script.next_call(service, operation,
                                                    self.path.split("?", 1)[0])
                       if counted else (None, None))
        fault = rule.get("fault") if rule else None
        entry = {"index": index, "service": service, "operation": operation,
                 "method": self.command, "path": self.path.split("?", 1)[0], "fault": fault}
        # The call is logged before the client sees its outcome, so a test
        # that reads the log right after a call finds it there.
        recorded = []

        def log(status):
            entry["status"] = status
            if counted:
                self.server.script.record(entry)
            recorded.append(True)

        try:
            if fault == "reset":
                log("reset")
                self.reset_connection()
                return
            if fault == "slow" and not self.hold(rule.get("delay_ms", 2000) / 1000.0):
                log("client-gone")
                return
            if fault in _CODES:
                status, headers, payload = error_answer(fault, protocol)
                log(status)
                self.answer(status, headers, payload)
                return
            status, headers, payload = self.forward(body)
            if fault == "drop":
                log(f"drop({status})")
                self.reset_connection()
                return
            log(status)
            self.answer(status, headers, payload)
        finally:
            if not recorded:
                log("proxy-error")  # forwarding failed: the client gets no answer
            self.server.count_call()

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_request

    def hold(self, seconds):
        """Waits `seconds`; False as soon as the client closes its connection
        (then nothing is forwarded, as a request that never left)."""
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return True
            readable, _, _ = select.select([self.connection], [], [], min(left, 0.05))
            if readable:
                try:
                    if self.connection.recv(1, socket.MSG_PEEK) == b"":
                        self.close_connection = True
                        return False
                except OSError:
                    self.close_connection = True
                    return False
                time.sleep(min(left, 0.05))  # pipelined bytes: keep holding

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def forward(self, body):
        up = self.server.upstream
        conn = http.client.HTTPConnection(up.hostname, up.port, timeout=300)
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            if body or self.command in ("POST", "PUT", "PATCH"):
                headers["Content-Length"] = str(len(body))
            conn.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            for k, v in headers.items():
                conn.putheader(k, v)
            conn.endheaders(body if body else None)
            resp = conn.getresponse()
            payload = resp.read()
            out = [(k, v) for k, v in resp.getheaders() if k.lower() not in HOP_BY_HOP]
            return resp.status, out, payload
        finally:
            conn.close()

    def answer(self, status, headers, payload):
        self.send_response(status)
        items = headers.items() if isinstance(headers, dict) else headers
        has_length = False
        for k, v in items:
            if k.lower() == "content-length":
                if self.command != "HEAD":
                    continue  # set below from what is really sent
                has_length = True
            self.send_header(k, v)
        if not has_length:
            self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD" and payload:
            self.wfile.write(payload)

    def reset_connection(self):
        """Closes the client's connection with an RST (SO_LINGER 0)."""
        self.close_connection = True
        sock = self.connection
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.rfile.close()  # drops the makefile reference so close() is real
            sock.close()
        except OSError:
            pass

    def finish(self):
        try:
            super().finish()
        except OSError:
            pass

    def control(self, body):
        script = self.server.script
        name = self.path[len(CONTROL):].split("?", 1)[0]
        if name == "calls" and self.command == "GET":
            payload = json.dumps(script.snapshot()).encode()
        elif name == "rules" and self.command == "POST":
            script.set_rules(json.loads(body or b"{}"))
            payload = b"{}"
        elif name == "reset" and self.command == "POST":
            script.reset()
            payload = b"{}"
        else:
            self.answer(404, {"Content-Type": "application/json"}, b'{"message": "unknown"}')
            return
        self.answer(200, {"Content-Type": "application/json"}, payload)


class FaultProxy(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, upstream, port=0, rules_path=None, log_path=None, max_calls=100000):
        super().__init__(("127.0.0.1", port), Handler)
        self.upstream = urlsplit(upstream)
        self.script = Script(log_path)
        self.rules_file = RulesFile(rules_path, self.script)
        self.rules_file.refresh()
        self.max_calls = max_calls
        self.total = 0
        self.total_lock = threading.Lock()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"

    def count_call(self):
        with self.total_lock:
            self.total += 1
            over = self.total >= self.max_calls
        if over:
            threading.Thread(target=self.shutdown, daemon=True).start()


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--upstream", required=True)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--rules")
    p.add_argument("--log")
    p.add_argument("--max-seconds", type=float, default=1800)
    p.add_argument("--max-calls", type=int, default=100000)
    args = p.parse_args(argv)
    proxy = FaultProxy(args.upstream, args.port, args.rules, args.log, args.max_calls)
    timer = threading.Timer(args.max_seconds, proxy.shutdown)
    timer.daemon = True
    timer.start()
    print(f"FAULTPROXY_READY {proxy.url}", flush=True)
    try:
        proxy.serve_forever(poll_interval=0.2)
    finally:
        proxy.server_close()


if __name__ == "__main__":
    main()
