"""One request as the layer sees it, AWS-style errors, and authentication.

The layer must read a request (signing service, region, target, body) before
deciding whether moto or the layer answers it, so the body is buffered once
and put back into the WSGI environ for moto.
"""

import io
import json
import os
import re
import uuid
from xml.sax.saxutils import escape

from werkzeug.datastructures import Headers, MultiDict
from urllib.parse import parse_qsl
from werkzeug.wrappers import Response

_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request")


class AwsError(Exception):
    """An error answered to the client in the service's own wire format.

    `code` is the AWS error code (e.g. "ConflictException"), `status` the HTTP
    status. How it is written depends on the protocol (see Call.error).
    """

    def __init__(self, code, message, status=400):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


class Call:
    """A buffered request: what the layer needs to route, check and answer it.

    Attributes: method, path (decoded), raw_path (as signed), query
    (MultiDict), headers, body (bytes), signing_service, region, access_key,
    target (X-Amz-Target or None), host (Host header).
    """

    def __init__(self, environ):
        self.environ = environ
        self.method = environ["REQUEST_METHOD"].upper()
        self.path = environ.get("PATH_INFO", "") or "/"
        raw_uri = environ.get("RAW_URI") or environ.get("REQUEST_URI") or self.path
        self.raw_path = raw_uri.split("?", 1)[0]
        self.query_string = environ.get("QUERY_STRING", "")
        self.query = MultiDict(parse_qsl(self.query_string, keep_blank_values=True))
        self.headers = Headers()
        for key, value in environ.items():
            if key.startswith("HTTP_"):
                self.headers.add(key[5:].replace("_", "-").title(), value)
        if environ.get("CONTENT_TYPE"):
            self.headers["Content-Type"] = environ["CONTENT_TYPE"]
        if environ.get("CONTENT_LENGTH"):
            self.headers["Content-Length"] = environ["CONTENT_LENGTH"]
        self.body = self._buffer_body(environ)
        self.target = environ.get("HTTP_X_AMZ_TARGET")
        self.host = environ.get("HTTP_HOST") or f"127.0.0.1:{environ.get('SERVER_PORT')}"
        match = _CREDENTIAL.search(environ.get("HTTP_AUTHORIZATION", ""))
        if match:
            self.access_key, _, self.region, self.signing_service = match.groups()[:4]
        else:
            self.access_key, self.region, self.signing_service = None, "us-east-1", None
        # Filled in by the app once it knows them, for the request log.
        self.service = self.signing_service
        self.labels = {}
        self.operation = None
        self.protocol = None

    @staticmethod
    def _buffer_body(environ):
        stream = environ.get("wsgi.input")
        length = environ.get("CONTENT_LENGTH")
        if stream is None:
            return b""
        if length:
            body = stream.read(int(length))
        elif environ.get("wsgi.input_terminated"):
            body = stream.read()
        else:
            body = b""
        environ["wsgi.input"] = io.BytesIO(body)
        return body

    def rewind(self):
        """Puts the buffered body back so moto can read it again."""
        self.environ["wsgi.input"] = io.BytesIO(self.body)

    @property
    def account_id(self):
        """The account moto would use for this request (same rules as moto)."""
        from moto.iam.models import get_account_id_from

        if "MOTO_ACCOUNT_ID" in os.environ:
            return os.environ["MOTO_ACCOUNT_ID"]
        if "x-moto-account-id" in self.headers:
            return self.headers["x-moto-account-id"]
        return get_account_id_from(self.access_key or "AKIAEXAMPLE")

    def base_url(self):
        """The URL the client used to reach us, from the Host header."""
        return f"http://{self.host}"

    # -- answers ---------------------------------------------------------------

    def json(self, doc, status=200, content_type=None, headers=None):
        """A JSON answer; the content type follows the request's protocol."""
        if content_type is None:
            content_type = (
                "application/x-amz-json-1.1" if self.protocol == "json" else "application/json"
            )
        resp = Response(json.dumps(doc), status=status, content_type=content_type)
        resp.headers["x-amzn-RequestId"] = str(uuid.uuid4())
        for key, value in (headers or {}).items():
            resp.headers[key] = value
        return resp

    def empty(self, status=204):
        resp = Response(b"", status=status)
        resp.headers["x-amzn-RequestId"] = str(uuid.uuid4())
        return resp

    def error(self, err):
        """Writes `err` as the request's protocol writes errors.

        json: body {"__type": code, "message": ...}; rest-json: header
        x-amzn-ErrorType plus body {"message": ...}; rest-xml (CloudFront):
        <ErrorResponse><Error><Type/><Code/><Message/></Error>.
        """
        request_id = str(uuid.uuid4())
        if self.service == "s3":
            # S3's own error document: <Error> at the root, no namespace
            # (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html).
            body = (
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                f"<Error><Code>{escape(err.code)}</Code><Message>{escape(err.message)}</Message>"
                f"<RequestId>{request_id}</RequestId><HostId>{request_id}</HostId></Error>"
            )
            resp = Response(body, status=err.status, content_type="application/xml")
            resp.headers["x-amz-request-id"] = request_id
            return resp
        if self.protocol == "rest-xml":
            kind = "Sender" if err.status < 500 else "Receiver"
            body = (
                '<?xml version="1.0"?>\n'
                '<ErrorResponse xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">'
                f"<Error><Type>{kind}</Type><Code>{escape(err.code)}</Code>"
                f"<Message>{escape(err.message)}</Message></Error>"
                f"<RequestId>{request_id}</RequestId></ErrorResponse>"
            )
            resp = Response(body, status=err.status, content_type="text/xml")
        elif self.protocol == "json":
            resp = Response(
                json.dumps({"__type": err.code, "message": err.message}),
                status=err.status,
                content_type="application/x-amz-json-1.1",
            )
        else:
            resp = Response(
                json.dumps({"message": err.message}),
                status=err.status,
                content_type="application/json",
            )
        resp.headers["x-amzn-ErrorType"] = err.code
        resp.headers["x-amzn-RequestId"] = request_id
        return resp


