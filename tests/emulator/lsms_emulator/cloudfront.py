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
The distribution stays InProgress for LSMS_EMULATOR_CF_INPROGRESS_READS
(default 2) reads (Get, GetConfig, List) after each create or update, so that
clients' waiters are exercised. With LSMS_EMULATOR_CF_DEPLOY_SECONDS (a
decimal) it stays InProgress for that long instead, as CloudFront does while
a change propagates: tests/bench uses it so that the deployment is part of
the critical path it measures, whatever the client's polling.
"""

import os
from datetime import datetime

from moto.cloudfront.models import cloudfront_backends
from moto.moto_api import state_manager
from moto.moto_api._internal import mock_random

from .protocol import AwsError, authenticate

MODEL_NAME = "cloudfront::distribution"


def configure():
    """Sets moto's state manager so Status turns Deployed after N reads (or
    after a time)."""
    seconds = float(os.environ.get("LSMS_EMULATOR_CF_DEPLOY_SECONDS") or 0)
    if seconds > 0:
        state_manager.set_transition(MODEL_NAME, {"progression": "time", "seconds": seconds})
        return
    reads = int(os.environ.get("LSMS_EMULATOR_CF_INPROGRESS_READS", "2"))
    # moto moves InProgress -> Deployed once a distribution has been read
    # `times` times; the read that reaches `times` already sees Deployed.
    state_manager.set_transition(MODEL_NAME, {"progression": "manual", "times": reads + 1})


def _distribution(call, dist_id):
    backend = cloudfront_backends[call.account_id]["global"]
    return backend.distributions.get(dist_id)


def _enabled(dist):
    value = getattr(dist.distribution_config, "Enabled", False)
    return value.lower() == "true" if isinstance(value, str) else bool(value)


def _new_etag():
    # Real ETags look like E2QWRUHAPOMQZL: 'E' plus 13 upper-case characters.
    return "E" + "".join(mock_random.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in range(13))


def handle(call, forward):
    op = call.operation
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
    return _update(dist, forward)


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
