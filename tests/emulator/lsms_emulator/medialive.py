"""AWS Elemental MediaLive (`rest-json`, paths under /prod/).

moto keeps channels and inputs (moto.medialive.models.medialive_backends).
This module adds input security groups and tags, which moto lacks, corrects
inputs (security groups kept, push destinations, attachments), honours the
requestId idempotency token of CreateChannel and CreateInput, derives an input's
class from what feeds it, serves UpdateChannelClass (moto lacks it), and
enforces the delete and channel-class preconditions AWS enforces. Input security groups are stored on moto's
MediaLive backend object, so they follow moto's accounts, regions and reset.

Attachment is derived, never stored by hand: an input is ATTACHED while a
channel that is not DELETED lists it in inputAttachments, and a security group
is IN_USE while an input that is not DELETED references it. `_sync` recomputes
both before and after every MediaLive request.
"""

import ipaddress
import itertools
import json
import os

from moto.medialive.models import Channel, medialive_backends

from . import model
from .media import PLANE
from .protocol import AwsError, authenticate

SERVICE = "medialive"
VALIDATION_ERROR = "BadRequestException"  # MediaLive's 400 for malformed input

_ids = itertools.count(1000001)


class InputSecurityGroup:
    """One input security group (API shape InputSecurityGroup)."""

    def __init__(self, region, account_id, whitelist_rules, tags):
        self.id = str(next(_ids))  # real ids are numeric strings
        self.arn = f"arn:aws:medialive:{region}:{account_id}:inputSecurityGroup:{self.id}"
        self.whitelist_rules = whitelist_rules or []
        self.tags = tags or {}
        self.inputs = []
        self.state = "IDLE"

    def shape(self):
        return {
            "Arn": self.arn,
            "Id": self.id,
            "Inputs": list(self.inputs),
            "State": self.state,
            "Tags": dict(self.tags),
            "WhitelistRules": list(self.whitelist_rules),
        }


def backend(call):
    return medialive_backends[call.account_id][call.region]


def security_groups(be):
    if not hasattr(be, "lsms_security_groups"):
        be.lsms_security_groups = {}
    return be.lsms_security_groups


def _sync(be):
    attached = {}
    for channel in be._channels.values():
        if channel.state == "DELETED":
            continue
        for attachment in channel.input_attachments or []:
            attached.setdefault(attachment.get("InputId"), []).append(channel.id)
    for inp in be._inputs.values():
        if inp.state in ("DETACHED", "ATTACHED"):
            inp.attached_channels = attached.get(inp.id, [])
            inp.state = "ATTACHED" if inp.attached_channels else "DETACHED"
        elif inp.state in ("DELETING", "DELETED"):
            inp.attached_channels = []
    for group in security_groups(be).values():
        group.inputs = [
            inp.id
            for inp in be._inputs.values()
            if inp.state != "DELETED" and group.id in (inp.security_groups or [])
        ]
        if group.state in ("IDLE", "IN_USE"):
            group.state = "IN_USE" if group.inputs else "IDLE"


def handle(call, forward):
    if call.protocol != "rest-json" or call.operation is None:
        return None
    be = backend(call)
    op = call.operation
    op_model = model.service_model(SERVICE).operation_model(op)
    served = SERVED.get(op)
    if served is not None:
        params = model.parse_rest_request(op_model, call.labels, call.query, call.headers, call.body)
        model.validate(op_model, params, code=VALIDATION_ERROR)
        _check_known_ids(call, be)
        authenticate(call, op)
        _sync(be)
        status, result = served(call, be, params)
        _sync(be)
        if result is None:
            return call.empty(status)
        return call.json(model.to_wire(op_model.output_shape, result), status=status)

    _check_known_ids(call, be)
    if op in IDEMPOTENT_CREATES:
        replay = _replay_create(call, be)
        if replay is not None:
            return replay
    if op == "DescribeInput":
        # Resolve CREATING -> DETACHED first, so the answer shows the attachment.
        be._inputs[call.labels["inputId"]]._resolve_transient_states()
    _sync(be)
    check = PRECONDITIONS.get(op)
    if check is not None:
        check(call, be)
    before = _input_feeds(be, call.labels.get("inputId")) if op == "UpdateInput" else None
    if op == "ListChannels":
        for channel in be._channels.values():
            _follow_media(channel)
    resp = forward()
    _sync(be)
    if resp.status_code == 200 and op in MEDIA_HOOKS:
        resp = MEDIA_HOOKS[op](call, be, resp) or resp
    if op == "CreateInput" and resp.status_code == 201:
        resp = _complete_created_input(call, be, resp)
    if op == "UpdateInput" and resp.status_code == 200:
        _complete_updated_input(call, be, before)
    if op in IDEMPOTENT_CREATES:
        _remember_create(call, be, resp)
    if op in ("DescribeInput", "UpdateInput") and resp.status_code == 200:
        return _refresh_input(call, be, resp, wrapped=(op == "UpdateInput"))
    return resp


