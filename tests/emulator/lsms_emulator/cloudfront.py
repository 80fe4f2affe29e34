"""Amazon CloudFront (`rest-xml`): ETags, If-Match and the delete precondition.

moto serves every CloudFront operation; this module only adds what AWS
enforces and moto skips:
  * UpdateDistribution and DeleteDistribution need the current ETag in
    If-Match, else 412 PreconditionFailed (API_UpdateDistribution: "The value
    of the ETag header that you received when retrieving the distribution's
    configuration"); moto accepts any value.
  * Every UpdateDistribution gives the distribution a new ETag and puts it
    back InProgress while the change propagates; moto keeps one ETag forever.
  * DeleteDistribution of a distribution that is enabled or not yet Deployed
    is 409 DistributionNotDisabled (DeveloperGuide/HowToDeleteDistribution:
    "if you try to delete the distribution before it is fully disabled,
    CloudFront returns a DistributionNotDisabled error (HTTP status code
    409)"; fully disabled = Status "Deployed and not InProgress").

Origin Access Controls (OAC), and distributions whose S3 origins they sign:
  * moto drops an origin's OriginAccessControlId and its S3OriginConfig (on
    create, get, get config, update and list); the layer keeps both on moto's
    own Origin objects, so every answer carries them.
  * CreateDistribution(WithTags)/UpdateDistribution are validated against the
    botocore model (400 InvalidArgument), and an origin that names an OAC
    that does not exist is 400 InvalidOriginAccessControl, one with both an
    OAC and a legacy origin access identity 400
    IllegalOriginAccessConfiguration ("An origin cannot contain both an
    origin access control (OAC) and an origin access identity (OAI)").
  * CreateOriginAccessControl: model-validated; a Name longer than 64
    characters is 400 InvalidArgument ("You can specify up to 64
    characters"); a Name another OAC of the account has is 409
    OriginAccessControlAlreadyExists (what CloudFront answers: "An origin
    access control with the same name already exists").
  * UpdateOriginAccessControl / DeleteOriginAccessControl: an unknown Id is
    404 NoSuchOriginAccessControl (moto: HTTP 500 on delete); no If-Match is
    400 InvalidIfMatchVersion, a stale one 412 PreconditionFailed; every
    update gives the OAC a new ETag (moto ignores If-Match and keeps one ETag).
  * DeleteOriginAccessControl of an OAC that an origin of a distribution
    still names is 409 OriginAccessControlInUse (API_DeleteOriginAccessControl:
    "You cannot delete an origin access control if it's in use. First, update
    all distributions to remove the origin access control from all origins").

The distribution stays InProgress for LSMS_EMULATOR_CF_INPROGRESS_READS
(default 2) reads (Get, GetConfig, List) after each create or update, so that
clients' waiters are exercised. With LSMS_EMULATOR_CF_DEPLOY_SECONDS (a
decimal) it stays InProgress for that long instead, as CloudFront does while
a change propagates: tests/bench uses it so that the deployment is part of
the critical path it measures, whatever the client's polling.
"""

import os
from datetime import datetime

from moto.cloudfront import models as cf_models
from moto.cloudfront.models import cloudfront_backends
from moto.core.parse import RestXMLParser
from moto.moto_api import state_manager
from moto.moto_api._internal import mock_random

from . import invalidations, model
from .protocol import AwsError, authenticate

OAC_NAME_MAX = 64

MODEL_NAME = "cloudfront::distribution"


def configure():
    """Sets moto's state manager so Status turns Deployed after N reads (or
    after a time), and makes moto's origins keep their OAC and its cache
    behaviours their function associations."""
    _keep_origin_access()
    _keep_behaviour_settings()
    seconds = float(os.environ.get("LSMS_EMULATOR_CF_DEPLOY_SECONDS") or 0)
    if seconds > 0:
        state_manager.set_transition(MODEL_NAME, {"progression": "time", "seconds": seconds})
        return
    reads = int(os.environ.get("LSMS_EMULATOR_CF_INPROGRESS_READS", "2"))
    # moto moves InProgress -> Deployed once a distribution has been read
    # `times` times; the read that reaches `times` already sees Deployed.
    state_manager.set_transition(MODEL_NAME, {"progression": "manual", "times": reads + 1})


def _keep_origin_access():
    """moto's Origin reads S3OriginConfig only to check the domain and
    forgets OriginAccessControlId. Keep both on the object, under the names
    moto's serializer looks up for the Origin shape's members."""
    if getattr(cf_models.Origin, "_lsms_keeps_access", False):
        return
    moto_init = cf_models.Origin.__init__

    def init(self, origin):
        moto_init(self, origin)
        oac = origin.get("OriginAccessControlId")
        if oac:
            self.origin_access_control_id = oac
        if "S3OriginConfig" in origin:
            self.s3_origin_config = {
                "OriginAccessIdentity": origin["S3OriginConfig"].get("OriginAccessIdentity") or ""
            }

    cf_models.Origin.__init__ = init
    cf_models.Origin._lsms_keeps_access = True