def authenticate(call, action, count=True, resource="*", s3=False):
    """Applies moto's auth mode to a request the layer serves itself.

    moto counts requests and, once INITIAL_NO_AUTH_ACTION_COUNT have been
    served, verifies the SigV4 signature against the IAM access key and
    evaluates the caller's IAM policies for "<service>:<action>" on
    `resource` (an ARN; "*" where the operation has no resource-level
    permissions or the layer has not said which). The layer shares that
    counter so its operations are neither free nor stricter.
    count=False checks without counting: used before the layer refuses a
    request moto would otherwise have counted itself. s3=True verifies the
    way moto verifies S3 requests (S3's signing rules and error documents).
    Raises AwsError.
    """
    request = _signed_request(call, action, count, s3)
    if request is not None:
        with _auth_errors():
            request.check_action_permitted(resource)


def s3_authorizer(call):
    """For an S3 request the layer authorizes piece by piece (DeleteObjects:
    each object on its own, as AWS does). Returns None when auth is off (the
    request is then counted by moto, which serves it), else, once the
    signature is verified (AwsError when it is not), a function
    permitted(action, resource) -> bool evaluating "s3:<action>" on the ARN
    `resource` with the caller's policies."""
    from moto.core.exceptions import ServiceException
    from werkzeug.exceptions import HTTPException

    request = _signed_request(call, "", count=False, s3=True)
    if request is None:
        return None

    def permitted(action, resource):
        request._action = f"s3:{action}"
        try:
            request.check_action_permitted(resource)
        except (HTTPException, ServiceException):
            return False
        return True

    return permitted


def _signed_request(call, action, count, s3):
    """moto's IAM request for `call` with its signature verified, or None
    while moto still lets requests through unauthenticated (counting this
    one when `count`). Raises AwsError."""
    from moto import settings
    from moto.core.authorization import ActionAuthenticatorMixin
    from moto.iam.access_control import IAMRequest, S3IAMRequest

    if ActionAuthenticatorMixin.request_count < settings.INITIAL_NO_AUTH_ACTION_COUNT:
        if count:
            ActionAuthenticatorMixin.request_count += 1
        return None
    if "Authorization" not in call.headers:
        raise AwsError("MissingAuthenticationTokenException", "Missing Authentication Token", 403)
    path = call.raw_path + (f"?{call.query_string}" if call.query_string else "")
    headers = {k: v for k, v in call.headers.items()}
    with _auth_errors():
        request = (S3IAMRequest if s3 else IAMRequest)(
            account_id=call.account_id,
            method=call.method,
            path=path,
            data={},
            body=call.body,
            headers=headers,
            action=action,
        )
        request.check_signature()
    return request


class _auth_errors:
    """Turns moto's auth exceptions into AwsError."""

    def __enter__(self):
        return self

    def __exit__(self, kind, e, tb):
        from moto.core.exceptions import ServiceException
        from werkzeug.exceptions import HTTPException

        if e is None:
            return False
        if isinstance(e, HTTPException):  # moto's auth errors (_RESTError) are these
            raise AwsError(getattr(e, "error_type", "AccessDenied"),
                           getattr(e, "message", str(e)), e.code) from e
        if isinstance(e, ServiceException):  # S3's (S3IAMRequest): a code, the status is the model's
            raise AwsError(e.code, e.message, 403) from e
        return False
