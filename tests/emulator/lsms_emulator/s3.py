"""Amazon S3 (`rest-xml`): request-metrics configurations, new-bucket
defaults, lifecycle days, version markers that were deleted, and the
values a conditional write may carry.

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
  * PutObject with an If-None-Match other than "*" (the only value S3
    takes: it is a create-only write, not an ETag comparison) is refused
    with 501 NotImplemented, as S3 refuses it; moto ignored the header and
    overwrote the object, so a lock written that way would seem to work.
    If-None-Match: * and If-Match (the conditional writes Terraform's and
    OpenTofu's S3 lock file relies on) are moto's own, 412 when they fail;
    requests are served one at a time, so the check and the write are one
    step (test_s3_conditional.py).
  * In auth mode, every S3 operation is authorized as the IAM actions AWS
    evaluates for it (`aws_actions`, handed to moto_auth), not the names
    moto derives from the method and query keys; DeleteObjects object by
    object (s3:DeleteObject, and s3:DeleteObjectVersion for a named
    version), a refused object listed as an AccessDenied <Error> of a 200
    answer while the others are deleted, as AWS does.

Everything else reaches moto untouched.
"""

import xml.etree.ElementTree as ET

from . import listings, model, moto_auth
from .protocol import AwsError, authenticate, s3_authorizer

SERVICE = "s3"
NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/"
MAX_METRICS_CONFIGURATIONS = 1000
METRICS_PAGE = 100
METRICS_ID_MAX = 64
_ID_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_")

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
    authenticate(call, _AWS_ACTIONS[call.operation][0], resource=f"arn:aws:s3:::{bucket_name}",
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


def _put_object(call, forward):
    """API_PutObject, If-None-Match: "Uploads the object only if the object
    key name does not already exist in the bucket specified. Otherwise,
    Amazon S3 returns a 412 Precondition Failed error. ... Expects the '*'
    (asterisk) character." Any other value is not a condition S3 evaluates:
    it answers 501 NotImplemented ("A header you provided implies
    functionality that is not implemented", ErrorResponses.html; observed
    for an ETag value in aws/aws-sdk-ruby#3144) and writes nothing. moto
    ignores such a value and overwrites the object. "*" and If-Match reach
    moto, which evaluates them as S3 does."""
    condition = call.headers.get("If-None-Match")
    if condition is not None and condition.strip() != "*":
        arn = f"arn:aws:s3:::{call.labels.get('Bucket')}/{call.labels.get('Key')}"
        authenticate(call, "PutObject", count=False, resource=arn, s3=True)
        raise AwsError("NotImplemented",
                       "A header you provided implies functionality that is not implemented", 501)
    return forward()


def _delete_objects(call, forward):
    """API_DeleteObjects. Permissions: "s3:DeleteObject - To delete an
    object from a bucket, you must always specify the s3:DeleteObject
    permission. s3:DeleteObjectVersion - To delete a specific version of an
    object from a versioning-enabled bucket, you must specify the
    s3:DeleteObjectVersion permission." Each object is authorized on its own
    ARN (moto checks s3:DeleteObject once, on the bucket); an object the
    caller may not delete is answered as an <Error> with AccessDenied, the
    others are deleted (the answer is 200 either way).
    Quiet: "In quiet mode the response includes only keys where the delete
    action encountered an error"; moto lists every deleted key anyway."""
    try:
        request = ET.fromstring(call.body or b"")
    except ET.ParseError:
        return None  # moto answers MalformedXML itself
    quiet = any(model._local(c.tag) == "Quiet" and (c.text or "").strip() == "true"
                for c in request)
    refused = _refuse_objects(call, request)
    if refused and not any(model._local(c.tag) == "Object" for c in request):
        root = ET.Element(f"{{{NAMESPACE}}}DeleteResult")  # nothing left to forward
    else:
        if refused:
            ET.register_namespace("", NAMESPACE)  # moto reads <Delete>, not <ns0:Delete>
            call.body = ET.tostring(request)
            call.environ["CONTENT_LENGTH"] = str(len(call.body))
        resp = forward()
        if resp.status_code != 200:
            return resp
        try:
            root = ET.fromstring(resp.get_data())
        except ET.ParseError:
            return resp
    for key, version in refused:
        error = ET.SubElement(root, f"{{{NAMESPACE}}}Error")
        ET.SubElement(error, f"{{{NAMESPACE}}}Key").text = key
        if version is not None:
            ET.SubElement(error, f"{{{NAMESPACE}}}VersionId").text = version
        ET.SubElement(error, f"{{{NAMESPACE}}}Code").text = "AccessDenied"
        ET.SubElement(error, f"{{{NAMESPACE}}}Message").text = "Access Denied"
    if quiet:
        for deleted in [c for c in root if model._local(c.tag) == "Deleted"]:
            root.remove(deleted)
    ET.register_namespace("", NAMESPACE)
    resp = call.empty(200)
    resp.set_data(b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root))
    resp.headers["Content-Type"] = "application/xml"
    return resp


