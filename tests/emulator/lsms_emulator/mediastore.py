"""AWS Elemental MediaStore control plane (`json`, X-Amz-Target MediaStore_20170901.*).

moto keeps the containers (moto.mediastore.models.mediastore_backends); this
module adds the operations moto lacks, corrects the Container it returns and
enforces the preconditions AWS enforces. What it adds to a container (CORS
policy, access logging flag, objects of the data plane) is stored on moto's
Container object itself, so it lives and dies with the container, including
on moto's /moto-api/reset.
"""

import json
import os
import time

from moto.mediastore.models import mediastore_backends

from . import model
from .protocol import AwsError, authenticate

SERVICE = "mediastore"

# The data plane of each container is served under this path prefix, see
# mediastore_data.py; DescribeContainer's Endpoint points there.
DATA_PREFIX = "/_mediastore/"

NOT_FOUND = "ContainerNotFoundException"


def backend(call):
    return mediastore_backends[call.account_id][call.region]


def find_container(call, name):
    """moto's Container called `name` in the caller's account and region, or None."""
    return backend(call)._containers.get(name) if isinstance(name, str) else None


def objects_of(container):
    """The container's data-plane objects: {path: DataObject} (see mediastore_data)."""
    if not hasattr(container, "lsms_objects"):
        container.lsms_objects = {}
    return container.lsms_objects


def present(call, container):
    """The Container shape as AWS returns it.

    AWS: Endpoint is "the DNS endpoint of the container" — a URL clients send
    data-plane requests to; ARN is arn:aws:mediastore:<region>:<account>:
    container/<name>; CreationTime a timestamp; AccessLoggingEnabled is always
    present (https://docs.aws.amazon.com/mediastore/latest/apireference/API_Container.html).
    moto returns "/<name>", an ARN without region and account and a date
    string, and no AccessLoggingEnabled.
    """
    return {
        "Endpoint": f"{call.base_url()}{DATA_PREFIX}{container.name}",
        "CreationTime": container.creation_time,
        "ARN": container.arn,
        "Name": container.name,
        "Status": container.status,
        "AccessLoggingEnabled": getattr(container, "lsms_access_logging", False),
    }


# Test knob: LSMS_EMULATOR_MEDIASTORE_FAULTS_FILE names a JSON file
# {"<Operation>": {"count": N, "status": 400|500, "code": "..."}}: the next N
# requests of that operation fail with that answer (before anything changes)
# and the file is rewritten with the counts left, so a test can inject a
# fault at one step of a multi-step create and change it between runs. Not
# an AWS behaviour: only tests set it.
FAULTS_ENV = "LSMS_EMULATOR_MEDIASTORE_FAULTS_FILE"


def inject_fault(op):
    path = os.environ.get(FAULTS_ENV)
    if not path or not os.path.exists(path):
        return
    with open(path) as f:
        faults = json.load(f)
    fault = faults.get(op)
    if not fault or fault.get("count", 0) <= 0:
        return
    fault["count"] -= 1
    with open(path, "w") as f:
        json.dump(faults, f)
    status = int(fault.get("status", 500))
    code = fault.get("code") or ("InternalServerError" if status >= 500 else "ValidationException")
    raise AwsError(code, f"Injected fault in {op} (test knob {FAULTS_ENV}).", status)


def handle(call, forward):
    if call.protocol != "json" or not call.operation:
        return None
    op = call.operation
    try:
        op_model = model.service_model(SERVICE).operation_model(op)
    except Exception:
        raise AwsError("UnknownOperationException", f"Unknown operation {op}")
    inject_fault(op)
    served = SERVED.get(op)
    if served is not None:
        params = model.parse_json_request(op_model, call.body)
        model.validate(op_model, params)
        authenticate(call, op)
        return call.json(served(call, params))
    corrected = CORRECTED.get(op)
    if corrected is not None:
        try:
            params = json.loads(call.body or b"{}")
        except ValueError:
            return None  # moto answers malformed bodies itself
        if op in VALIDATED:
            model.validate(op_model, params)
        return corrected(call, params, forward)
    return None


def _container_or_raise(call, name):
    container = find_container(call, name)
    if container is None:
        raise AwsError(NOT_FOUND, f"The container {name} does not exist.")
    return container


def _refuse(call, err):
    """Answers a refused precondition, but only to an authenticated caller."""
    authenticate(call, call.operation, count=False)
    raise err


# -- operations moto lacks -----------------------------------------------------


def put_cors_policy(call, params):
    container = _container_or_raise(call, params["ContainerName"])
    container.lsms_cors_policy = params["CorsPolicy"]
    return {}


def get_cors_policy(call, params):
    container = _container_or_raise(call, params["ContainerName"])
    policy = getattr(container, "lsms_cors_policy", None)
    if policy is None:
        raise AwsError("CorsPolicyNotFoundException", "The CORS policy does not exist.")
    return {"CorsPolicy": policy}


def delete_cors_policy(call, params):
    container = _container_or_raise(call, params["ContainerName"])
    if getattr(container, "lsms_cors_policy", None) is None:
        raise AwsError("CorsPolicyNotFoundException", "The CORS policy does not exist.")
    container.lsms_cors_policy = None
    return {}


def _policy_deleter(attribute):
    # moto stores these policies as attributes of the Container; AWS answers
    # PolicyNotFoundException when there is nothing to delete
    # (API_DeleteContainerPolicy / API_DeleteLifecyclePolicy / API_DeleteMetricPolicy).
    def delete(call, params):
        container = _container_or_raise(call, params["ContainerName"])
        if not getattr(container, attribute, None):
            raise AwsError("PolicyNotFoundException", "The policy does not exist within the specified container.")
        setattr(container, attribute, None)
        return {}

    return delete