def _refuse(call, err):
    authenticate(call, call.operation, count=False)
    raise err


def _check_known_ids(call, be):
    """AWS answers 404 NotFoundException for unknown ids; moto a KeyError 500."""
    for label, table, kind in (("channelId", be._channels, "Channel"), ("inputId", be._inputs, "Input")):
        value = call.labels.get(label)
        if value is not None and value not in table:
            _refuse(call, AwsError("NotFoundException", f"{kind} {value} does not exist.", 404))


# -- requestId idempotency (CreateChannel, CreateInput) -------------------------
#
# botocore's model marks requestId an idempotencyToken: "Unique request ID to
# be specified. This is needed to prevent retries from creating multiple
# resources" (CreateChannel), "to ensure the request is handled exactly once in
# case of retries" (CreateInput). moto ignores it, so a create resent after a
# lost answer made a second resource. The layer remembers each successful
# create by (operation, requestId) on moto's backend (so moto's reset forgets
# them) and answers a repeat with the first answer; the same token with other
# parameters is refused with 409 ConflictException (AWS's idempotency rule;
# MediaLive does not document its code, see README).

IDEMPOTENT_CREATES = ("CreateChannel", "CreateInput")


def _created_by_token(be):
    if not hasattr(be, "lsms_created_by_token"):
        be.lsms_created_by_token = {}
    return be.lsms_created_by_token


def _token_and_params(call):
    """(requestId, the other parameters) of a create body, or (None, None)."""
    try:
        body = json.loads(call.body or b"{}")
    except ValueError:
        return None, None  # moto answers the malformed body
    if not isinstance(body, dict) or not isinstance(body.get("requestId"), str) or not body["requestId"]:
        return None, None
    params = {k: v for k, v in body.items() if k != "requestId"}
    return body["requestId"], params


def _replay_create(call, be):
    """The first answer to a create with this requestId, or None to create."""
    token, params = _token_and_params(call)
    first = _created_by_token(be).get((call.operation, token)) if token else None
    if first is None:
        return None
    first_params, status, doc = first
    if params != first_params:
        _refuse(
            call,
            AwsError(
                "ConflictException",
                f"requestId {token} was already used by a {call.operation} with different parameters.",
                409,
            ),
        )
    authenticate(call, call.operation)  # a repeat is a request like any other
    return call.json(doc, status=status)


def _remember_create(call, be, resp):
    # Only a create that succeeded made something; a failed one may be retried
    # with the same token and then really creates.
    token, params = _token_and_params(call)
    if token and 200 <= resp.status_code < 300:
        _created_by_token(be)[(call.operation, token)] = (params, resp.status_code, json.loads(resp.get_data()))


# -- preconditions -------------------------------------------------------------


def _delete_channel(call, be):
    channel = be._channels[call.labels["channelId"]]
    _follow_media(channel)
    if channel.state in ("STARTING", "RUNNING", "RECOVERING", "STOPPING"):
        # The error AWS returns (rebuy-de/aws-nuke#446; API_DeleteChannel 409).
        _refuse(call, AwsError("ConflictException", "Cannot delete a channel that has not been stopped yet", 409))


def _delete_input(call, be):
    inp = be._inputs[call.labels["inputId"]]
    if inp.state == "ATTACHED":
        # API_DeleteInput: 409 ConflictException "Resource conflict"; an input
        # can be deleted only once no channel uses it.
        _refuse(
            call,
            AwsError(
                "ConflictException",
                f"Input {inp.id} is attached to channel(s) {', '.join(inp.attached_channels)}; delete them first.",
                409,
            ),
        )


