"""The origins the CloudFront edge (edge.py) fetches from, answering as S3 and
MediaStore answer CloudFront.

An origin request is what CloudFront sends: the path (origin path plus the
viewer's path), the headers it forwards and the origin's custom headers, and
who signs it. Two origins are reachable:

  * an S3 bucket: an origin with S3OriginConfig whose DomainName is the
    bucket's REST endpoint (`<bucket>.s3.<region>.amazonaws.com`, also
    `<bucket>.s3.amazonaws.com` and `<bucket>.s3-<region>.amazonaws.com`).
    The object is read from moto's S3 backend; the request is authorized
    against the bucket policy as S3 evaluates it for the principal CloudFront
    signs as: the service principal cloudfront.amazonaws.com with
    aws:SourceArn = the distribution's ARN when an Origin Access Control
    signs (CloudFront developer guide, private-content-restricting-access-
    to-s3.html), the origin access identity's IAM user for a legacy OAI,
    anonymous otherwise. A missing object is 404 NoSuchKey only for a
    principal also allowed s3:ListBucket, else 403 AccessDenied
    (API_GetObject: "If you don't have the s3:ListBucket permission, Amazon
    S3 returns an HTTP status code 403 Access Denied error").
  * a MediaStore container of this emulator: a custom origin whose domain is
    this emulator (127.0.0.1 or localhost on its port) and whose path is the
    container's data-plane endpoint `/_mediastore/<name>` (what
    DescribeContainer's Endpoint gives, split by the provider into domain,
    port and origin path). The object is read from the container; the
    request is authorized against the container policy (anonymous, or the
    CloudFront service principal for an OAC of type mediastore), with the
    User-Agent CloudFront sends (its own, or the origin custom header) as
    aws:UserAgent: the restriction the solution puts on its container.

Both answer CORS from the bucket's CORS configuration or the container's CORS
policy (cors.py). Anything else raises Unsupported, so that the edge answers
a loud error rather than pretend.
"""

import json
import re
import uuid
from email.utils import format_datetime, parsedate_to_datetime
from xml.sax.saxutils import escape

from . import cors, moto_auth
from .mediastore import DATA_PREFIX

CLOUDFRONT = moto_auth.ServicePrincipal("cloudfront.amazonaws.com")

_S3_DOMAIN = re.compile(
    r"^(?P<bucket>[a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\.s3(?:[.-](?!website)(?P<region>[a-z0-9-]+))?"
    r"\.amazonaws\.com(?:\.cn)?$")
_LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")

# S3 subresources that turn a GET of an object into another operation.
_S3_SUBRESOURCES = {"acl", "attributes", "legal-hold", "retention", "tagging", "torrent",
                    "uploadId", "versionId", "partNumber", "restore", "select"}


class Unsupported(Exception):
    """Something CloudFront or its origin would do that the edge cannot copy."""


class OriginResponse:
    """An origin's answer: status, headers [(name, value)], body, and what
    the origin logged it as (service, operation)."""

    def __init__(self, status, headers, body, service, operation):
        self.status, self.headers, self.body = status, headers, body
        self.service, self.operation = service, operation

    def header(self, name):
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)


class OriginRequest:
    """What CloudFront sends to the origin."""

    def __init__(self, dist, origin, method, path, query, headers, emulator_port):
        self.dist, self.origin = dist, origin
        self.method, self.path, self.query, self.headers = method, path, query, headers
        self.emulator_port = emulator_port

    @property
    def account_id(self):
        return self.dist.arn.split(":")[4]


def fetch(request, cloudfront_backend):
    """The origin's answer to `request`. Raises Unsupported."""
    origin = request.origin
    oac = None
    oac_id = getattr(origin, "origin_access_control_id", None)
    if oac_id:
        oac = cloudfront_backend.origin_access_controls.get(oac_id)
        if oac is None:
            raise Unsupported(f"origin {origin.id} names Origin Access Control {oac_id}, which "
                              "no longer exists")
    s3 = _S3_DOMAIN.match(origin.domain_name.lower())
    if getattr(origin, "s3_origin_config", None) is not None or \
            (s3 and getattr(origin, "custom_origin_config", None) is not None):
        if not s3:
            raise Unsupported(f"S3 origin domain {origin.domain_name} is not a bucket's REST "
                              "endpoint")
        return _s3(request, s3.group("bucket"), oac)
    container = _emulated_container_name(request)
    if container is not None:
        return _mediastore(request, container, oac)
    raise Unsupported(f"custom origin {origin.domain_name}: the edge reaches only S3 buckets and "
                      "this emulator's MediaStore data plane")