def _keep_behaviour_settings():
    """moto answers every cache behaviour with LambdaFunctionAssociations and
    FunctionAssociations of Quantity 0 whatever was sent, and stores 0 for a
    DefaultTTL or MaxTTL left out (CloudFront's defaults are 86400 and
    31536000). Keep the associations as sent (so answers carry them and the
    edge refuses them loudly instead of serving without them) and which TTLs
    were sent (so the edge applies CloudFront's defaults to the others)."""
    if getattr(cf_models.DefaultCacheBehaviour, "_lsms_keeps_settings", False):
        return
    moto_init = cf_models.DefaultCacheBehaviour.__init__

    def init(self, config):
        moto_init(self, config)
        for member, attribute in (("LambdaFunctionAssociations", "lambda_function_associations"),
                                  ("FunctionAssociations", "function_associations")):
            sent = config.get(member)
            if sent and sent.get("Items"):
                setattr(self, attribute, sent)
        self.lsms_ttls = {k: config[k] for k in ("MinTTL", "DefaultTTL", "MaxTTL")
                          if config.get(k) is not None}

    cf_models.DefaultCacheBehaviour.__init__ = init
    cf_models.DefaultCacheBehaviour._lsms_keeps_settings = True


def _backend(call):
    return cloudfront_backends[call.account_id]["global"]


def _distribution(call, dist_id):
    return _backend(call).distributions.get(dist_id)


def _enabled(dist):
    value = getattr(dist.distribution_config, "Enabled", False)
    return value.lower() == "true" if isinstance(value, str) else bool(value)


def _new_etag():
    # Real ETags look like E2QWRUHAPOMQZL: 'E' plus 13 upper-case characters.
    return "E" + "".join(mock_random.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in range(13))


def handle(call, forward):
    op = call.operation
    if op == "CreateInvalidation":
        # The batch rules and lifecycle (invalidations.py), then the edge.
        return _create_invalidation(call, lambda: invalidations.handle(call, forward))
    if op in invalidations.HANDLERS:
        return invalidations.handle(call, forward)
    if op in OAC_HANDLERS:
        return OAC_HANDLERS[op](call, forward)
    if op in ("CreateDistribution", "CreateDistributionWithTags"):
        _check_origins(call, _config_of(_params(call), op))
        return None
    if op not in ("UpdateDistribution", "DeleteDistribution"):
        return None
    dist = _distribution(call, call.labels.get("Id"))
    if_match = call.headers.get("If-Match")
    if dist is None or not if_match:
        return None  # moto answers NoSuchDistribution / InvalidIfMatchVersion
    if if_match != dist.etag:
        authenticate(call, op, count=False)
        raise AwsError(
            "PreconditionFailed",
            "The precondition given in one or more of the request-header fields evaluated to false.",
            412,
        )
    if op == "DeleteDistribution":
        if _enabled(dist) or dist.status != "Deployed":
            authenticate(call, op, count=False)
            raise AwsError(
                "DistributionNotDisabled",
                "The distribution you are trying to delete has not been disabled.",
                409,
            )
        return forward()
    _check_origins(call, _config_of(_params(call), op))
    return _update(dist, forward)


# -- request parsing -----------------------------------------------------------


def _params(call):
    """The request's input parameters, parsed as moto parses rest-xml and
    validated against the botocore model (400 InvalidArgument, CloudFront's
    answer to a malformed argument)."""
    op_model = model.service_model("cloudfront").operation_model(call.operation)
    try:
        params = RestXMLParser(op_model).parse({
            "body": call.body, "headers": call.headers, "method": call.method,
            "url_params": call.labels, "url_path": call.path, "values": call.query,
        })
    except Exception as e:  # moto's parser raises on XML it cannot read
        authenticate(call, call.operation, count=False)
        raise AwsError("MalformedInput", f"The request body could not be parsed: {e}", 400)
    try:
        model.validate(op_model, params, code="InvalidArgument")
    except AwsError:
        authenticate(call, call.operation, count=False)
        raise
    return params


def _config_of(params, op):
    if op == "CreateDistributionWithTags":
        return params.get("DistributionConfigWithTags", {}).get("DistributionConfig", {})
    return params.get("DistributionConfig", {})