# Fault injection for tests: LSMS_EMULATOR_MEDIALIVE_FAIL_CREATE_CHANNEL names
# channels (comma-separated, so that each client of a test sharing one
# emulator has its own) whose first CreateChannel is refused with 422
# UnprocessableEntityException (API_CreateChannel lists 422 for settings
# MediaLive cannot accept), so callers' rollback can be tested.
_failed_creates = set()


def _create_channel(call, be):
    names = set(filter(None, os.environ.get("LSMS_EMULATOR_MEDIALIVE_FAIL_CREATE_CHANNEL",
                                            "").split(",")))
    name = json.loads(call.body or b"{}").get("name")
    if name in names and name not in _failed_creates:
        _failed_creates.add(name)
        _refuse(call, AwsError("UnprocessableEntityException", "Injected failure: channel settings refused.", 422))


# -- channel and input classes -------------------------------------------------
#
# moto makes every input STANDARD and every channel whatever its request says,
# checks neither against the other, and has no UpdateChannelClass. MediaLive:
# an input is standard-class when it has two of what feeds it (two push
# destinations, two pull sources, two devices; RTP is standard-class only), a
# STANDARD channel needs standard-class inputs and two URLs per destination,
# a SINGLE_PIPELINE channel one; the class changes only while the channel is
# idle (README, "Preconditions").

FEEDS = {"RTMP_PUSH": "destinations", "URL_PULL": "sources", "INPUT_DEVICE": "input_devices"}


def _input_class(inp):
    """The class AWS gives `inp` (API Input.InputClass: "STANDARD - MediaLive
    expects two sources to be connected to this input")."""
    if inp.type == "RTP_PUSH":
        return "STANDARD"  # ug inputs-single-standard-vpc: "RTP | Standard-class only"
    feed = FEEDS.get(inp.type)
    if feed is None:
        return inp.input_class
    return "STANDARD" if len(getattr(inp, feed) or []) >= 2 else "SINGLE_PIPELINE"


def _pipelines(channel_class):
    return 2 if channel_class == "STANDARD" else 1


def _unprocessable(call, message):
    # API_CreateChannel / UpdateChannel / UpdateChannelClass: 422
    # UnprocessableEntityException for settings MediaLive cannot accept.
    _refuse(call, AwsError("UnprocessableEntityException", message, 422))


def _check_class(call, be, channel_class, destinations, attachments):
    """Refuses destinations or inputs (wire form, from the request) that a
    channel of `channel_class` cannot have."""
    want = _pipelines(channel_class)
    for dest in destinations or []:
        settings = dest.get("settings") or []
        if settings and len(settings) != want:
            _unprocessable(
                call,
                f"Destination {dest.get('id')} has {len(settings)} destination URL(s); a "
                f"{channel_class} channel delivers to {want} (one per pipeline).",
            )
    if channel_class != "STANDARD":
        return
    for attachment in attachments or []:
        inp = be._inputs.get(attachment.get("inputId"))
        if inp is not None and _input_class(inp) != "STANDARD":
            _unprocessable(
                call,
                f"Input {inp.id} is a SINGLE_PIPELINE input; a STANDARD channel requires two "
                "sources in each of its inputs.",
            )


def _body(call):
    try:
        doc = json.loads(call.body or b"{}")
    except ValueError:
        return {}  # moto answers the malformed body
    return doc if isinstance(doc, dict) else {}


def _check_created_channel(call, be):
    _create_channel(call, be)
    body = _body(call)
    _check_class(call, be, body.get("channelClass") or "STANDARD", body.get("destinations"),
                 body.get("inputAttachments"))


def _check_updated_channel(call, be):
    channel = be._channels[call.labels["channelId"]]
    body = _body(call)
    _check_class(call, be, channel.channel_class, body.get("destinations"), body.get("inputAttachments"))


def _wire_list(shape_name, items):
    """moto keeps request members by name (Settings, Url); the checks read the
    wire names (settings, url)."""
    shape = model.service_model(SERVICE).shape_for(shape_name)
    return model.to_wire(shape, items or [])


