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

A second correction, to moto's evaluation of role trust policies on
sts:AssumeRole (`IAMPolicyStatement`): a statement whose Principal names no
"AWS" principal (a service, such as the medialive.amazonaws.com a MediaLive
role trusts) made moto evaluate `caller in None` and fail with HTTP 500; a
statement naming other principals than the caller counted as an explicit
deny, so a trust policy with a service statement and a statement for the
caller refused the caller; and an "AWS" principal given as one string was
matched as a substring of the caller's ARN. AWS applies a statement only to
the principals it names ("Principal: the account, user, role ... that is
allowed or denied access", IAM JSON policy elements reference): a statement
for someone else neither allows nor denies, an IAM user is not a service
principal, and "arn:...:user/a" does not match "arn:...:user/ab".

A third, to identity policies with S3 condition keys: moto evaluates a
Condition only for StringEquals and only on the keys it supplies (none when
it checks an identity policy), so an s3:ListBucket allowed under
"StringLike": {"s3:prefix": ...} allowed every listing. For S3 requests this
module supplies the request's s3:prefix, s3:delimiter and s3:max-keys (from
the query string) and evaluates the String* operators on them as AWS does: a
key absent from the request makes the condition false ("If the key that you
specify in a policy condition is not present in the request context, the
values do not match and the condition is false. If the policy condition
requires that the key is not matched, such as StringNotLike ..., and the
right key is not present, the condition is true", IAM JSON policy elements:
condition operators). Other keys and operators are left to moto, as before.
And a statement whose conditions do not hold does not apply: moto made it
an explicit deny, even for an Allow statement, so that no other statement
could allow the request ("The Condition element (or Condition block) lets
you specify conditions for when a policy is in effect", IAM JSON policy
elements: Condition; only a Deny statement denies explicitly).

A fourth, to the IAM actions moto evaluates for S3 requests: moto names them
from a table of HTTP methods and query keys (moto/s3/responses.py
ACTION_MAP) that does not match AWS's: HeadBucket is checked as
s3:HeadBucket (AWS: s3:ListBucket), ?publicAccessBlock and
?ownershipControls as s3:CreateBucket, s3:ListBucket or s3:DeleteBucket,
CreateBucket with x-amz-object-ownership as s3:CreateBucket alone, and so
on. The layer (s3.py) works out the actions AWS requires for the operation
it identified ("Actions, resources, and condition keys for Amazon S3", the
IAM service authorization reference, and each operation's "Permissions" in
the S3 API reference) and sets `s3_actions`; moto's S3 check then evaluates
those, every one of them, instead of its own name. `s3_actions = []` means
the layer has authorized the request itself (DeleteObjects, per object):
the signature is still verified.

A fifth, to the message of an S3 refusal: moto says "Access Denied"; S3
"now includes additional context in access denied (HTTP 403 Forbidden)
errors for requests made to resources within the same AWS account", "in the
format User user-arn is not authorized to perform action on "resource-arn"
because context" (S3 user guide, troubleshoot-403-errors.html): the caller,
the action refused, the resource, and whether no policy allowed it or one
denied it explicitly. The layer writes that message, so a refusal names the
action as on AWS.

