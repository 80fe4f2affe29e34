"""botocore service models: routing, request parsing, validation, output shaping.

Every request the layer serves itself is parsed and validated against the
botocore model of its service, the same model the SDKs are generated from, so
that a client cannot get away with something AWS would reject. Only the
constraints that are cheap to check are enforced: operation exists, required
members present, types, enums, string patterns and lengths, numeric ranges,
list and map sizes. Unknown members are ignored.
"""

import base64
import datetime
import functools
import json
import re
from urllib.parse import unquote

import botocore.session

from .protocol import AwsError


@functools.lru_cache(maxsize=None)
def service_model(name):
    """The botocore ServiceModel for `name` (e.g. "mediastore-data")."""
    return _session().get_service_model(name)


@functools.lru_cache(maxsize=1)
def _session():
    return botocore.session.get_session()


_KNOWN_SIGNING_NAMES = {"monitoring": "cloudwatch", "mediastore": "mediastore", "execute-api": "apigateway"}


@functools.lru_cache(maxsize=None)
def service_for_signing_name(signing_name):
    """The botocore service whose requests are signed with `signing_name`.

    Several models can share a signing name (mediastore and mediastore-data);
    the one whose endpointPrefix equals it wins, the caller picks the others.
    """
    if signing_name in _KNOWN_SIGNING_NAMES:
        return _KNOWN_SIGNING_NAMES[signing_name]
    available = _session().get_available_services()
    if signing_name in available:
        return signing_name
    # Loading every model takes seconds, so this scan is the last resort.
    candidates = []
    for name in available:
        try:
            meta = service_model(name).metadata
        except Exception:  # an unloadable model is simply not a candidate
            continue
        signing = meta.get("signingName", meta.get("endpointPrefix"))
        if signing == signing_name:
            candidates.append((meta.get("endpointPrefix") != signing_name, name))
    return min(candidates)[1] if candidates else None


class Router:
    """Matches (method, path, query, headers) to a rest-json/rest-xml operation.

    Templates come from each operation's `http.requestUri`: `{Label}` matches
    one path segment, `{Label+}` the rest of the path, and literal query keys
    in the template (`?WithTags`, `?Operation=Tag`, S3's `?policy`, `?cors`,
    `?metrics`, `?list-type=2`) must be present.

    S3 also tells operations apart by the members they require:
    `PUT /{Bucket}/{Key+}` is CopyObject when `x-amz-copy-source` is sent and
    PutObject otherwise, `DELETE /{Bucket}/{Key+}` is AbortMultipartUpload
    with `?uploadId=` and DeleteObject without, `GET /{Bucket}?metrics` is
    GetBucketMetricsConfiguration with `&id=` and
    ListBucketMetricsConfigurations without. So a route whose required
    querystring and header members are all present wins over one with fewer
    such requirements; when no route has its requirements met, the best
    match ignoring them is returned (the request then fails validation on
    the missing member, as with AWS).
    """

    def __init__(self, model):
        self.model = model
        self.routes = []
        for op_name in model.operation_names:
            op_model = model.operation_model(op_name)
            http = op_model.http
            path, _, query = http["requestUri"].partition("?")
            literal_query = {}
            for part in filter(None, query.split("&")):
                key, _, value = part.partition("=")
                literal_query[key] = value
            required_query, required_headers = _required_query_and_headers(op_model)
            required_query -= set(literal_query)
            pattern = ""
            for piece in re.split(r"(\{[^}]+\})", path):
                if piece.startswith("{"):
                    label = piece[1:-1]
                    greedy = label.endswith("+")
                    label = label.rstrip("+")
                    group = re.sub(r"\W", "_", label)
                    pattern += f"(?P<{group}>.+)" if greedy else f"(?P<{group}>[^/]+)"
                else:
                    pattern += re.escape(piece)
            # Literal characters rank routes: /prod/channels/{id}/start beats
            # /prod/channels/{id}; then the number of literal query keys, then
            # the number of required query and header members; last, a
            # deprecated operation yields its route to the current one (S3's
            # PutBucketLifecycle to PutBucketLifecycleConfiguration).
            rank = (len(re.sub(r"\{[^}]+\}", "", path)), len(literal_query),
                    len(required_query) + len(required_headers), not op_model.deprecated)
            self.routes.append(
                (rank, http["method"], re.compile(pattern.rstrip("/") + "/?$"), literal_query,
                 required_query, required_headers, op_name)
            )
        self.routes.sort(key=lambda r: r[0], reverse=True)

    def match(self, method, path, query, headers=None):
        """Returns (operation name, {uri label: decoded value}) or (None, {}).

        `query` is a mapping of query keys (a werkzeug MultiDict or a dict),
        `headers` any mapping of request headers (None: no header is known).
        """
        header_names = {k.lower() for k in headers.keys()} if headers is not None else set()
        fallback = None
        for _, route_method, regex, literal_query, req_query, req_headers, op_name in self.routes:
            if route_method != method:
                continue
            m = regex.match(path)
            if not m:
                continue
            if any(k not in query or (v and query.get(k) != v) for k, v in literal_query.items()):
                continue
            labels = {k: unquote(v) for k, v in m.groupdict().items()}
            if all(k in query for k in req_query) and req_headers <= header_names:
                return op_name, labels
            if fallback is None:
                fallback = (op_name, labels)
        return fallback or (None, {})