def update_channel_class(call, be, params):
    """UpdateChannelClass (PUT /prod/channels/{channelId}/channelClass)."""
    channel = be._channels[params["ChannelId"]]
    channel._resolve_transient_states()
    if channel.state != "IDLE":
        # ug pipeline-redundancy-change: "To change the channel class, the
        # channel must be idle (not running)."
        raise AwsError(
            "ConflictException",
            f"Channel {channel.id} is {channel.state}; its class can be changed only while it is IDLE.",
            409,
        )
    cls = params["ChannelClass"]
    if "Destinations" in params:
        destinations = params["Destinations"]
    else:
        # To SINGLE_PIPELINE MediaLive "removes the second destination address
        # in each output group"; to STANDARD it cannot invent one (the check
        # below refuses it).
        destinations = [dict(d, Settings=(d.get("Settings") or [])[:1]) if cls == "SINGLE_PIPELINE" else d
                        for d in channel.destinations or []]
    _check_class(
        call,
        be,
        cls,
        _wire_list("__listOfOutputDestination", destinations),
        _wire_list("__listOfInputAttachment", channel.input_attachments),
    )
    channel.channel_class = cls
    channel.destinations = destinations
    # UPDATING until the next describe, then back to IDLE (moto's own rule).
    channel._previous_state = channel.state
    channel.state = "UPDATING"
    return 200, {"Channel": _channel_shape(channel)}


def _channel_shape(channel):
    """The Channel output shape from moto's object (members by name)."""
    from botocore import xform_name

    shape = model.service_model(SERVICE).shape_for("Channel")
    return {name: getattr(channel, xform_name(name), None) for name in shape.members}


PRECONDITIONS = {
    "CreateChannel": _check_created_channel,
    "UpdateChannel": _check_updated_channel,
    "DeleteChannel": _delete_channel,
    "DeleteInput": _delete_input,
}


# -- CreateInput / DescribeInput corrections -----------------------------------


def _destinations(call, be, inp, requested):
    """Push endpoints as AWS assigns them (API_InputDestination: ip, port, url),
    each one a real listener of the media plane on 127.0.0.1 at a port the
    system chooses (media/push.py), refusing senders outside the input's
    security groups.

    RTMP_PUSH: one per requested streamName, rtmp://127.0.0.1:<port>/<app>/<instance>.
    RTP_PUSH: rtp://127.0.0.1:<port>, two for a STANDARD input (one per pipeline).
    """
    if inp.type not in ("RTMP_PUSH", "RTP_PUSH"):
        return requested or []
    key = (call.account_id, call.region, inp.id)

    def allowed_cidrs(be=be, input_id=inp.id):
        with PLANE.lock:
            current = be._inputs.get(input_id)
            groups = security_groups(be)
            return [rule.get("Cidr") for gid in (current.security_groups or []) if current is not None
                    for rule in (groups[gid].whitelist_rules if gid in groups else [])]

    names = [d.get("StreamName", "") for d in requested or []]
    count = 1 if inp.input_class == "SINGLE_PIPELINE" else 2
    endpoints = PLANE.push_endpoints(key, inp.type, names, count, allowed_cidrs)
    return [{"Ip": "127.0.0.1", "Port": str(ep.port), "Url": ep.url} for ep in endpoints]


def _complete_created_input(call, be, resp):
    # moto drops InputSecurityGroups on CreateInput (its model reads another
    # keyword) and echoes destinations as sent; AWS keeps the groups and
    # assigns push endpoints.
    doc = json.loads(resp.get_data())
    inp = be._inputs[doc["input"]["id"]]
    body = json.loads(call.body or b"{}")
    inp.security_groups = list(body.get("inputSecurityGroups") or [])
    inp.input_class = _input_class(inp)
    inp.destinations = _destinations(call, be, inp, inp.destinations)
    inp.tags = inp.tags or {}
    _sync(be)
    return _refresh_input(call, be, resp, wrapped=True, status=201)


def _input_feeds(be, input_id):
    inp = be._inputs.get(input_id)
    return None if inp is None else {"destinations": list(inp.destinations or [])}