A sixth, to the resource moto evaluates SSM requests on: "*" for every
operation (moto/core/responses.py `call_action` without a
`_determine_resource` for SSM), so a policy granting ssm:GetParameter on
`arn:aws:ssm:<region>:<account>:parameter/lsms/channel/<name>/*` (the
MediaLive role lsms_channel creates, read by the media plane with the
channel's credentials) refused even that parameter. AWS evaluates the
parameter's ARN ("Actions, resources, and condition keys for AWS Systems
Manager": GetParameter, PutParameter, DeleteParameter, GetParameterHistory,
LabelParameterVersion on resource type `parameter`,
arn:${Partition}:ssm:${Region}:${Account}:parameter/${ParameterNameWithoutLeadingSlash});
the layer gives moto that ARN for the operations naming one parameter.
Operations naming several (GetParameters, DeleteParameters) keep moto's "*".
"""

import json
import re

from botocore.awsrequest import AWSRequest
from moto import settings
from moto.core.authorization import ActionAuthenticatorMixin
from moto.iam import access_control

_original = access_control.IAMRequestBase._create_aws_request
_original_statement_check = access_control.IAMPolicyStatement.is_action_permitted

# The raw body, the signing service and the query (a MultiDict) of the request
# being served; set by app.LsmsApp under its lock.
request_body = None
request_service = None
request_query = None
# The S3 actions (names without "s3:") AWS evaluates for the S3 request being
# served, as s3.py works them out; None: moto's own name is kept.
s3_actions = None

# S3 condition keys taken from the query string (S3 user guide, "Amazon S3
# condition key examples": s3:prefix, s3:delimiter, s3:max-keys for ListBucket).
S3_QUERY_KEYS = {"s3:prefix": "prefix", "s3:delimiter": "delimiter", "s3:max-keys": "max-keys"}


def _literal_like(pattern, value):
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, re.S) is not None


STRING_OPERATORS = {
    "StringEquals": lambda want, got: got == want,
    "StringNotEquals": lambda want, got: got != want,
    "StringLike": _literal_like,
    "StringNotLike": lambda want, got: not _literal_like(want, got),
}


def _s3_context():
    """The S3 condition keys of the request being served, or None."""
    if request_service != "s3" or request_query is None:
        return None
    return {key: request_query.get(param) for key, param in S3_QUERY_KEYS.items()
            if param in request_query}


_original_check_conditions = access_control.IAMPolicyStatement._check_conditions


def _check_conditions(self, incoming_condition_values):
    context = _s3_context() if incoming_condition_values is None else None
    conditions = self._statement.get("Condition") or {}
    if context is None or not isinstance(conditions, dict):
        return _original_check_conditions(self, incoming_condition_values)
    for operator, keys in conditions.items():
        test = STRING_OPERATORS.get(operator)
        for key, wanted in (keys or {}).items():
            if key not in S3_QUERY_KEYS:
                continue  # not ours to judge: moto's rules below
            if test is None:
                return False  # an operator this layer cannot evaluate must not allow
            values = wanted if isinstance(wanted, list) else [wanted]
            got = context.get(key)
            if got is None:
                # Absent from the request: false, except for a negated
                # operator, which "is true" (same page).
                if "Not" not in operator:
                    return False
                continue
            if "Not" in operator:
                # Negated: true only when no value matches.
                if not all(test(str(v), got) for v in values):
                    return False
            elif not any(test(str(v), got) for v in values):
                return False
    return _original_check_conditions(self, incoming_condition_values)


def _create_aws_request_from_sent_bytes(self):
    if request_body is None:
        return _original(self)
    signed = self._get_string_between("SignedHeaders=", ",", self._headers["Authorization"])
    headers = self._create_headers_for_aws_request(signed.split(";"), self._headers)
    request = AWSRequest(method=self._method, url=self._path, data=request_body,
                         headers=headers)
    request.context["timestamp"] = headers["X-Amz-Date"]
    return request


def _check_principal(self, principal):
    """Whether the caller's ARN `principal` is among the statement's."""
    expected = self._statement.get("Principal")
    if not expected or expected == "*":
        return True
    aws = expected.get("AWS") if isinstance(expected, dict) else None
    if aws is None:
        return False  # only service (or federated) principals: not an IAM caller
    names = aws if isinstance(aws, list) else [aws]
    return "*" in names or principal in names


def _statement_is_action_permitted(self, action, resource="*", principal=None,
                                   incoming_condition_values=None):
    if principal and not _check_principal(self, principal):
        return access_control.PermissionResult.NEUTRAL  # a statement about someone else
    if self._statement.get("Condition") and not self._check_conditions(incoming_condition_values):
        # moto answers DENIED, an explicit deny even from an Allow statement;
        # a statement whose conditions do not hold does not apply at all.
        return access_control.PermissionResult.NEUTRAL
    return _original_statement_check(self, action, resource, principal, incoming_condition_values)


_original_s3_authorize = ActionAuthenticatorMixin._authenticate_and_authorize_s3_action


def _authorize_s3_as_aws(self, bucket_name=None, key_name=None):
    """moto's S3 check (core/authorization.py), with the actions AWS
    evaluates for the request (`s3_actions`) instead of moto's one name.
    The request must be allowed every action, on the bucket or object ARN
    moto computes. The count of unauthenticated actions is moto's."""
    actions = s3_actions
    if actions is None or \
            ActionAuthenticatorMixin.request_count < settings.INITIAL_NO_AUTH_ACTION_COUNT:
        return _original_s3_authorize(self, bucket_name, key_name)
    from urllib.parse import urlparse
    from moto.utilities.utils import get_partition

    arn = f"{bucket_name or '*'}/{key_name}" if key_name else (bucket_name or "*")
    resource = f"arn:{get_partition(self.region)}:s3:::{arn}"
    path = self.raw_path
    query = urlparse(self.uri).query
    if query:
        path += "?" + query
    request = access_control.S3IAMRequest(
        account_id=self.current_account, method=self.method, path=path, data=self.data,
        body=self.raw_body, headers=self.headers, action=actions[0] if actions else "")
    request.check_signature()
    for action in actions:
        request._action = f"s3:{action}"
        request.check_action_permitted(resource)