def _refuse_objects(call, request):
    """Takes the objects of the <Delete> document `request` that the caller
    may not delete out of it; returns them as [(key, version id or None)].
    Once they are out, moto is left only the signature to verify."""
    permitted = s3_authorizer(call)
    if permitted is None:
        return []  # auth off: moto serves (and counts) the request
    moto_auth.s3_actions = []
    bucket = call.labels.get("Bucket")
    refused = []
    for obj in [c for c in request if model._local(c.tag) == "Object"]:
        fields = {model._local(c.tag): (c.text or "") for c in obj}
        key, version = fields.get("Key", ""), fields.get("VersionId")
        arn = f"arn:aws:s3:::{bucket}/{key}"
        if permitted("DeleteObject", arn) and \
                (version is None or permitted("DeleteObjectVersion", arn)):
            continue
        request.remove(obj)
        refused.append((key, version))
    return refused


# -- IAM actions -----------------------------------------------------------------
#
# The IAM actions AWS evaluates for an S3 operation, where moto's auth mode
# evaluates another (moto/s3/responses.py ACTION_MAP goes by method and query
# key, and misses ?publicAccessBlock, ?ownershipControls, ?encryption, ...,
# which fall to its per-method default: s3:CreateBucket for PUT,
# s3:ListBucket for GET, s3:DeleteBucket for DELETE). From the IAM service
# authorization reference, "Actions, resources, and condition keys for Amazon
# S3" (https://docs.aws.amazon.com/service-authorization/latest/reference/
# list_amazons3.html), and the "Permissions" of each operation in the S3 API
# reference (a Delete* of a bucket configuration needs its Put* action).
# Operations not listed keep moto's name, which is AWS's for them
# (s3:GetBucketPolicy, s3:PutBucketCORS, s3:PutLifecycleConfiguration, ...).

_AWS_ACTIONS = {
    "HeadBucket": ["ListBucket"],
    "ListObjectVersions": ["ListBucketVersions"],
    "GetPublicAccessBlock": ["GetBucketPublicAccessBlock"],
    "PutPublicAccessBlock": ["PutBucketPublicAccessBlock"],
    "DeletePublicAccessBlock": ["PutBucketPublicAccessBlock"],
    "GetBucketOwnershipControls": ["GetBucketOwnershipControls"],
    "PutBucketOwnershipControls": ["PutBucketOwnershipControls"],
    "DeleteBucketOwnershipControls": ["PutBucketOwnershipControls"],
    "GetBucketEncryption": ["GetEncryptionConfiguration"],
    "PutBucketEncryption": ["PutEncryptionConfiguration"],
    "DeleteBucketEncryption": ["PutEncryptionConfiguration"],
    "GetObjectLockConfiguration": ["GetBucketObjectLockConfiguration"],
    "PutObjectLockConfiguration": ["PutBucketObjectLockConfiguration"],
    "GetBucketReplication": ["GetReplicationConfiguration"],
    "PutBucketReplication": ["PutReplicationConfiguration"],
    "DeleteBucketReplication": ["PutReplicationConfiguration"],
    "GetBucketRequestPayment": ["GetBucketRequestPayment"],
    "PutBucketRequestPayment": ["PutBucketRequestPayment"],
    "GetBucketInventoryConfiguration": ["GetInventoryConfiguration"],
    "ListBucketInventoryConfigurations": ["GetInventoryConfiguration"],
    "PutBucketInventoryConfiguration": ["PutInventoryConfiguration"],
    "DeleteBucketInventoryConfiguration": ["PutInventoryConfiguration"],
    "GetBucketAnalyticsConfiguration": ["GetAnalyticsConfiguration"],
    "ListBucketAnalyticsConfigurations": ["GetAnalyticsConfiguration"],
    "PutBucketAnalyticsConfiguration": ["PutAnalyticsConfiguration"],
    "DeleteBucketAnalyticsConfiguration": ["PutAnalyticsConfiguration"],
    "GetBucketIntelligentTieringConfiguration": ["GetIntelligentTieringConfiguration"],
    "ListBucketIntelligentTieringConfigurations": ["GetIntelligentTieringConfiguration"],
    "PutBucketIntelligentTieringConfiguration": ["PutIntelligentTieringConfiguration"],
    "DeleteBucketIntelligentTieringConfiguration": ["PutIntelligentTieringConfiguration"],
    "DeleteObjectTagging": ["DeleteObjectTagging"],
    # Served by this layer, which authorizes them itself (_serve).
    "PutBucketMetricsConfiguration": ["PutMetricsConfiguration"],
    "DeleteBucketMetricsConfiguration": ["PutMetricsConfiguration"],
    "GetBucketMetricsConfiguration": ["GetMetricsConfiguration"],
    "ListBucketMetricsConfigurations": ["GetMetricsConfiguration"],
}