def _required_query_and_headers(op_model):
    """Wire names of the required querystring members and (lower-cased) the
    required header members of an operation's input."""
    shape = op_model.input_shape
    query, headers = set(), set()
    if shape is None:
        return query, headers
    for name in shape.required_members:
        member = shape.members[name]
        location = member.serialization.get("location")
        wire = member.serialization.get("name", name)
        if location == "querystring":
            query.add(wire)
        elif location == "header":
            headers.add(wire.lower())
    return query, headers


@functools.lru_cache(maxsize=None)
def router(service_name):
    return Router(service_model(service_name))


def parse_rest_request(op_model, labels, query, headers, body):
    """Builds the input parameters (member names) of a rest-json request.

    `labels` are the URI labels from Router.match, `query` a werkzeug
    MultiDict, `headers` the request headers, `body` the raw bytes. A body
    that is not JSON is a SerializationException, as with AWS.
    """
    shape = op_model.input_shape
    params = {}
    if shape is None:
        return params
    payload_member = shape.serialization.get("payload")
    body_doc = None
    for name, member in shape.members.items():
        location = member.serialization.get("location")
        wire = member.serialization.get("name", name)
        if location == "uri":
            if wire in labels or re.sub(r"\W", "_", wire) in labels:
                params[name] = labels.get(wire, labels.get(re.sub(r"\W", "_", wire)))
        elif location == "querystring":
            if member.type_name == "list":
                values = query.getlist(wire)
                if values:
                    params[name] = values
            elif wire in query:
                params[name] = _scalar_from_text(member, query[wire])
        elif location == "header":
            if wire in headers:
                params[name] = _scalar_from_text(member, headers[wire])
        elif name == payload_member or member.serialization.get("streaming"):
            params[name] = body
        else:
            if body_doc is None:
                body_doc = _json_body(body)
            if wire in body_doc:
                params[name] = from_wire(member, body_doc[wire])
    return params


def parse_json_request(op_model, body):
    """Input parameters of a `json` protocol request (members by name)."""
    return _json_body(body) if op_model.input_shape is not None else {}


def _json_body(body):
    if not body:
        return {}
    try:
        doc = json.loads(body)
    except ValueError:
        raise AwsError("SerializationException", "The request body is not valid JSON.")
    if not isinstance(doc, dict):
        raise AwsError("SerializationException", "The request body must be a JSON object.")
    return doc


def _scalar_from_text(shape, text):
    if shape.type_name in ("integer", "long"):
        try:
            return int(text)
        except ValueError:
            return text  # left for validate() to report with the member's path
    if shape.type_name == "boolean":
        return text.lower() == "true"
    return text