def _s3_check_action_permitted(self, resource):
    """moto's policy evaluation for an S3 request (IAMRequestBase.
    check_action_permitted, whose role-assumption part S3 never needs), with
    AWS's message when the action is refused."""
    permitted = False
    for policy in self._access_key.collect_policies():
        result = access_control.IAMPolicy(policy).is_action_permitted(self._action, resource)
        if result == access_control.PermissionResult.DENIED:
            _s3_access_denied(self, resource, "with an explicit deny in an identity-based policy")
        elif result == access_control.PermissionResult.PERMITTED:
            permitted = True
    if not permitted:
        _s3_access_denied(self, resource,
                          f"because no identity-based policy allows the {self._action} action")


def _s3_access_denied(request, resource, why):
    from moto.core.exceptions import ServiceException

    try:
        request._raise_access_denied()  # moto's AccessDenied, for this bucket or none
    except ServiceException as e:
        e.message = (f"User: {request._access_key.arn} is not authorized to perform: "
                     f"{request._action} on resource: \"{resource}\" {why}")
        raise


_SSM_ONE_PARAMETER = ("GetParameter", "PutParameter", "DeleteParameter", "GetParameterHistory",
                      "LabelParameterVersion", "UnlabelParameterVersion")


def _ssm_resource(self):
    """The parameter's ARN for the SSM operations naming one parameter."""
    try:
        action = self._get_action()
        name = self._get_param("Name") if action in _SSM_ONE_PARAMETER else None
        if action == "GetParameters" and len(self._get_param("Names") or []) == 1:
            name = self._get_param("Names")[0]
    except Exception:
        name = None
    if not name or not isinstance(name, str):
        return "*"
    if name.startswith("arn:"):
        return name
    from moto.utilities.utils import get_partition
    return f"arn:{get_partition(self.region)}:ssm:{self.region}:{self.current_account}:parameter/{name.lstrip('/')}"


def install():
    from moto.ssm.responses import SimpleSystemManagerResponse

    SimpleSystemManagerResponse._determine_resource = _ssm_resource
    access_control.IAMRequestBase._create_aws_request = _create_aws_request_from_sent_bytes
    access_control.IAMPolicyStatement._check_principal = _check_principal
    access_control.IAMPolicyStatement.is_action_permitted = _statement_is_action_permitted
    access_control.IAMPolicyStatement._check_conditions = _check_conditions
    ActionAuthenticatorMixin._authenticate_and_authorize_s3_action = _authorize_s3_as_aws
    access_control.S3IAMRequest.check_action_permitted = _s3_check_action_permitted


# -- resource policies, for requests the layer makes itself --------------------
#
# The CloudFront edge (edge_origin.py) fetches from S3 and MediaStore as
# CloudFront does: as the service principal cloudfront.amazonaws.com when an
# Origin Access Control signs the request, as a legacy origin access
# identity, or anonymously. S3 and MediaStore then evaluate the bucket or
# container policy. That evaluation reuses moto's statement matching
# (IAMPolicyStatement: Action/NotAction and Resource patterns) with the
# layer's corrections above (a statement applies only to the principals it
# names; a statement whose conditions do not hold does not apply), and
# evaluates every condition of a matching statement on the request's context
# (aws:SourceArn, aws:UserAgent, aws:SecureTransport, ...) instead of
# moto's StringEquals-only check that ignores keys it does not know.
# What it cannot evaluate raises UnsupportedPolicy, so the edge answers a
# loud error rather than a guess.


class UnsupportedPolicy(Exception):
    """A policy element or condition the layer cannot evaluate as AWS does."""


class ServicePrincipal(str):
    """A request made by an AWS service in its own name (e.g.
    "cloudfront.amazonaws.com" for an Origin Access Control)."""


class AnonymousPrincipal(str):
    """An unsigned request: only statements for everyone apply to it."""


ANONYMOUS = AnonymousPrincipal("*")

# The condition keys of the request the layer is evaluating a resource
# policy for (lower-case names; condition key names are case-insensitive),
# or None outside such an evaluation.
request_context = None


def _arn_like(pattern, value):
    """ArnLike: each of the six colon-delimited parts matched on its own,
    with * and ? wildcards (IAM condition operators, ARN condition operators)."""
    want, got = pattern.split(":", 5), value.split(":", 5)
    return len(want) == len(got) == 6 and all(_literal_like(w, g) for w, g in zip(want, got))


