"""Credentials of a running channel: MediaLive assumes the channel's role.

MediaLive "assumes the role" of the channel (RoleArn, "the IAM role that the
channel uses to access other services") as the service principal
medialive.amazonaws.com, which the role's trust policy must allow
(MediaLive user guide, "Access requirements for the trusted entity"). The
service has no credentials of its own in the emulator, so the assumption is
made inside the emulator with moto's own STS backend (AssumeRole, the same
call the STS endpoint serves) after the trust policy has been evaluated for
that principal; everything the channel then does with the temporary
credentials goes over HTTP and is authenticated and authorized like any
other request.
"""

import fnmatch
import json
from urllib.parse import unquote

SERVICE_PRINCIPAL = "medialive.amazonaws.com"


class AssumeRoleFailed(Exception):
    pass


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def trust_allows_medialive(document):
    """Whether the trust policy lets medialive.amazonaws.com sts:AssumeRole
    (an explicit Deny wins over any Allow)."""
    if isinstance(document, str):
        document = json.loads(unquote(document) if document.startswith("%7B") else document)
    allowed = False
    for st in _as_list(document.get("Statement")):
        principal = st.get("Principal")
        if principal == "*":
            names = ["*"]
        elif isinstance(principal, dict):
            names = _as_list(principal.get("Service")) + ["*" for a in _as_list(principal.get("AWS")) if a == "*"]
        else:
            names = []
        if SERVICE_PRINCIPAL not in names and "*" not in names:
            continue
        actions = _as_list(st.get("Action"))
        if not any(fnmatch.fnmatchcase("sts:assumerole", a.lower()) for a in actions):
            continue
        if st.get("Condition"):
            continue  # conditions on the service's request context are not evaluated: not allowed
        if st.get("Effect") == "Deny":
            return False
        if st.get("Effect") == "Allow":
            allowed = True
    return allowed


def assume_channel_role(account_id, region, role_arn, session_name):
    """(access key, secret key, session token) of the channel's role, as
    AssumeRole gives them. Raises AssumeRoleFailed with MediaLive's reason."""
    from moto.iam.models import iam_backends
    from moto.sts.models import sts_backends
    from moto.utilities.utils import get_partition

    if not role_arn:
        raise AssumeRoleFailed("the channel has no role (RoleArn)")
    partition = get_partition(region)
    iam = iam_backends[account_id][partition]
    try:
        role = iam.get_role_by_arn(role_arn)
    except Exception:
        raise AssumeRoleFailed(f"the role {role_arn} does not exist")
    if not trust_allows_medialive(role.assume_role_policy_document):
        raise AssumeRoleFailed(f"the trust policy of {role_arn} does not let {SERVICE_PRINCIPAL} assume it")
    assumed = sts_backends[account_id][partition].assume_role(
        region_name=region, role_session_name=session_name, role_arn=role_arn, policy=None,
        duration=3600, external_id=None)
    return assumed.access_key_id, assumed.secret_access_key, assumed.session_token
