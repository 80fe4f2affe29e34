"""Amazon S3 (`rest-xml`): request-metrics configurations, new-bucket
defaults, lifecycle days, and version markers that were deleted.

moto serves S3; this module adds what it lacks and corrects where it answers
differently from AWS:

  * Put/Get/Delete/ListBucketMetricsConfiguration(s) (`?metrics`): moto has
    none of them and, worse, routes them as bucket requests (in us-east-1 a
    PUT `?metrics` is a CreateBucket answered 200, a DELETE `?metrics&id=`
    deletes the bucket). Served here, validated against the botocore model;
    the configurations live on moto's bucket object (`lsms_metrics`), so
    they go with the bucket and with /moto-api/reset.
  * CreateBucket: a new bucket gets all four Block Public Access settings on
    and Object Ownership BucketOwnerEnforced (unless the request sets
    x-amz-object-ownership), as AWS gives every new bucket; moto gives none.
  * PutBucketLifecycleConfiguration: Expiration Days must be a positive
    integer (moto stores 0 and negative days).
  * DeleteObjects in quiet mode answers only the keys it could not delete
    (moto lists every deleted key).
  * ListObjectVersions continued from a key/version marker whose version has
    been deleted since (list a page, delete it, list the next page: how AWS's
    own examples empty a bucket) goes on from where that version was; moto
    looks the marker version up and, not finding it, returns nothing more.

Everything else reaches moto untouched.
"""

import xml.etree.ElementTree as ET

from . import model
from .protocol import AwsError, authenticate

SERVICE = "s3"
NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/"
MAX_METRICS_CONFIGURATIONS = 1000
METRICS_PAGE = 100
METRICS_ID_MAX = 64
_ID_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_")

# The IAM action each served operation is authorized as (S3 user guide,
# "Required permissions for Amazon S3 API operations").
_IAM_ACTIONS = {
    "PutBucketMetricsConfiguration": "PutMetricsConfiguration",
    "DeleteBucketMetricsConfiguration": "PutMetricsConfiguration",
    "GetBucketMetricsConfiguration": "GetMetricsConfiguration",
    "ListBucketMetricsConfigurations": "GetMetricsConfiguration",
}


def _backend(call):
    from moto.s3.models import s3_backends
    from moto.utilities.utils import get_partition

    return s3_backends[call.account_id][get_partition(call.region)]


def _bucket_or_raise(call, name):
    bucket = _backend(call).buckets.get(name)
    if bucket is None:
        raise AwsError("NoSuchBucket", "The specified bucket does not exist", 404)
    return bucket


def metrics_of(bucket):
    """The bucket's metrics configurations: {id: MetricsConfiguration}."""
    if not hasattr(bucket, "lsms_metrics"):
        bucket.lsms_metrics = {}
    return bucket.lsms_metrics


def _xml_response(call, element, status=200):
    body = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(element)
    resp = call.empty(status)
    resp.set_data(body)
    resp.headers["Content-Type"] = "application/xml"
    return resp


def _no_such_configuration():
    return AwsError("NoSuchConfiguration", "The specified configuration does not exist.", 404)


def _check_id(metrics_id):
    # API_PutBucketMetricsConfiguration, Id: "The ID has a 64 character limit
    # and can only contain letters, numbers, periods, dashes, and underscores."
    if not metrics_id or len(metrics_id) > METRICS_ID_MAX or set(metrics_id) - _ID_CHARS:
        raise AwsError("InvalidArgument", "The metrics configuration id must be 1 to 64 letters, "
                                          "numbers, periods, dashes and underscores.")


def _put_metrics(call, params, bucket):
    metrics_id = params["Id"]
    _check_id(metrics_id)
    configs = metrics_of(bucket)
    if metrics_id not in configs and len(configs) >= MAX_METRICS_CONFIGURATIONS:
        # API_PutBucketMetricsConfiguration: "TooManyConfigurations - You are
        # attempting to create a new configuration but have already reached
        # the 1,000-configuration limit."
        raise AwsError("TooManyConfigurations", "You are attempting to create a new configuration "
                       "but have already reached the 1,000-configuration limit.")
    config = dict(params["MetricsConfiguration"])
    config["Id"] = metrics_id
    configs[metrics_id] = config
    return call.empty(200)


