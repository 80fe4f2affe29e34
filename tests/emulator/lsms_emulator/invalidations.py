"""CloudFront invalidations (`rest-xml`): CreateInvalidation, GetInvalidation,
ListInvalidations as CloudFront runs them, for the lsms_distribution_invalidate
action of issue 22 (README "Invalidations").

moto records an invalidation as done at once, with a status CloudFront never
answers ("COMPLETED"; CloudFront's are "InProgress" and "Completed"), and checks
nothing of the batch. This module keeps moto's records and adds:

  * a lifecycle: a new invalidation is "InProgress" and becomes "Completed"
    after LSMS_EMULATOR_INVALIDATION_READS (default 2) GetInvalidation or
    ListInvalidations reads of it, so that a client's wait is exercised;
  * the batch rules of API_CreateInvalidation and the developer guide:
    Quantity must be the number of Items (400 InconsistentQuantities); a path
    starts with "/", holds at most 4,000 characters and a "*" only at its end
    (400 InvalidArgument); at most 3,000 paths in progress per distribution,
    at most 15 of them with a wildcard (400 TooManyInvalidationsInProgress);
    a CallerReference sent again with the same paths answers the earlier
    invalidation (201), with other paths 409 InvalidationBatchAlreadyExists.

cloudfront.py's CreateInvalidation then drops the paths from the emulator's
edge cache (edge.py) once this module has accepted the batch.
"""

import os

from moto.cloudfront.models import cloudfront_backends

from .protocol import AwsError, authenticate

MAX_PATH = 4000
MAX_PATHS_IN_PROGRESS = 3000
MAX_WILDCARDS_IN_PROGRESS = 15

def _reads():
    return max(0, int(os.environ.get("LSMS_EMULATOR_INVALIDATION_READS", "2")))


def _backend(call):
    return cloudfront_backends[call.account_id]["global"]


def _refuse(call, code, message, status=400):
    authenticate(call, call.operation, count=False)
    raise AwsError(code, message, status)


def _in_progress(call, dist_id):
    return [inv for inv in _backend(call).invalidations.get(dist_id) or []
            if inv.status == "InProgress"]


def _check_batch(call, dist_id, batch):
    paths = (batch.get("Paths") or {}).get("Items") or []
    quantity = (batch.get("Paths") or {}).get("Quantity")
    if quantity != len(paths):
        _refuse(call, "InconsistentQuantities",
                "The value of Quantity and the size of Items don't match.")
    for path in paths:
        if not path.startswith("/") or len(path) > MAX_PATH or ("*" in path[:-1]):
            _refuse(call, "InvalidArgument",
                    f"Your request contains one or more invalid invalidation paths: {path!r} "
                    "(a path starts with /, holds at most 4000 characters and a * only at "
                    "its end).")
    running = _in_progress(call, dist_id)
    files = sum(len(inv.paths) for inv in running) + len(paths)
    wild = sum(1 for inv in running for p in inv.paths if p.endswith("*")) + \
        sum(1 for p in paths if p.endswith("*"))
    if files > MAX_PATHS_IN_PROGRESS or wild > MAX_WILDCARDS_IN_PROGRESS:
        _refuse(call, "TooManyInvalidationsInProgress",
                "You have exceeded the maximum number of allowable InProgress invalidation "
                "batch requests, or invalidation objects.")
    return paths


def _earlier(call, dist_id, reference, paths):
    for inv in _backend(call).invalidations.get(dist_id) or []:
        if inv.caller_ref == reference:
            if list(inv.paths) != list(paths):
                _refuse(call, "InvalidationBatchAlreadyExists",
                        "The CallerReference you attempted to create the invalidation batch "
                        "with is already in use with another batch.", 409)
            return inv
    return None


