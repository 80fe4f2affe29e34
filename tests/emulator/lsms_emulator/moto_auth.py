"""A correction to moto's SigV4 verification in auth mode (INITIAL_NO_AUTH_ACTION_COUNT).

moto (5.2.x) rebuilds each request to recompute its signature in
moto/iam/access_control.py `IAMRequestBase._create_aws_request` with
`data=self._body or self._data`. For a request without a body (every GET and
DELETE of the rest-json and rest-xml services: MediaLive List*/Describe*,
CloudFront Get*/List*), `self._body` is b"" and `self._data` is what
moto/core/responses.py `setup_class` made of the request: the parsed query
string, or, when there is none, the request *headers* (`querystring.update(
headers)`). botocore then form-encodes that dict as the body and hashes it
into the canonical request, so the signature never matches: boto3 itself gets
SignatureDoesNotMatch on `medialive.list_channels()` or
`cloudfront.get_distribution()`.

AWS hashes the bytes actually sent (SigV4: HexEncode(Hash(RequestPayload)),
the hash of the empty string for a GET), which is what SDKs and the provider
sign. So moto is the side that is wrong; this module recomputes GET, HEAD
and DELETE requests without a body over the empty payload. Everything else in moto's check is unchanged: a wrong secret or an
unknown key still fails (tests/emulator/test_emulator_auth.py).
"""

from botocore.awsrequest import AWSRequest
from moto.iam import access_control

_original = access_control.IAMRequestBase._create_aws_request


def _create_aws_request_from_raw_body(self):
    # Only body-less requests are rebuilt. A form POST (IAM, STS) also shows
    # an empty raw body, because werkzeug consumed the stream to parse the
    # form; there moto's re-encoding of the parsed form is right.
    if self._method not in ("GET", "HEAD", "DELETE") or self._body:
        return _original(self)
    signed = self._get_string_between("SignedHeaders=", ",", self._headers["Authorization"])
    headers = self._create_headers_for_aws_request(signed.split(";"), self._headers)
    request = AWSRequest(method=self._method, url=self._path, data=b"",
                         headers=headers)
    request.context["timestamp"] = headers["X-Amz-Date"]
    return request


def install():
    access_control.IAMRequestBase._create_aws_request = _create_aws_request_from_raw_body