def _get_metrics(call, params, bucket):
    config = metrics_of(bucket).get(params["Id"])
    if config is None:
        raise _no_such_configuration()
    shape = model.service_model(SERVICE).shape_for("MetricsConfiguration")
    return _xml_response(call, model.to_xml(shape, config, "MetricsConfiguration", NAMESPACE))


def _delete_metrics(call, params, bucket):
    if metrics_of(bucket).pop(params["Id"], None) is None:
        raise _no_such_configuration()
    return call.empty(204)


def _list_metrics(call, params, bucket):
    configs = [metrics_of(bucket)[k] for k in sorted(metrics_of(bucket))]
    token = params.get("ContinuationToken")
    start = 0
    if token is not None:
        if not token.isdigit() or int(token) > len(configs):
            raise AwsError("InvalidArgument", "The continuation token provided is incorrect")
        start = int(token)
    page = configs[start:start + METRICS_PAGE]
    truncated = start + METRICS_PAGE < len(configs)
    out = {"IsTruncated": truncated, "MetricsConfigurationList": page or None,
           "ContinuationToken": token,
           "NextContinuationToken": str(start + METRICS_PAGE) if truncated else None}
    op_model = model.service_model(SERVICE).operation_model(call.operation)
    return _xml_response(call, model.to_xml(op_model.output_shape, out,
                                            "ListMetricsConfigurationsResult", NAMESPACE))


SERVED = {
    "PutBucketMetricsConfiguration": _put_metrics,
    "GetBucketMetricsConfiguration": _get_metrics,
    "DeleteBucketMetricsConfiguration": _delete_metrics,
    "ListBucketMetricsConfigurations": _list_metrics,
}


def _serve(call, served):
    op_model = model.service_model(SERVICE).operation_model(call.operation)
    params = {"Bucket": call.labels.get("Bucket")}
    for name, member in op_model.input_shape.members.items():
        ser = member.serialization
        if ser.get("location") == "querystring" and ser.get("name") in call.query:
            params[name] = call.query[ser["name"]]
    params.update(model.parse_xml_payload(op_model, call.body))
    model.validate(op_model, params, code="MalformedXML")
    bucket_name = params["Bucket"]
    authenticate(call, _IAM_ACTIONS[call.operation], resource=f"arn:aws:s3:::{bucket_name}",
                 s3=True)
    return served(call, params, _bucket_or_raise(call, bucket_name))


def _create_bucket(call, forward):
    """AWS API_CreateBucket: "By default, Object Ownership is set to
    BucketOwnerEnforced and ACLs are disabled" and "By default, all Block
    Public Access settings are enabled for new buckets"."""
    from moto.s3.models import PublicAccessBlock

    name = call.labels.get("Bucket")
    existed = name in _backend(call).buckets
    resp = forward()
    bucket = _backend(call).buckets.get(name)
    if resp.status_code != 200 or existed or bucket is None:
        return resp
    if bucket.public_access_block is None:
        bucket.public_access_block = PublicAccessBlock(True, True, True, True)
    if not bucket.ownership_rule:
        bucket.ownership_rule = "BucketOwnerEnforced"
    return resp


def _put_lifecycle(call, forward):
    """API_LifecycleExpiration, Days: "Indicates the lifetime, in days, of the
    objects that are subject to the rule. The value must be a non-zero
    positive integer." AWS answers InvalidArgument; moto stores the rule."""
    try:
        root = ET.fromstring(call.body or b"")
    except ET.ParseError:
        return None  # moto answers MalformedXML itself
    for rule in root:
        if model._local(rule.tag) != "Rule":
            continue
        for expiration in (c for c in rule if model._local(c.tag) == "Expiration"):
            for days in (c for c in expiration if model._local(c.tag) == "Days"):
                text = (days.text or "").strip()
                if not text.lstrip("-").isdigit() or int(text) < 1:
                    authenticate(call, "PutLifecycleConfiguration", count=False, s3=True)
                    raise AwsError("InvalidArgument",
                                   "'Days' for Expiration action must be a positive integer", 400)
    return forward()


