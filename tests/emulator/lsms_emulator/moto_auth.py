"""A correction to moto's SigV4 verification in auth mode (INITIAL_NO_AUTH_ACTION_COUNT).

moto (5.2.x) rebuilds each request to recompute its signature in
moto/iam/access_control.py `IAMRequestBase._create_aws_request` with
`data=self._body or self._data`, and the payload hash of the canonical
request comes from that rebuilt body. Two cases go wrong:

- A request without a body (every GET and DELETE of the rest-json and
  rest-xml services: MediaLive List*/Describe*, CloudFront Get*/List*):
  `self._body` is b"" and `self._data` is the parsed query string, or, when
  there is none, the request *headers* (moto/core/responses.py `setup_class`:
  `querystring.update(headers)`); botocore form-encodes that dict as the body,
  so boto3 itself gets SignatureDoesNotMatch on `medialive.list_channels()`.
- A form POST (IAM, STS): werkzeug consumed the body to parse the form, so
  moto re-encodes the parsed form with Python's urlencode (space as '+',
  its own choice of safe characters); a client that encodes per RFC 3986 as
  SigV4 asks (space as %20) is refused although its signature is right.

AWS hashes the bytes actually sent (SigV4: HexEncode(Hash(RequestPayload))).
So moto is the side that is wrong: the layer records the body of the request
being served (requests are served one at a time) and this module recomputes
the signature over exactly those bytes. Everything else in moto's check is
unchanged: a wrong secret or an unknown key still fails
(tests/emulator/test_emulator_auth.py).
"""

from botocore.awsrequest import AWSRequest
from moto.iam import access_control

_original = access_control.IAMRequestBase._create_aws_request

# The raw body of the request being served; set by app.LsmsApp under its lock.
request_body = None


def _create_aws_request_from_sent_bytes(self):
    if request_body is None:
        return _original(self)
    signed = self._get_string_between("SignedHeaders=", ",", self._headers["Authorization"])
    headers = self._create_headers_for_aws_request(signed.split(";"), self._headers)
    request = AWSRequest(method=self._method, url=self._path, data=request_body,
                         headers=headers)
    request.context["timestamp"] = headers["X-Amz-Date"]
    return request


def install():
    access_control.IAMRequestBase._create_aws_request = _create_aws_request_from_sent_bytes
