"""AWS Elemental MediaStore data plane, one per container.

AWS serves each container's objects at the container's own Endpoint
(DescribeContainer), signed for service `mediastore`. Here that endpoint is
http://<host>/_mediastore/<container>, so `boto3.client("mediastore-data",
endpoint_url=<Endpoint>)` works unchanged. moto's data plane cannot route keys
with '/' or '.' and keeps one object store per region, so this module serves
the whole data plane itself, storing objects on moto's Container.

Folders are not stored: they exist while an object lies below them, which is
AWS's behaviour: "When you delete the only object in a folder, AWS Elemental
MediaStore automatically deletes the folder and any empty folders above that
folder" (https://docs.aws.amazon.com/mediastore/latest/ug/objects-delete.html).
"""

import datetime
import hashlib
import re
from email.utils import format_datetime

from werkzeug.wrappers import Response

from . import model
from .mediastore import DATA_PREFIX, find_container, objects_of
from .protocol import AwsError, authenticate

PREFIX = DATA_PREFIX
SERVICE = "mediastore-data"


class DataObject:
    """One stored object: bytes plus the metadata PutObject accepted."""

    def __init__(self, body, content_type, cache_control, storage_class):
        self.body = body
        self.content_type = content_type or "application/octet-stream"
        self.cache_control = cache_control
        self.storage_class = storage_class or "TEMPORAL"
        self.etag = hashlib.md5(body).hexdigest()
        self.sha256 = hashlib.sha256(body).hexdigest()
        self.last_modified = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def handle(call):
    """Serves a request under /_mediastore/<container>/..."""
    call.service, call.protocol = SERVICE, "rest-json"
    name, _, rest = call.path[len(PREFIX):].partition("/")
    if call.signing_service not in (None, "mediastore"):
        raise AwsError(
            "InvalidSignatureException",
            "Credential should be scoped to correct service: 'mediastore'.",
            403,
        )
    op, labels = model.router(SERVICE).match(call.method, "/" + rest, call.query)
    call.operation = op
    if op is None:
        raise AwsError("UnknownOperationException", f"No operation for {call.method} /{rest}", 404)
    op_model = model.service_model(SERVICE).operation_model(op)
    params = model.parse_rest_request(op_model, labels, call.query, call.headers, call.body)
    model.validate(op_model, params)
    authenticate(call, op, resource=resource_arn(call, name, params))
    container = find_container(call, name)
    if container is None:
        raise AwsError("ContainerNotFoundException", f"The container {name} does not exist.", 404)
    return OPERATIONS[op](call, objects_of(container), params)


def resource_arn(call, name, params):
    """The ARN an IAM policy is evaluated against for this request.

    The IAM service authorization reference gives MediaStore three resource
    types: container arn:${Partition}:mediastore:${Region}:${Account}:
    container/${ContainerName}, folder .../container/${ContainerName}/
    ${FolderPath} and object .../container/${ContainerName}/${ObjectPath}.
    Object operations name the object; ListItems the folder it lists, or the
    container for its top. Built from the request (the container need not
    exist: an unknown container is answered only to an authorized caller).
    """
    arn = f"arn:aws:mediastore:{call.region}:{call.account_id}:container/{name}"
    path = (params.get("Path") or "").strip("/")
    return f"{arn}/{path}" if path else arn


def _object_or_raise(objects, path):
    obj = objects.get(path)
    if obj is None:
        raise AwsError("ObjectNotFoundException", f"Object {path} does not exist.", 404)
    return obj


def _object_headers(resp, obj):
    resp.headers["ETag"] = obj.etag
    resp.headers["Content-Type"] = obj.content_type
    resp.headers["Last-Modified"] = format_datetime(obj.last_modified, usegmt=True)
    if obj.cache_control:
        resp.headers["Cache-Control"] = obj.cache_control


def put_object(call, objects, params):
    obj = DataObject(
        params["Body"] or b"",
        params.get("ContentType"),
        params.get("CacheControl"),
        params.get("StorageClass"),
    )
    objects[params["Path"]] = obj
    return call.json({"ContentSHA256": obj.sha256, "ETag": obj.etag, "StorageClass": obj.storage_class})


_RANGE = re.compile(r"bytes=(\d*)-(\d*)$")


def get_object(call, objects, params):
    obj = _object_or_raise(objects, params["Path"])
    body, status = obj.body, 200
    size = len(obj.body)
    content_range = None
    if params.get("Range"):
        # API_GetObject: "The range bytes of an object to retrieve", RFC 7233 form.
        m = _RANGE.match(params["Range"])
        if not m or (not m.group(1) and not m.group(2)):
            raise AwsError("RequestedRangeNotSatisfiableException", "The requested range is not valid.", 416)
        if m.group(1):
            first = int(m.group(1))
            last = min(int(m.group(2)), size - 1) if m.group(2) else size - 1
        else:
            first, last = max(size - int(m.group(2)), 0), size - 1
        if first >= size or first > last:
            raise AwsError("RequestedRangeNotSatisfiableException", "The requested range is not satisfiable.", 416)
        body, status = obj.body[first : last + 1], 206
        content_range = f"bytes {first}-{last}/{size}"
    resp = Response(body, status=status)
    _object_headers(resp, obj)
    if content_range:
        resp.headers["Content-Range"] = content_range
    return resp


def describe_object(call, objects, params):
    obj = _object_or_raise(objects, params["Path"])
    resp = Response(b"", status=200)
    _object_headers(resp, obj)
    resp.headers["Content-Length"] = str(len(obj.body))
    return resp


def delete_object(call, objects, params):
    _object_or_raise(objects, params["Path"])
    del objects[params["Path"]]
    return call.json({})


def list_items(call, objects, params):
    """ListItems: the objects and folders directly inside Path, by name.

    NextToken is the name of the last item returned, so deleting items while
    paging (the emptying loop in aws-facts §3.3) neither skips nor repeats.
    """
    folder = (params.get("Path") or "").strip("/")
    prefix = f"{folder}/" if folder else ""
    items = {}
    for path, obj in objects.items():
        if not path.startswith(prefix):
            continue
        head, sep, _ = path[len(prefix):].partition("/")
        if sep:
            items.setdefault(head, {"Name": head, "Type": "FOLDER"})
        else:
            items[head] = {
                "Name": head,
                "Type": "OBJECT",
                "ETag": obj.etag,
                "LastModified": obj.last_modified.timestamp(),
                "ContentType": obj.content_type,
                "ContentLength": len(obj.body),
            }
    names = sorted(items)
    after = params.get("NextToken")
    if after:
        names = [n for n in names if n > after]
    limit = params.get("MaxResults") or 1000
    page = names[:limit]
    result = {"Items": [items[n] for n in page]}
    if len(names) > limit:
        result["NextToken"] = page[-1]
    return call.json(result)


OPERATIONS = {
    "PutObject": put_object,
    "GetObject": get_object,
    "DescribeObject": describe_object,
    "DeleteObject": delete_object,
    "ListItems": list_items,
}