CONTEXT_OPERATORS = dict(STRING_OPERATORS, **{
    "StringEqualsIgnoreCase": lambda want, got: got.lower() == want.lower(),
    "StringNotEqualsIgnoreCase": lambda want, got: got.lower() != want.lower(),
    "ArnEquals": lambda want, got: got == want,
    "ArnNotEquals": lambda want, got: got != want,
    "ArnLike": _arn_like,
    "ArnNotLike": lambda want, got: not _arn_like(want, got),
    "Bool": lambda want, got: str(got).lower() == str(want).lower(),
})


def _context_condition_holds(operator, key, wanted):
    """One condition key of a statement, on `request_context` (IAM JSON policy
    elements: condition operators)."""
    values = wanted if isinstance(wanted, list) else [wanted]
    if key.lower() not in request_context:
        # A key AWS may supply that the layer does not know: no guess.
        raise UnsupportedPolicy(f"condition key {key}")
    got = request_context[key.lower()]
    if operator == "Null":
        # "Null": true holds when the key is absent.
        return all((got is None) == (str(v).lower() == "true") for v in values)
    if_exists = operator.endswith("IfExists")
    name = operator[: -len("IfExists")] if if_exists else operator
    test = CONTEXT_OPERATORS.get(name)
    if test is None or ":" in operator:
        # Numeric and date operators, ForAnyValue:/ForAllValues: set operators.
        raise UnsupportedPolicy(f"condition operator {operator} (key {key})")
    if got is None:
        # "If the key that you specify in a policy condition is not present
        # in the request context, the values do not match and the condition
        # is false", except for negated operators and ...IfExists.
        return if_exists or "Not" in name
    if "Not" in name:
        return all(test(str(v), str(got)) for v in values)
    return any(test(str(v), str(got)) for v in values)


def _principal_matches(statement, principal):
    """Whether `statement` is about `principal` (a caller ARN, a
    ServicePrincipal or ANONYMOUS). "*" and {"AWS": "*"} are everyone."""
    if "NotPrincipal" in statement:
        raise UnsupportedPolicy("NotPrincipal")
    expected = statement.get("Principal")
    if expected == "*":
        return True
    if not isinstance(expected, dict):
        raise UnsupportedPolicy(f"Principal {expected!r}")
    aws = expected.get("AWS")
    aws = aws if isinstance(aws, list) else [aws] if aws else []
    if "*" in aws:
        return True
    if "CanonicalUser" in expected or "Federated" in expected:
        raise UnsupportedPolicy("a CanonicalUser or Federated principal")
    if isinstance(principal, ServicePrincipal):
        services = expected.get("Service")
        services = services if isinstance(services, list) else [services]
        return str(principal) in services
    if isinstance(principal, AnonymousPrincipal):
        return False
    return str(principal) in aws


def resource_policy_decision(policy, action, resource, principal, context):
    """How a resource-based policy (JSON text or dict) answers `principal`
    asking for `action` on `resource` with the condition keys `context`
    ({key: value, or None for a key known to be absent from the request}):
    "deny" (an explicit Deny applies), "allow" (an Allow applies and no Deny),
    or None (no statement applies). Raises UnsupportedPolicy."""
    global request_context
    document = json.loads(policy) if isinstance(policy, (str, bytes)) else policy
    statements = document.get("Statement") or []
    if isinstance(statements, dict):
        statements = [statements]
    allowed = False
    request_context = {k.lower(): v for k, v in context.items()}
    try:
        for raw in statements:
            if "NotResource" in raw:
                raise UnsupportedPolicy("NotResource")
            statement = access_control.IAMPolicyStatement(raw)
            concerned = ("NotAction" in raw and not statement._check_element_matches("NotAction", action)) \
                or ("Action" in raw and statement._check_element_matches("Action", action))
            if "Resource" not in raw:
                raise UnsupportedPolicy("a statement without Resource")
            if not concerned or not _principal_matches(raw, principal) or \
                    not statement._check_element_matches("Resource", resource):
                continue
            conditions = raw.get("Condition") or {}
            if not all(_context_condition_holds(op, key, wanted)
                       for op, keys in conditions.items() for key, wanted in (keys or {}).items()):
                continue  # a statement whose conditions do not hold does not apply
            if raw.get("Effect") == "Deny":
                return "deny"
            allowed = allowed or raw.get("Effect") == "Allow"
    finally:
        request_context = None
    return "allow" if allowed else None