def _complete_updated_input(call, be, before):
    # moto stores the requested destinations as they came (stream names, no
    # endpoint) and, when the request leaves them out, none at all. MediaLive
    # assigns push endpoints: an update naming destinations gets endpoints for
    # them, one naming none keeps the input's. The class follows what now
    # feeds the input.
    inp = be._inputs[call.labels["inputId"]]
    if "destinations" in _body(call):
        inp.input_class = _input_class(inp)  # counts the requested destinations
        inp.destinations = _destinations(call, be, inp, inp.destinations)
    else:
        inp.destinations = (before or {}).get("destinations", [])
        inp.input_class = _input_class(inp)


def _refresh_input(call, be, resp, wrapped, status=200):
    """Re-renders an Input answer from the (corrected) model object."""
    doc = json.loads(resp.get_data())
    flat = doc.get("input", doc) if wrapped else doc
    inp = be._inputs[flat["id"]]
    flat.update(
        {
            "securityGroups": list(inp.security_groups or []),
            # moto keeps members by name (Ip, Url); the wire uses ip, url.
            "destinations": [{k[0].lower() + k[1:]: v for k, v in d.items()} for d in inp.destinations or []],
            "attachedChannels": list(inp.attached_channels or []),
            "state": inp.state,
            "inputClass": inp.input_class,
            "tags": dict(inp.tags or {}),
        }
    )
    return call.json(doc, status=status)


# -- input security groups (moto lacks them) -----------------------------------


def _check_rules(rules):
    for rule in rules or []:
        try:
            ipaddress.ip_network(rule.get("Cidr", ""), strict=False)
        except ValueError:
            raise AwsError(VALIDATION_ERROR, f"Invalid CIDR block: {rule.get('Cidr')!r}")


def _group_or_raise(be, group_id, include_deleted=False):
    group = security_groups(be).get(group_id)
    if group is None or (group.state == "DELETED" and not include_deleted):
        raise AwsError("NotFoundException", f"Input security group {group_id} does not exist.", 404)
    return group


def create_input_security_group(call, be, params):
    _check_rules(params.get("WhitelistRules"))
    group = InputSecurityGroup(call.region, call.account_id, params.get("WhitelistRules"), params.get("Tags"))
    security_groups(be)[group.id] = group
    return 200, {"SecurityGroup": group.shape()}


def describe_input_security_group(call, be, params):
    group = _group_or_raise(be, params["InputSecurityGroupId"], include_deleted=True)
    if group.state == "DELETED":
        # Shown DELETED once, then gone (404), like a finished deletion.
        del security_groups(be)[group.id]
    elif group.state == "UPDATING":
        group.state = "IN_USE" if group.inputs else "IDLE"
    return 200, group.shape()


def update_input_security_group(call, be, params):
    group = _group_or_raise(be, params["InputSecurityGroupId"])
    if "WhitelistRules" in params:
        _check_rules(params["WhitelistRules"])
        group.whitelist_rules = params["WhitelistRules"]
    if "Tags" in params:
        group.tags = params["Tags"]
    group.state = "UPDATING"  # API_InputSecurityGroupState; settles on the next describe
    return 200, {"SecurityGroup": group.shape()}


def delete_input_security_group(call, be, params):
    group = _group_or_raise(be, params["InputSecurityGroupId"])
    if group.inputs:
        # API_DeleteInputSecurityGroup lists 409 ConflictException; a group an
        # input still uses cannot be deleted (aws-bench PR #22).
        raise AwsError(
            "ConflictException",
            f"Input security group {group.id} is in use by input(s) {', '.join(group.inputs)}.",
            409,
        )
    group.state = "DELETED"
    return 200, {}


def list_input_security_groups(call, be, params):
    groups = [g for g in security_groups(be).values() if g.state != "DELETED"]
    start = int(params.get("NextToken") or 0)
    size = params.get("MaxResults") or 1000
    result = {"InputSecurityGroups": [g.shape() for g in groups[start : start + size]]}
    if start + size < len(groups):
        result["NextToken"] = str(start + size)
    return 200, result


# -- tags (/prod/tags/{resource-arn}) ------------------------------------------


def _tagged(be, arn):
    for obj in itertools.chain(be._channels.values(), be._inputs.values(), security_groups(be).values()):
        if obj.arn == arn:
            return obj
    raise AwsError("NotFoundException", f"Resource {arn} does not exist.", 404)


def create_tags(call, be, params):
    obj = _tagged(be, params["ResourceArn"])
    obj.tags = dict(obj.tags or {}, **(params.get("Tags") or {}))
    return 204, None