def create_invalidation(call, forward):
    from .cloudfront import _distribution, _params

    params = _params(call)
    dist_id = call.labels.get("DistributionId") or call.labels.get("Id")
    if _distribution(call, dist_id) is None:
        return forward()  # moto answers NoSuchDistribution
    batch = params.get("InvalidationBatch") or {}
    paths = _check_batch(call, dist_id, batch)
    earlier = _earlier(call, dist_id, batch.get("CallerReference"), paths)
    if earlier is not None:
        # The same CallerReference and paths: CloudFront answers the earlier
        # invalidation as it stands (API_CreateInvalidation, CallerReference).
        authenticate(call, call.operation)
        return _answer(call, earlier)
    resp = forward()
    if resp.status_code == 201:
        created = (_backend(call).invalidations.get(dist_id) or [])[-1]
        created.status = "InProgress"
        created.lsms_reads_left = _reads()
        return _rewrite_status(resp, created)
    return resp


def _advance(inv):
    if inv.status != "InProgress":
        return
    left = getattr(inv, "lsms_reads_left", 0)
    if left > 0:
        inv.lsms_reads_left = left - 1
        return
    inv.status = "Completed"


def _rewrite_status(resp, inv):
    """moto writes the status its own way; CloudFront's is ours."""
    body = resp.get_data(as_text=True)
    for theirs in ("COMPLETED", "InProgress", "Completed"):
        body = body.replace(f"<Status>{theirs}</Status>", f"<Status>{inv.status}</Status>")
    resp.set_data(body.encode())
    return resp


def get_invalidation(call, forward):
    dist_id = call.labels.get("DistributionId")
    for inv in _backend(call).invalidations.get(dist_id) or []:
        if inv.id == call.labels.get("Id"):
            _advance(inv)
            resp = forward()
            return _rewrite_status(resp, inv) if resp.status_code == 200 else resp
    return None  # moto answers NoSuchInvalidation / NoSuchDistribution


def list_invalidations(call, forward):
    dist_id = call.labels.get("DistributionId") or call.labels.get("Id")
    records = _backend(call).invalidations.get(dist_id) or []
    for inv in records:
        _advance(inv)
    resp = forward()
    if resp.status_code != 200:
        return resp
    body = resp.get_data(as_text=True)
    for inv in records:
        # Each summary is <Id>x</Id><CreateTime>..</CreateTime><Status>..</Status>.
        at = body.find(f"<Id>{inv.id}</Id>")
        start = body.find("<Status>", at)
        end = body.find("</Status>", start)
        if at >= 0 and start >= 0 and end >= 0:
            body = body[:start] + f"<Status>{inv.status}" + body[end:]
    resp.set_data(body.encode())
    return resp


HANDLERS = {
    "CreateInvalidation": create_invalidation,
    "GetInvalidation": get_invalidation,
    "ListInvalidations": list_invalidations,
}


def handle(call, forward):
    """The invalidation operations, or None for any other."""
    served = HANDLERS.get(call.operation)
    return served(call, forward) if served is not None else None


def _answer(call, inv):
    """An Invalidation document (201) for a recorded invalidation."""
    import xml.etree.ElementTree as ET

    root = ET.Element("Invalidation", {"xmlns": "http://cloudfront.amazonaws.com/doc/2020-05-31/"})
    ET.SubElement(root, "Id").text = inv.id
    ET.SubElement(root, "Status").text = inv.status
    ET.SubElement(root, "CreateTime").text = inv.create_time.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    batch = ET.SubElement(root, "InvalidationBatch")
    paths = ET.SubElement(batch, "Paths")
    ET.SubElement(paths, "Quantity").text = str(len(inv.paths))
    items = ET.SubElement(paths, "Items")
    for p in inv.paths:
        ET.SubElement(items, "Path").text = p
    ET.SubElement(batch, "CallerReference").text = inv.caller_ref
    resp = call.empty(201)
    resp.set_data(b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root))
    resp.headers["Content-Type"] = "text/xml"
    resp.headers["Location"] = inv.location
    return resp