def from_wire(shape, value):
    """Converts a rest-json body value (locationName keys) to member names."""
    if shape.type_name == "structure" and isinstance(value, dict):
        out = {}
        for name, member in shape.members.items():
            wire = member.serialization.get("name", name)
            if wire in value:
                out[name] = from_wire(member, value[wire])
        return out
    if shape.type_name == "list" and isinstance(value, list):
        return [from_wire(shape.member, v) for v in value]
    if shape.type_name == "map" and isinstance(value, dict):
        return {k: from_wire(shape.value, v) for k, v in value.items()}
    return value


def to_wire(shape, value):
    """Converts an output value keyed by member names to rest-json body form.

    Members that are None are left out, as AWS leaves out unset members.
    Timestamps become epoch seconds (the rest-json default), or ISO 8601
    where the shape says so (MediaLive's __timestampIso8601).
    """
    if value is None:
        return None
    if shape.type_name == "structure":
        out = {}
        for name, member in shape.members.items():
            if value.get(name) is not None:
                out[member.serialization.get("name", name)] = to_wire(member, value[name])
        return out
    if shape.type_name == "list":
        return [to_wire(shape.member, v) for v in value]
    if shape.type_name == "map":
        return {k: to_wire(shape.value, v) for k, v in value.items()}
    if shape.type_name == "timestamp" and isinstance(value, datetime.datetime):
        if shape.serialization.get("timestampFormat") == "iso8601":
            return value.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        return value.timestamp()
    if shape.type_name == "blob" and isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value


def validate(op_model, params, code="ValidationException", status=400):
    """Raises AwsError(code) listing what in `params` the model forbids."""
    errors = []
    if op_model.input_shape is not None:
        _check(op_model.input_shape, params, "", errors)
    if errors:
        raise AwsError(code, "; ".join(errors[:5]), status)