# With ?versionId= (a specific version of the object). DeleteObject:
# "s3:DeleteObject - To delete an object from a bucket, you must always have
# the s3:DeleteObject permission. s3:DeleteObjectVersion - To delete a
# specific version of an object ... you must have the s3:DeleteObjectVersion
# permission" (API_DeleteObject); moto checks only the second.
_AWS_VERSION_ACTIONS = {
    "GetObject": ["GetObjectVersion"],
    "HeadObject": ["GetObjectVersion"],
    "DeleteObject": ["DeleteObject", "DeleteObjectVersion"],
    "GetObjectTagging": ["GetObjectVersionTagging"],
    "PutObjectTagging": ["PutObjectVersionTagging"],
    "DeleteObjectTagging": ["DeleteObjectVersionTagging"],
    "GetObjectAcl": ["GetObjectVersionAcl"],
    "PutObjectAcl": ["PutObjectVersionAcl"],
}

_GRANT_HEADERS = ("x-amz-grant-full-control", "x-amz-grant-read", "x-amz-grant-read-acp",
                  "x-amz-grant-write", "x-amz-grant-write-acp")


def _create_bucket_actions(headers):
    """API_CreateBucket, Permissions: "In addition to the s3:CreateBucket
    permission, the following permissions are required in a policy when your
    CreateBucket request includes specific headers": s3:PutBucketAcl for an
    ACL other than private ("public-read, public-read-write,
    authenticated-read, or if you specify access permissions explicitly");
    s3:PutBucketObjectLockConfiguration and s3:PutBucketVersioning "If
    ObjectLockEnabledForBucket is set to true"; s3:PutBucketOwnershipControls
    "If your CreateBucket request includes the x-amz-object-ownership
    header"."""
    actions = ["CreateBucket"]
    acl = headers.get("x-amz-acl")
    if (acl and acl != "private") or any(h in headers for h in _GRANT_HEADERS):
        actions.append("PutBucketAcl")
    if (headers.get("x-amz-bucket-object-lock-enabled") or "").lower() == "true":
        actions += ["PutBucketObjectLockConfiguration", "PutBucketVersioning"]
    if "x-amz-object-ownership" in headers:
        actions.append("PutBucketOwnershipControls")
    return actions


def aws_actions(call):
    """The S3 actions (without "s3:") AWS evaluates for the identified S3
    request `call`, every one required; None where moto's name is AWS's."""
    if call.operation == "CreateBucket":
        return _create_bucket_actions(call.headers)
    if "versionId" in call.query and call.operation in _AWS_VERSION_ACTIONS:
        return list(_AWS_VERSION_ACTIONS[call.operation])
    actions = _AWS_ACTIONS.get(call.operation)
    return list(actions) if actions else None


CORRECTED = {"CreateBucket": _create_bucket, "PutBucketLifecycleConfiguration": _put_lifecycle,
             "DeleteObjects": _delete_objects, "PutObject": _put_object}


def handle(call, forward):
    if call.service != SERVICE or not call.operation:
        return None
    if call.operation == "ListBuckets":
        return listings.list_buckets(call)  # paged as AWS pages it (listings.py)
    moto_auth.s3_actions = aws_actions(call)
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