def _operation(method, get, head, origin_kind):
    """The origin's operation for a GET, HEAD or preflight OPTIONS."""
    operation = {"GET": get, "HEAD": head, "OPTIONS": "PreflightRequest"}.get(method)
    if operation is None:
        raise Unsupported(f"{method} to {origin_kind} origin (the edge forwards GET, HEAD and "
                          "OPTIONS)")
    return operation


# -- signing -------------------------------------------------------------------


def _principal(request, oac, origin_type):
    """Who the origin sees: CloudFront's service principal when an OAC signs,
    an OAI's IAM user, or anonymous (CloudFront developer guide, "Advanced
    settings for origin access control": always, never, no-override)."""
    if oac is not None:
        if (oac.origin_type or "").lower() != origin_type:
            raise Unsupported(f"Origin Access Control {oac.id} of type {oac.origin_type} on a "
                              f"{origin_type} origin (CloudFront refuses this configuration)")
        behavior = (oac.signing_behavior or "").lower()
        if behavior == "never":
            return moto_auth.ANONYMOUS
        if behavior == "no-override" and "Authorization" in request.headers:
            raise Unsupported("an OAC with no-override passing the viewer's Authorization header")
        return CLOUDFRONT
    config = getattr(request.origin, "s3_origin_config", None) or {}
    oai = (config.get("OriginAccessIdentity") or "").rsplit("/", 1)[-1]
    if oai and origin_type == "s3":
        return f"arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity {oai}"
    return moto_auth.ANONYMOUS


def _context(request, principal):
    """The condition keys S3 or MediaStore see on CloudFront's request. Keys
    named here with None are known to be absent; a policy naming any other
    key is refused as Unsupported (moto_auth.resource_policy_decision)."""
    signed_by_cloudfront = principal is CLOUDFRONT
    return {
        "aws:SourceArn": request.dist.arn if signed_by_cloudfront else None,
        "aws:SourceAccount": request.account_id if signed_by_cloudfront else None,
        "aws:PrincipalServiceName": str(CLOUDFRONT) if signed_by_cloudfront else None,
        # The emulator has no TLS: its endpoints stand for AWS's HTTPS ones
        # (README, "CloudFront edge").
        "aws:SecureTransport": "true",
        "aws:UserAgent": request.headers.get("User-Agent"),
        "aws:Referer": request.headers.get("Referer"),
    }


def _decide(policy, action, resource, principal, context):
    try:
        return moto_auth.resource_policy_decision(policy, action, resource, principal, context)
    except moto_auth.UnsupportedPolicy as e:
        raise Unsupported(f"resource policy: {e}") from e


# -- S3 ------------------------------------------------------------------------


def _s3_backend_of(bucket_name):
    from moto.s3.models import s3_backends

    where = s3_backends.bucket_accounts.get(bucket_name)
    if where is None:
        return None, None
    partition, account = where
    backend = s3_backends[account][partition]
    return backend, backend.buckets.get(bucket_name)


def _s3_error(code, message, status, extra=()):
    request_id = uuid.uuid4().hex[:16].upper()
    fields = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in extra)
    body = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{code}</Code><Message>{escape(message)}</Message>{fields}"
            f"<RequestId>{request_id}</RequestId><HostId>{request_id}</HostId></Error>").encode()
    return [("Content-Type", "application/xml"), ("x-amz-request-id", request_id),
            ("Server", "AmazonS3")], body


