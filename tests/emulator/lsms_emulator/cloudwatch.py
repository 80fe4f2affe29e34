"""CloudWatch (signing name `monitoring`, JSON 1.0): dashboard tags.

moto keeps dashboards but not their tags: PutDashboard ignores `Tags`, and
its TagResource accepts only alarm ARNs (ResourceNotFoundException for a
dashboard). AWS tags dashboards since botocore 1.43.2 ("adds tag support for
CloudWatch Dashboards"). The layer stores dashboard tags in moto's own
tagging service of the region's backend, so they follow /moto-api/reset:

- PutDashboard with `Tags` creating a dashboard: the tags are kept. On an
  existing dashboard they are ignored (PutDashboard `Tags`: "If you specify
  Tags when updating an existing dashboard, the tag updates are ignored").
- TagResource, UntagResource, ListTagsForResource on a dashboard ARN
  `arn:aws:cloudwatch::<account>:dashboard/<name>` (TagResource ResourceARN
  doc); a missing dashboard is ResourceNotFoundException; at most 50 tags.
- DeleteDashboards drops the deleted dashboards' tags.

Other ARNs (alarms, insight rules) and query-protocol requests go to moto.
"""

import json

from . import model
from .protocol import AwsError, authenticate

SERVICE = "cloudwatch"
CONTENT_TYPE = "application/x-amz-json-1.0"
MAX_TAGS = 50


def _backend(call):
    from moto.cloudwatch.models import cloudwatch_backends

    return cloudwatch_backends[call.account_id][call.region]


def _dashboard_name(arn):
    """The dashboard name of a dashboard ARN, or None for other ARNs."""
    head, sep, name = (arn or "").partition(":dashboard/")
    parts = head.split(":")
    if not sep or not name or len(parts) != 5 or parts[:3] != ["arn", parts[1], "cloudwatch"]:
        return None
    return name


def _dashboard_or_raise(call, arn):
    name = _dashboard_name(arn)
    dashboard = _backend(call).get_dashboard(name)
    if dashboard is None or dashboard.arn != arn:
        raise AwsError("ResourceNotFoundException", f"Dashboard {arn} does not exist.", 404)
    return dashboard


def _tags_of(call, arn):
    return _backend(call).tagger.get_tag_dict_for_resource(arn)


def _set_tags(call, arn, tags):
    tagger = _backend(call).tagger
    tagger.delete_all_tags_for_resource(arn)
    if tags:
        tagger.tag_resource(arn, [{"Key": k, "Value": v} for k, v in tags.items()])


def _tag_resource(call, params):
    arn = params["ResourceARN"]
    _dashboard_or_raise(call, arn)
    tags = _tags_of(call, arn)
    tags.update({t["Key"]: t["Value"] for t in params["Tags"]})
    if len(tags) > MAX_TAGS:
        raise AwsError("LimitExceededException", f"A dashboard can have at most {MAX_TAGS} tags.")
    _set_tags(call, arn, tags)
    return {}


def _untag_resource(call, params):
    arn = params["ResourceARN"]
    _dashboard_or_raise(call, arn)
    tags = _tags_of(call, arn)
    for key in params["TagKeys"]:
        tags.pop(key, None)
    _set_tags(call, arn, tags)
    return {}


def _list_tags_for_resource(call, params):
    arn = params["ResourceARN"]
    _dashboard_or_raise(call, arn)
    return {"Tags": [{"Key": k, "Value": v} for k, v in _tags_of(call, arn).items()]}


SERVED = {
    "TagResource": _tag_resource,
    "UntagResource": _untag_resource,
    "ListTagsForResource": _list_tags_for_resource,
}


def _put_dashboard(call, params, forward):
    name = params.get("DashboardName")
    existed = _backend(call).get_dashboard(name) is not None
    tags = params.get("Tags")
    if tags and not existed and len(tags) > MAX_TAGS:
        authenticate(call, call.operation, count=False)
        raise AwsError("LimitExceededException", f"A dashboard can have at most {MAX_TAGS} tags.")
    resp = forward()
    if resp.status_code == 200 and not existed and tags:
        dashboard = _backend(call).get_dashboard(name)
        _set_tags(call, dashboard.arn, {t["Key"]: t["Value"] for t in tags})
    return resp


def _delete_dashboards(call, params, forward):
    backend = _backend(call)
    arns = [d.arn for n in params.get("DashboardNames") or [] if (d := backend.get_dashboard(n))]
    resp = forward()
    if resp.status_code == 200:
        for arn in arns:
            backend.tagger.delete_all_tags_for_resource(arn)
    return resp


CORRECTED = {"PutDashboard": _put_dashboard, "DeleteDashboards": _delete_dashboards}


def handle(call, forward):
    if call.protocol != "json" or not call.operation:
        return None
    op_model = model.service_model(SERVICE).operation_model(call.operation)
    served = SERVED.get(call.operation)
    corrected = CORRECTED.get(call.operation)
    if served is None and corrected is None:
        return None
    try:
        params = json.loads(call.body or b"{}")
    except ValueError:
        return None  # moto answers malformed bodies itself
    if served is not None:
        if _dashboard_name(params.get("ResourceARN")) is None:
            return None  # alarms and insight rules: moto's
        model.validate(op_model, params, code="InvalidParameterValue")
        authenticate(call, call.operation)
        return call.json(served(call, params), content_type=CONTENT_TYPE)
    model.validate(op_model, params, code="InvalidParameterValue")
    return corrected(call, params, forward)