def _check(shape, value, path, errors):
    where = path or "input"
    kind = shape.type_name
    meta = shape.metadata
    if kind == "structure":
        if not isinstance(value, dict):
            errors.append(f"{where}: expected an object")
            return
        for req in shape.required_members:
            if value.get(req) is None:
                errors.append(f"{_join(path, req)}: is required but was not provided")
        # Unknown members are ignored, as AWS's JSON services ignore them.
        for key, item in value.items():
            if key in shape.members and item is not None:
                _check(shape.members[key], item, _join(path, key), errors)
        return
    if kind == "list":
        if not isinstance(value, list):
            errors.append(f"{where}: expected a list")
            return
        _check_size(meta, len(value), where, "items", errors)
        for i, item in enumerate(value):
            _check(shape.member, item, f"{where}[{i}]", errors)
        return
    if kind == "map":
        if not isinstance(value, dict):
            errors.append(f"{where}: expected a map")
            return
        _check_size(meta, len(value), where, "entries", errors)
        for k, item in value.items():
            _check(shape.key, k, f"{where}.<key>", errors)
            _check(shape.value, item, f"{where}.{k}", errors)
        return
    if kind == "string":
        if not isinstance(value, str):
            errors.append(f"{where}: expected a string")
            return
        _check_size(meta, len(value), where, "characters", errors)
        if shape.enum and value not in shape.enum:
            errors.append(f"{where}: '{value}' is not one of {list(shape.enum)}")
        pattern = meta.get("pattern")
        if pattern and not _full_match(pattern, value):
            errors.append(f"{where}: '{value}' does not match the pattern {pattern}")
        return
    if kind in ("integer", "long", "float", "double"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            errors.append(f"{where}: expected a number")
            return
        if "min" in meta and value < meta["min"]:
            errors.append(f"{where}: {value} is less than the minimum {meta['min']}")
        if "max" in meta and value > meta["max"]:
            errors.append(f"{where}: {value} is greater than the maximum {meta['max']}")
        return
    if kind == "boolean" and not isinstance(value, bool):
        errors.append(f"{where}: expected a boolean")


def _check_size(meta, size, where, unit, errors):
    if "min" in meta and size < meta["min"]:
        errors.append(f"{where}: has {size} {unit}, fewer than the minimum {meta['min']}")
    if "max" in meta and size > meta["max"]:
        errors.append(f"{where}: has {size} {unit}, more than the maximum {meta['max']}")


@functools.lru_cache(maxsize=256)
def _compiled(pattern):
    try:
        return re.compile(pattern)
    except re.error:
        return None  # a Java-only construct; not cheap to check, so not checked


def _full_match(pattern, value):
    regex = _compiled(pattern)
    return regex is None or regex.fullmatch(value) is not None


def _join(path, key):
    return f"{path}.{key}" if path else key


# -- rest-xml (S3) ------------------------------------------------------------

def _local(tag):
    """An element's name without its namespace: "{ns}Id" -> "Id"."""
    return tag.rpartition("}")[2]


def _xml_list_items(member, name, parent):
    """The elements of list `member` (named `name` in its structure) under
    `parent`: flattened lists repeat their element in the structure itself,
    others wrap their items in one element."""
    item_name = member.member.serialization.get("name", "member")
    if member.serialization.get("flattened"):
        return [c for c in parent if _local(c.tag) == name]
    wrapper = next((c for c in parent if _local(c.tag) == name), None)
    return [] if wrapper is None else [c for c in wrapper if _local(c.tag) == item_name]


def from_xml(shape, element):
    """A rest-xml element as member names and Python values, per `shape`.

    Structures map child elements to members (by their serialized names),
    lists follow botocore's flattened and wrapped forms, integers and
    booleans are converted (text that does not convert is kept as text, for
    validate() to report). Members sent as headers, query or XML attributes,
    and unknown elements, are ignored.
    """
    kind = shape.type_name
    if kind == "structure":
        out = {}
        for name, member in shape.members.items():
            ser = member.serialization
            if ser.get("location") or ser.get("xmlAttribute"):
                continue
            wire = ser.get("name", name)
            if member.type_name == "list":
                items = _xml_list_items(member, wire, element)
                if items or any(_local(c.tag) == wire for c in element):
                    out[name] = [from_xml(member.member, i) for i in items]
                continue
            child = next((c for c in element if _local(c.tag) == wire), None)
            if child is not None:
                out[name] = from_xml(member, child)
        return out
    text = element.text or ""
    if kind in ("integer", "long"):
        try:
            return int(text)
        except ValueError:
            return text
    if kind == "boolean":
        return {"true": True, "false": False}.get(text.strip(), text)
    return text


def parse_xml_payload(op_model, body, code="MalformedXML"):
    """The payload structure of a rest-xml request body as member names
    ({"MetricsConfiguration": {...}}), or {} when the input has no payload
    structure. A body that is not XML raises AwsError(code), as S3 answers
    MalformedXML."""
    import xml.etree.ElementTree as ET

    shape = op_model.input_shape
    payload = shape.serialization.get("payload") if shape is not None else None
    if payload is None or shape.members[payload].type_name != "structure":
        return {}
    if not body:
        return {}
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        raise AwsError(code, "The XML you provided was not well-formed or did not validate "
                             "against our published schema.")
    return {payload: from_xml(shape.members[payload], root)}


def to_xml(shape, value, name, namespace=None):
    """Serializes `value` (member names) as the rest-xml element `name`;
    returns an xml.etree Element. None members are left out."""
    import xml.etree.ElementTree as ET

    element = ET.Element(name, {"xmlns": namespace} if namespace else {})
    _fill_xml(shape, value, element)
    return element


def _fill_xml(shape, value, element):
    import xml.etree.ElementTree as ET

    kind = shape.type_name
    if kind == "structure":
        for name, member in shape.members.items():
            item = value.get(name)
            ser = member.serialization
            if item is None or ser.get("location"):
                continue
            wire = ser.get("name", name)
            if member.type_name == "list":
                item_name = member.member.serialization.get("name", "member")
                if ser.get("flattened"):
                    for v in item:
                        _fill_xml(member.member, v, ET.SubElement(element, wire))
                else:
                    wrapper = ET.SubElement(element, wire)
                    for v in item:
                        _fill_xml(member.member, v, ET.SubElement(wrapper, item_name))
                continue
            _fill_xml(member, item, ET.SubElement(element, wire))
        return
    if kind == "boolean":
        element.text = "true" if value else "false"
    else:
        element.text = str(value)