def _check_origins(call, config):
    """Every OAC an origin names exists, and signs instead of (not beside)
    a legacy origin access identity."""
    controls = _backend(call).origin_access_controls
    for origin in (config.get("Origins") or {}).get("Items") or []:
        oac = origin.get("OriginAccessControlId")
        if not oac:
            continue
        if oac not in controls:
            authenticate(call, call.operation, count=False)
            raise AwsError("InvalidOriginAccessControl",
                           f"The origin access control {oac} of origin {origin.get('Id')} "
                           "is not valid: it does not exist.", 400)
        if ((origin.get("S3OriginConfig") or {}).get("OriginAccessIdentity") or ""):
            authenticate(call, call.operation, count=False)
            raise AwsError("IllegalOriginAccessConfiguration",
                           "An origin cannot contain both an origin access control (OAC) and "
                           "an origin access identity (OAI).", 400)


# -- Origin Access Controls ----------------------------------------------------


def _oac_or_404(call):
    control = _backend(call).origin_access_controls.get(call.labels.get("Id"))
    if control is None:
        authenticate(call, call.operation, count=False)
        raise AwsError("NoSuchOriginAccessControl", "The origin access control does not exist.",
                       404)
    return control


def _check_if_match(call, control):
    if_match = call.headers.get("If-Match")
    if not if_match:
        authenticate(call, call.operation, count=False)
        raise AwsError("InvalidIfMatchVersion", "The If-Match version is missing or not valid.",
                       400)
    if if_match != control.etag:
        authenticate(call, call.operation, count=False)
        raise AwsError(
            "PreconditionFailed",
            "The precondition given in one or more of the request-header fields evaluated to false.",
            412,
        )


def _check_name(call, name, other_than=None):
    if len(name or "") > OAC_NAME_MAX:
        authenticate(call, call.operation, count=False)
        raise AwsError("InvalidArgument",
                       f"The origin access control name can have up to {OAC_NAME_MAX} "
                       "characters.", 400)
    for control in _backend(call).origin_access_controls.values():
        if control.name == name and control is not other_than:
            authenticate(call, call.operation, count=False)
            raise AwsError("OriginAccessControlAlreadyExists",
                           "An origin access control with the same name already exists.", 409)


def _users(call, oac_id):
    """Ids of the distributions with an origin signed by `oac_id`."""
    users = []
    for dist in _backend(call).distributions.values():
        origins = (dist.distribution_config.Origins or {}).get("Items") or []
        if any(getattr(o, "origin_access_control_id", None) == oac_id for o in origins):
            users.append(dist.distribution_id)
    return users


def _create_oac(call, forward):
    params = _params(call)
    _check_name(call, (params.get("OriginAccessControlConfig") or {}).get("Name"))
    return None


def _update_oac(call, forward):
    control = _oac_or_404(call)
    params = _params(call)
    _check_if_match(call, control)
    _check_name(call, (params.get("OriginAccessControlConfig") or {}).get("Name"), control)
    saved = control.etag
    control.etag = _new_etag()
    resp = forward()
    if resp.status_code != 200:
        control.etag = saved
    return resp


def _delete_oac(call, forward):
    control = _oac_or_404(call)
    _check_if_match(call, control)
    users = _users(call, control.id)
    if users:
        authenticate(call, call.operation, count=False)
        raise AwsError("OriginAccessControlInUse",
                       "Cannot delete the origin access control because it's in use by one or "
                       f"more distributions: {', '.join(users)}.", 409)
    return forward()


OAC_HANDLERS = {
    "CreateOriginAccessControl": _create_oac,
    "UpdateOriginAccessControl": _update_oac,
    "DeleteOriginAccessControl": _delete_oac,
}


def _update(dist, forward):
    """Forwards UpdateDistribution with a fresh ETag and InProgress status.

    The new values are set before moto renders its answer so that the answer
    carries them; moto advances the state once while updating, hence tick -1.
    They are rolled back if moto rejects the update.
    """
    saved = (dist.etag, dist._status, dist._tick, dist._time_progressed)
    dist.etag, dist._status, dist._tick = _new_etag(), "InProgress", -1
    dist._time_progressed = datetime.now()
    resp = forward()
    if resp.status_code != 200:
        dist.etag, dist._status, dist._tick, dist._time_progressed = saved
    return resp


def _create_invalidation(call, forward):
    """CreateInvalidation also removes the paths from the edge's cache
    (Invalidation.html: "invalidate the file to remove it from CloudFront
    edge caches"); moto only records the invalidation."""
    resp = forward()
    dist = _distribution(call, call.labels.get("DistributionId"))
    if resp.status_code == 201 and dist is not None:
        from . import edge

        try:
            params = _params(call)
        except AwsError:
            return resp  # moto accepted what the model refuses; nothing to drop
        paths = ((params.get("InvalidationBatch") or {}).get("Paths") or {}).get("Items") or []
        edge.invalidate(dist, paths)
    return resp
