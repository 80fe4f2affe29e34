"""CORS answers as S3 gives them from a bucket's CORS configuration, and as
MediaStore gives them from a container's CORS policy (the same rule model:
"If more than one rule applies, the service uses the first applicable rule
listed", API_CorsRule).

S3 user guide, cors.html, "How does Amazon S3 evaluate the CORS
configuration on a bucket?": the first rule matches when "The request's
Origin header must match an AllowedOrigin element", "The request method (for
example, GET or PUT) or the Access-Control-Request-Method header in case of a
preflight OPTIONS request must be one of the AllowedMethod elements", and
"Every header listed in the request's Access-Control-Request-Headers header on
the preflight request must match an AllowedHeader element". An AllowedOrigin
and an AllowedHeader may hold one "*" wildcard. cors-troubleshooting.html:
without an Origin header S3 "doesn't treat the request as a cross-origin
request, and doesn't send CORS response headers"; scheme, host and port must
match exactly.

What S3 answers for a matching rule, as observed (the S3 guide does not list
the headers): a rule whose AllowedOrigin is "*" gives
Access-Control-Allow-Origin: *, Access-Control-Allow-Methods (the rule's
methods), Access-Control-Max-Age and Access-Control-Expose-Headers, and no
Vary (awslabs/speke-reference-server#37 shows such an answer through
CloudFront); a rule naming origins echoes the request's origin, adds
Access-Control-Allow-Credentials: true and
"Vary: Origin, Access-Control-Request-Headers, Access-Control-Request-Method"
(kahwee.com, "Setting Up CORS Vary-Origin Headers in AWS S3"). A preflight
also gets Access-Control-Allow-Headers with the requested headers ("Amazon
S3 will send only the allowed headers in a response that were requested",
cors.html, AllowedHeader element).
"""

from .moto_auth import _literal_like

VARY = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method"


class UnsupportedCors(Exception):
    """A CORS rule the layer cannot evaluate as the service does."""


class Rule:
    def __init__(self, origins, methods, headers=(), expose=(), max_age=None):
        self.origins = list(origins or [])
        self.methods = [m.upper() for m in (methods or [])]
        self.headers = list(headers or [])
        self.expose = list(expose or [])
        self.max_age = max_age

    def allows_origin(self, origin):
        return any(_literal_like(o, origin) for o in self.origins)

    def allows_headers(self, requested):
        return all(any(_literal_like(h.lower(), r.lower()) for h in self.headers) for r in requested)


def s3_rules(bucket):
    """The bucket's CORS rules (moto's CorsRule objects), or None when the
    bucket has no CORS configuration."""
    if not getattr(bucket, "cors", None):
        return None
    return [Rule(r.allowed_origins, r.allowed_methods, r.allowed_headers, r.exposed_headers,
                 r.max_age_seconds) for r in bucket.cors]


def mediastore_rules(container):
    """The container's CORS policy (the layer keeps it on moto's Container,
    see mediastore.py), or None when it has none."""
    policy = getattr(container, "lsms_cors_policy", None)
    if not policy:
        return None
    rules = []
    for r in policy:
        if not r.get("AllowedMethods"):
            # API_CorsRule leaves AllowedMethods optional without saying what
            # a rule without them allows.
            raise UnsupportedCors("a MediaStore CORS rule without AllowedMethods")
        rules.append(Rule(r.get("AllowedOrigins"), r.get("AllowedMethods"), r.get("AllowedHeaders"),
                          r.get("ExposeHeaders"), r.get("MaxAgeSeconds")))
    return rules


def _requested_headers(value):
    return [h.strip() for h in (value or "").split(",") if h.strip()]


def _answer(rule, origin, preflight_headers=None):
    headers = []
    if "*" in rule.origins:
        headers.append(("Access-Control-Allow-Origin", "*"))
    else:
        headers.append(("Access-Control-Allow-Origin", origin))
        headers.append(("Access-Control-Allow-Credentials", "true"))
    headers.append(("Access-Control-Allow-Methods", ", ".join(rule.methods)))
    if preflight_headers:
        headers.append(("Access-Control-Allow-Headers", ", ".join(preflight_headers)))
    if rule.expose:
        headers.append(("Access-Control-Expose-Headers", ", ".join(rule.expose)))
    if rule.max_age is not None:
        headers.append(("Access-Control-Max-Age", str(rule.max_age)))
    if headers[0][1] != "*":
        headers.append(("Vary", VARY))
    return headers


def actual_request_headers(rules, method, request_headers):
    """The CORS headers of the answer to an actual (non-preflight) request:
    [] when the request has no Origin, the resource no rules, or no rule
    matches."""
    origin = request_headers.get("Origin")
    if not origin or not rules:
        return []
    for rule in rules:
        if rule.allows_origin(origin) and method.upper() in rule.methods:
            return _answer(rule, origin)
    return []


def preflight(rules, request_headers):
    """(status, headers, message) of a preflight OPTIONS request as S3
    answers it: 200 with the headers of the first matching rule, 403 when
    CORS is off or no rule matches, 400 without Origin or
    Access-Control-Request-Method."""
    origin = request_headers.get("Origin")
    method = request_headers.get("Access-Control-Request-Method")
    if not origin:
        return 400, [], "Insufficient information. Origin request header needed."
    if not method:
        return 400, [], "Invalid Access-Control-Request-Method: null"
    if not rules:
        return 403, [], "CORSResponse: CORS is not enabled for this bucket."
    requested = _requested_headers(request_headers.get("Access-Control-Request-Headers"))
    for rule in rules:
        if rule.allows_origin(origin) and method.upper() in rule.methods and \
                rule.allows_headers(requested):
            return 200, _answer(rule, origin, requested), None
    return 403, [], ("CORSResponse: This CORS request is not allowed. This is usually because the "
                     "evalution of Origin, request method / Access-Control-Request-Method or "
                     "Access-Control-Request-Headers are not whitelisted by the resource's CORS "
                     "spec.")