def _delete_objects(call, forward):
    """API_DeleteObjects, Quiet: "Element to enable quiet mode for the
    request. When you add this element, you must set its value to true."
    and "In quiet mode the response includes only keys where the delete
    action encountered an error"; moto lists every deleted key anyway."""
    resp = forward()
    try:
        quiet = any(model._local(c.tag) == "Quiet" and (c.text or "").strip() == "true"
                    for c in ET.fromstring(call.body or b""))
    except ET.ParseError:
        return resp
    if not quiet or resp.status_code != 200:
        return resp
    try:
        root = ET.fromstring(resp.get_data())
    except ET.ParseError:
        return resp
    for deleted in [c for c in root if model._local(c.tag) == "Deleted"]:
        root.remove(deleted)
    ET.register_namespace("", NAMESPACE)
    resp.set_data(b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root))
    return resp


CORRECTED = {"CreateBucket": _create_bucket, "PutBucketLifecycleConfiguration": _put_lifecycle,
             "DeleteObjects": _delete_objects}


def handle(call, forward):
    if call.service != SERVICE or not call.operation:
        return None
    served = SERVED.get(call.operation)
    if served is not None:
        return _serve(call, served)
    corrected = CORRECTED.get(call.operation)
    return corrected(call, forward) if corrected is not None else None


# -- ListObjectVersions after deletions -----------------------------------------


def _millis(when):
    from moto.core.utils import unix_time_millis

    return unix_time_millis(when)


def _deleted_positions(bucket):
    """{(key, version id): last-modified millis} of versions deleted from the
    bucket, so a listing can continue from where a deleted marker was."""
    if not hasattr(bucket, "lsms_deleted_versions"):
        bucket.lsms_deleted_versions = {}
    return bucket.lsms_deleted_versions


def _vid(version):
    """A version's id as listings show it ("null" in an unversioned bucket)."""
    return "null" if version.version_id is None else str(version.version_id)


def _record_deleted(backend, bucket_name, key_name, version_id):
    bucket = backend.buckets.get(bucket_name)
    if bucket is None:
        return
    versions = bucket.keys.getlist(key_name, []) or []
    for v in versions:
        vid = _vid(v)
        if (version_id is not None and vid == str(version_id)) or \
                (version_id is None and not bucket.is_versioned):
            _deleted_positions(bucket)[(key_name, vid)] = _millis(v.last_modified)


def _markers_after_deletion(backend, bucket_name, key_marker, version_id_marker):
    """(key marker, version id marker) that make moto continue where the
    deleted version (key_marker, version_id_marker) was: the last version
    still there that sorts before it (moto's order: key, newest first), or
    no markers at all when none does. Unchanged when the marker version
    exists or was never seen."""
    bucket = backend.buckets.get(bucket_name)
    if bucket is None or not key_marker or not version_id_marker:
        return key_marker, version_id_marker
    versions = bucket.keys.getlist(key_marker, []) or []
    if any(_vid(v) == version_id_marker for v in versions):
        return key_marker, version_id_marker
    when = _deleted_positions(bucket).get((key_marker, version_id_marker))
    if when is None:
        return key_marker, version_id_marker
    position = (key_marker, -when)
    before = None
    for _, key_versions in bucket.keys.iterlists():
        for v in key_versions:
            order = (v.name, -_millis(v.last_modified))
            if order < position and (before is None or order > before[0]):
                before = (order, v)
    if before is None:
        return None, None
    return before[1].name, _vid(before[1])


def install():
    """Wraps moto's S3Backend.delete_object and list_object_versions (see the
    module docstring). Idempotent."""
    from moto.s3.models import S3Backend

    if getattr(S3Backend, "_lsms_installed", False):
        return
    original_delete = S3Backend.delete_object
    original_list = S3Backend.list_object_versions

    def delete_object(self, bucket_name, key_name, version_id=None, bypass=False):
        _record_deleted(self, bucket_name, key_name, version_id)
        return original_delete(self, bucket_name, key_name, version_id=version_id, bypass=bypass)

    def list_object_versions(self, bucket_name, delimiter=None, key_marker=None, max_keys=1000,
                             prefix="", version_id_marker=None):
        key_marker, version_id_marker = _markers_after_deletion(self, bucket_name, key_marker,
                                                                version_id_marker)
        return original_list(self, bucket_name, delimiter=delimiter, key_marker=key_marker,
                             max_keys=max_keys, prefix=prefix, version_id_marker=version_id_marker)

    S3Backend.delete_object = delete_object
    S3Backend.list_object_versions = list_object_versions
    S3Backend._lsms_installed = True