def _s3(request, bucket_name, oac):
    operation = _operation(request.method, "GetObject", "HeadObject", "an S3")

    def answer(status, headers, body):
        return OriginResponse(status, headers, b"" if request.method == "HEAD" else body, "s3",
                              operation)

    backend, bucket = _s3_backend_of(bucket_name)
    if bucket is None:
        headers, body = _s3_error("NoSuchBucket", "The specified bucket does not exist", 404,
                                  [("BucketName", bucket_name)])
        return answer(404, headers, body)
    rules = cors.s3_rules(bucket)
    if request.method == "OPTIONS":
        status, headers, message = cors.preflight(rules, request.headers)
        if status != 200:
            code = "BadRequest" if status == 400 else "AccessForbidden"
            extra = [("Method", request.headers.get("Access-Control-Request-Method") or ""),
                     ("ResourceType", "OBJECT")]
            err_headers, body = _s3_error(code, message, status, extra)
            return answer(status, err_headers, body)
        return answer(200, headers + [("Server", "AmazonS3"), ("Content-Length", "0")], b"")
    key_name = request.path.lstrip("/")
    cors_headers = cors.actual_request_headers(rules, request.method, request.headers)
    extra = [k for k in request.query if k in _S3_SUBRESOURCES]
    if extra:
        raise Unsupported(f"query string {'&'.join(extra)} forwarded to an S3 origin")
    principal = _principal(request, oac, "s3")
    context = _context(request, principal)
    if not key_name:
        allowed = _s3_allows(bucket, "s3:ListBucket", f"arn:aws:s3:::{bucket_name}", principal,
                             context)
        if allowed:
            raise Unsupported("a bucket listing through the edge (no DefaultRootObject)")
        headers, body = _s3_error("AccessDenied", "Access Denied", 403)
        return answer(403, headers + cors_headers, body)
    key = backend.get_object(bucket_name, key_name)
    arn = f"arn:aws:s3:::{bucket_name}/{key_name}"
    if not _s3_allows(bucket, "s3:GetObject", arn, principal, context):
        headers, body = _s3_error("AccessDenied", "Access Denied", 403)
        return answer(403, headers + cors_headers, body)
    if key is None:
        if _s3_allows(bucket, "s3:ListBucket", f"arn:aws:s3:::{bucket_name}", principal, context):
            headers, body = _s3_error("NoSuchKey", "The specified key does not exist.", 404,
                                      [("Key", key_name)])
            return answer(404, headers + cors_headers, body)
        headers, body = _s3_error("AccessDenied", "Access Denied", 403)
        return answer(403, headers + cors_headers, body)
    if principal is moto_auth.ANONYMOUS:
        _refuse_object_acl(bucket, key)
    headers = _s3_object_headers(key)
    if _not_modified(request.headers, key.etag, key.last_modified):
        kept = [(k, v) for k, v in headers if not k.lower().startswith("content-")]
        return answer(304, kept + cors_headers, b"")
    return answer(200, headers + cors_headers, key.value)


def _s3_allows(bucket, action, resource, principal, context):
    """S3's answer for CloudFront's request: the bucket policy decides (the
    caller has no identity policy of the bucket's account). An anonymous
    request can only be allowed by a public policy, which Block Public
    Access's RestrictPublicBuckets ignores (S3 user guide,
    access-control-block-public-access.html)."""
    if bucket.policy is None:
        return False
    decision = _decide(bucket.policy.decode() if isinstance(bucket.policy, bytes) else bucket.policy,
                       action, resource, principal, context)
    if decision != "allow":
        return False
    block = getattr(bucket, "public_access_block", None)
    if principal is moto_auth.ANONYMOUS and block is not None and block.restrict_public_buckets:
        return False
    return True


def _refuse_object_acl(bucket, key):
    """ACLs the edge does not evaluate: an anonymous read that S3 could allow
    through a public object ACL is refused loudly rather than answered 403."""
    if getattr(bucket, "ownership_rule", None) == "BucketOwnerEnforced":
        return  # ACLs are disabled
    acl = getattr(key, "acl", None)
    for grant in getattr(acl, "grants", None) or []:
        for grantee in getattr(grant, "grantees", None) or []:
            if "AllUsers" in (getattr(grantee, "uri", "") or ""):
                raise Unsupported("an object ACL granting AllUsers (the edge evaluates bucket "
                                  "policies only)")


def _s3_object_headers(key):
    """The headers S3 answers a GetObject with (moto's key.response_dict and
    metadata, as moto's own GetObject sends them)."""
    headers = [("x-amz-request-id", uuid.uuid4().hex[:16].upper()), ("Server", "AmazonS3"),
               ("Accept-Ranges", "bytes")]
    names = set()
    for source in (key.response_dict, key.metadata):
        for name, value in source.items():
            if name.lower() in names:
                continue
            names.add(name.lower())
            headers.append((_canonical(name), str(value)))
    if "content-type" not in names:
        headers.append(("Content-Type", "binary/octet-stream"))  # S3's default
    return headers


def _canonical(name):
    if name.lower().startswith("x-amz-"):
        return name.lower()
    return "-".join(part.capitalize() for part in name.split("-"))


def _not_modified(request_headers, etag, last_modified):
    """RFC 7232 as S3 applies it to CloudFront's revalidation (CloudFront
    developer guide, RequestAndResponseBehaviorS3Origin.html, "Conditional
    GETs")."""
    if_none_match = request_headers.get("If-None-Match")
    if if_none_match is not None:
        return any(tag.strip() in (etag, "*") for tag in if_none_match.split(","))
    since = request_headers.get("If-Modified-Since")
    if since and last_modified is not None:
        try:
            return last_modified.replace(microsecond=0) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


# -- MediaStore ----------------------------------------------------------------