def delete_tags(call, be, params):
    obj = _tagged(be, params["ResourceArn"])
    obj.tags = {k: v for k, v in (obj.tags or {}).items() if k not in params["TagKeys"]}
    return 204, None


def list_tags_for_resource(call, be, params):
    return 200, {"Tags": dict(_tagged(be, params["ResourceArn"]).tags or {})}


# -- the media plane (media/) ---------------------------------------------------
#
# moto's channel states are transitions on the next describe (STARTING ->
# RUNNING). A started channel's state follows its pipelines instead: RUNNING
# while they run, RECOVERING while one restarts, IDLE once stopped (or when
# it could not start); PipelinesRunningCount and PipelineDetails likewise.

_moto_resolve = Channel._resolve_transient_states


def _media_key(channel):
    for account, regions in medialive_backends.items():
        for region, be in regions.items():
            if be._channels.get(channel.id) is channel:
                return account, region, channel.id
    return None


def _follow_media(channel):
    key = _media_key(channel)
    run = PLANE.run_for(key) if key else None
    if run is None:
        if channel.state in ("STARTING", "RUNNING", "RECOVERING", "STOPPING"):
            # Started before the media plane (cannot happen) or after a
            # reset: nothing runs it.
            channel.state = "IDLE"
        channel.pipeline_details = []
        return False
    state = run.state()
    channel.state = state
    channel.pipeline_details = [
        {"PipelineId": str(p.index),
         "ActiveInputAttachmentName": (channel.input_attachments or [{}])[0].get("InputAttachmentName")}
        for p in run.pipelines if p.state == "RUNNING"]
    if state == "IDLE":
        PLANE.forget(key)
    return True


def _resolve_transient_states(self):
    if self.state in ("STARTING", "RUNNING", "RECOVERING", "STOPPING"):
        _follow_media(self)
    else:
        _moto_resolve(self)


def _pipelines_running_count(self):
    key = _media_key(self)
    run = PLANE.run_for(key) if key else None
    return run.running_count() if run is not None else 0


Channel._resolve_transient_states = _resolve_transient_states
Channel.pipelines_running_count = property(_pipelines_running_count)


def _wire_channel(channel):
    shape = model.service_model(SERVICE).shape_for("Channel")
    return model.to_wire(shape, _channel_shape(channel))


def _start_media(call, be, resp):
    channel = be._channels[call.labels["channelId"]]
    key = (call.account_id, call.region, channel.id)
    attachments = channel.input_attachments or []
    inp = be._inputs.get(attachments[0].get("InputId")) if attachments else None
    PLANE.start_channel(key, channel, _wire_channel(channel), inp, None)
    return None


def _stop_media(call, be, resp):
    PLANE.stop_channel((call.account_id, call.region, call.labels["channelId"]))
    return None


def _input_gone(call, be, resp):
    PLANE.input_deleted((call.account_id, call.region, call.labels["inputId"]))
    return None


MEDIA_HOOKS = {
    "StartChannel": _start_media,
    "StopChannel": _stop_media,
    "DeleteInput": _input_gone,
}


def list_alerts(call, be, params):
    """ListAlerts (GET /prod/channels/{channelId}/alerts): the channel's
    alerts, SET and CLEARED, newest last; StateFilter SET or CLEARED."""
    channel_id = params["ChannelId"]
    alerts = PLANE.alerts.list((call.account_id, call.region, channel_id), params.get("StateFilter"))
    start = int(params.get("NextToken") or 0)
    size = params.get("MaxResults") or 1000
    result = {"Alerts": alerts[start:start + size]}
    if start + size < len(alerts):
        result["NextToken"] = str(start + size)
    return 200, result


SERVED = {
    "ListAlerts": list_alerts,
    "CreateInputSecurityGroup": create_input_security_group,
    "DescribeInputSecurityGroup": describe_input_security_group,
    "UpdateInputSecurityGroup": update_input_security_group,
    "DeleteInputSecurityGroup": delete_input_security_group,
    "ListInputSecurityGroups": list_input_security_groups,
    "CreateTags": create_tags,
    "DeleteTags": delete_tags,
    "ListTagsForResource": list_tags_for_resource,
    "UpdateChannelClass": update_channel_class,
}