def _access_logging(enabled):
    # AWS: StartAccessLogging "Starts access logging on the specified
    # container"; DescribeContainer then reports AccessLoggingEnabled.
    def set_logging(call, params):
        container = _container_or_raise(call, params["ContainerName"])
        container.lsms_access_logging = enabled
        return {}

    return set_logging


def _container_for_arn(call, arn):
    # The Resource of the tag operations is the container ARN
    # (API_TagResource: "The Amazon Resource Name (ARN) for the container").
    name = arn.rpartition("/")[2]
    container = find_container(call, name)
    if container is None or container.arn != arn:
        raise AwsError(NOT_FOUND, f"The container {arn} does not exist.")
    return container


def tag_resource(call, params):
    container = _container_for_arn(call, params["Resource"])
    tags = {t["Key"]: t.get("Value", "") for t in (container.tags or [])}
    tags.update({t["Key"]: t.get("Value", "") for t in params["Tags"]})
    if len(tags) > 50:
        raise AwsError("LimitExceededException", "A container can have at most 50 tags.")
    container.tags = [{"Key": k, "Value": v} for k, v in tags.items()]
    return {}


def untag_resource(call, params):
    container = _container_for_arn(call, params["Resource"])
    drop = set(params["TagKeys"])
    container.tags = [t for t in (container.tags or []) if t["Key"] not in drop]
    return {}


def list_tags_for_resource(call, params):
    container = _container_for_arn(call, params["Resource"])
    return {"Tags": list(container.tags or [])}


def list_containers(call, params):
    # Served here to return corrected Containers and to paginate
    # (MaxResults 1..100, NextToken), which moto does not.
    containers = list(backend(call)._containers.values())
    start = int(params.get("NextToken") or 0)
    size = params.get("MaxResults") or 100
    page = containers[start : start + size]
    result = {"Containers": [present(call, c) for c in page]}
    if start + size < len(containers):
        result["NextToken"] = str(start + size)
    return result


SERVED = {
    "PutCorsPolicy": put_cors_policy,
    "GetCorsPolicy": get_cors_policy,
    "DeleteCorsPolicy": delete_cors_policy,
    "DeleteContainerPolicy": _policy_deleter("policy"),
    "DeleteLifecyclePolicy": _policy_deleter("lifecycle_policy"),
    "DeleteMetricPolicy": _policy_deleter("metric_policy"),
    "StartAccessLogging": _access_logging(True),
    "StopAccessLogging": _access_logging(False),
    "TagResource": tag_resource,
    "UntagResource": untag_resource,
    "ListTagsForResource": list_tags_for_resource,
    "ListContainers": list_containers,
}


# -- operations moto serves, corrected ----------------------------------------


def create_container(call, params, forward):
    name = params.get("ContainerName")
    if find_container(call, name) is not None:
        # AWS: ContainerInUseException "The container that you specified in the
        # request already exists or is being updated." moto overwrites it.
        _refuse(call, AwsError("ContainerInUseException", f"The container {name} already exists or is being updated."))
    resp = forward()
    container = find_container(call, name)
    if resp.status_code != 200 or container is None:
        return resp
    container.arn = f"arn:aws:mediastore:{call.region}:{call.account_id}:container/{name}"
    container.creation_time = time.time()
    return call.json({"Container": present(call, container)})


def describe_container(call, params, forward):
    name = params.get("ContainerName")
    if isinstance(name, str) and find_container(call, name) is None:
        # AWS answers ContainerNotFoundException; moto ResourceNotFoundException.
        _refuse(call, AwsError(NOT_FOUND, f"The container {name} does not exist."))
    resp = forward()
    container = find_container(call, name)
    if resp.status_code != 200 or container is None:
        return resp
    return call.json({"Container": present(call, container)})


def delete_container(call, params, forward):
    container = find_container(call, params.get("ContainerName"))
    if container is not None and objects_of(container):
        # API_DeleteContainer: "Before you make a DeleteContainer request,
        # delete any objects in the container or in any folders in the
        # container. You can delete only empty containers."
        _refuse(call, AwsError("ContainerInUseException", "The container is not empty. Delete its objects first."))
    return forward()


def container_call(call, params, forward):
    """Policy operations moto serves: unknown container → ContainerNotFoundException."""
    name = params.get("ContainerName")
    if isinstance(name, str) and find_container(call, name) is None:
        _refuse(call, AwsError(NOT_FOUND, f"The container {name} does not exist."))
    resp = forward()
    if call.operation == "PutMetricPolicy" and resp.status_code == 200:
        # API_PutMetricPolicy returns an empty body; moto echoes the policy.
        return call.json({})
    return resp


# moto stores these policies without checking them against the model; AWS
# refuses e.g. a container policy with non-ASCII characters (ContainerPolicy
# pattern [\x00-\x7F]+, length 1..8192 in the botocore model).
VALIDATED = {"PutContainerPolicy", "PutLifecyclePolicy", "PutMetricPolicy", "PutCorsPolicy"}

CORRECTED = {
    "CreateContainer": create_container,
    "DescribeContainer": describe_container,
    "DeleteContainer": delete_container,
    "PutContainerPolicy": container_call,
    "GetContainerPolicy": container_call,
    "PutLifecyclePolicy": container_call,
    "GetLifecyclePolicy": container_call,
    "PutMetricPolicy": container_call,
    "GetMetricPolicy": container_call,
}