def _emulated_container_name(request):
    """The container name when the origin is this emulator's MediaStore data
    plane (loopback host on the emulator's port, path /_mediastore/<name>)."""
    origin = request.origin
    config = getattr(origin, "custom_origin_config", None)
    if config is None or origin.domain_name.lower() not in _LOOPBACK:
        return None
    policy = (config.origin_protocol_policy or "").lower()
    port = config.http_port if policy == "http-only" else config.https_port
    if policy != "http-only":
        raise Unsupported(f"OriginProtocolPolicy {config.origin_protocol_policy} to this emulator "
                          "(it speaks plain http only)")
    if int(port or 0) != request.emulator_port:
        raise Unsupported(f"custom origin {origin.domain_name}:{port} is not this emulator "
                          f"(port {request.emulator_port})")
    if not request.path.startswith(DATA_PREFIX):
        raise Unsupported(f"custom origin path {request.path}: the edge reaches this emulator's "
                          "MediaStore data plane only")
    return request.path[len(DATA_PREFIX):].split("/", 1)[0]


def _find_container(account_id, name):
    """(region, moto Container) of the container `name` in the account, or
    (None, None)."""
    from moto.mediastore.models import mediastore_backends

    if account_id not in dict.keys(mediastore_backends):
        return None, None
    for region, backend in dict.items(mediastore_backends[account_id]):
        container = backend._containers.get(name)
        if container is not None:
            return region, container
    return None, None


def _mediastore_error(code, message, status):
    return OriginResponse(status, [("Content-Type", "application/json"),
                                   ("x-amzn-ErrorType", code),
                                   ("x-amzn-RequestId", str(uuid.uuid4()))],
                          json.dumps({"message": message}).encode(), "mediastore-data", None)


def _mediastore(request, name, oac):
    operation = _operation(request.method, "GetObject", "DescribeObject", "a MediaStore")

    def answer(resp):
        resp.operation = operation
        if request.method == "HEAD":
            resp.body = b""
        return resp

    region, container = _find_container(request.account_id, name)
    if container is None:
        return answer(_mediastore_error("ContainerNotFoundException",
                                        f"The container {name} does not exist.", 404))
    try:
        rules = cors.mediastore_rules(container)
    except cors.UnsupportedCors as e:
        raise Unsupported(str(e)) from e
    if request.method == "OPTIONS":
        status, headers, message = cors.preflight(rules, request.headers)
        if status != 200:
            return answer(_mediastore_error("CORSException", message, status))
        return answer(OriginResponse(200, headers + [("Content-Length", "0")], b"",
                                     "mediastore-data", operation))
    path = request.path[len(DATA_PREFIX) + len(name):].lstrip("/")
    cors_headers = cors.actual_request_headers(rules, request.method, request.headers)
    principal = _principal(request, oac, "mediastore")
    arn = f"arn:aws:mediastore:{region}:{request.account_id}:container/{name}"
    action = "mediastore:GetObject" if request.method == "GET" else "mediastore:DescribeObject"
    # With no container policy, MediaStore's default one grants the account's
    # root user alone (MediaStore user guide, policies-default.html): never
    # CloudFront or an anonymous caller.
    policy = getattr(container, "policy", None)
    decision = _decide(policy, action, f"{arn}/{path}", principal,
                       _context(request, principal)) if policy else None
    if decision != "allow":
        resp = _mediastore_error("AccessDeniedException",
                                 f"User is not authorized to perform: {action} on resource: "
                                 f"{arn}/{path}", 403)
        resp.headers += cors_headers
        return answer(resp)
    from .mediastore import objects_of

    obj = objects_of(container).get(path)
    if obj is None:
        resp = _mediastore_error("ObjectNotFoundException", f"Object {path} does not exist.", 404)
        resp.headers += cors_headers
        return answer(resp)
    # The ETag as the data plane sends it (mediastore_data.py).
    headers = [("ETag", obj.etag), ("Content-Type", obj.content_type),
               ("Last-Modified", format_datetime(obj.last_modified, usegmt=True)),
               ("Content-Length", str(len(obj.body))),
               ("x-amzn-RequestId", str(uuid.uuid4()))]
    if obj.cache_control:
        headers.append(("Cache-Control", obj.cache_control))
    if _not_modified(request.headers, obj.etag, obj.last_modified):
        kept = [(k, v) for k, v in headers if not k.lower().startswith("content-")]
        return answer(OriginResponse(304, kept + cors_headers, b"", "mediastore-data", operation))
    return answer(OriginResponse(200, headers + cors_headers, obj.body, "mediastore-data",
                                 operation))
