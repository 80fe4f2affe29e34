"""List operations as AWS pages and filters them, where moto does not
(the list resources of issue 22 walk them page by page; README "Listings").

  * S3 ListBuckets (GET / with prefix, bucket-region, max-buckets,
    continuation-token; API_ListBuckets): buckets in name order, each with its
    BucketRegion and BucketArn; with max-buckets (1 to 10000, else 400
    InvalidArgument) a page holds at most that many and, when more follow,
    the answer's ContinuationToken continues after its last bucket (an
    unknown token is 400 InvalidArgument); Prefix is echoed. moto applies
    prefix and bucket-region but cuts at max-buckets without a token, and
    answers no BucketRegion.

The other lists the list resources walk need nothing here: moto pages
ListChannels (MaxResults/NextToken) and ListDistributions (Marker/MaxItems),
mediastore.py pages ListContainers, and ListDashboards answers one page
(AWS answers up to 1000 dashboards per page; moto every one at once).
"""

import base64
import xml.etree.ElementTree as ET

from . import model
from .protocol import AwsError, authenticate

S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/"
MAX_BUCKETS = 10000


def _s3_buckets(call):
    from moto.s3.models import s3_backends
    from moto.utilities.utils import get_partition

    return s3_backends[call.account_id][get_partition(call.region)].buckets


def _token_of(name):
    return base64.urlsafe_b64encode(name.encode()).decode()


def _name_of(token):
    try:
        return base64.urlsafe_b64decode(token.encode()).decode()
    except (ValueError, UnicodeDecodeError):
        return None


def list_buckets(call):
    authenticate(call, "ListAllMyBuckets", s3=True)
    prefix = call.query.get("prefix")
    region = call.query.get("bucket-region")
    limit = call.query.get("max-buckets")
    token = call.query.get("continuation-token")
    if limit is not None and (not limit.isdigit() or not 1 <= int(limit) <= MAX_BUCKETS):
        raise AwsError("InvalidArgument", "Argument max-buckets must be an integer between 1 "
                       "and 10000.")
    names = sorted(n for n, b in _s3_buckets(call).items()
                   if (not prefix or n.startswith(prefix)) and
                   (not region or b.region_name == region))
    if token is not None:
        after = _name_of(token)
        if after is None:
            raise AwsError("InvalidArgument", "The continuation token provided is incorrect")
        names = [n for n in names if n > after]
    more = limit is not None and len(names) > int(limit)
    if limit is not None:
        names = names[:int(limit)]
    buckets = _s3_buckets(call)
    out = {
        "Buckets": [{"Name": n, "CreationDate": buckets[n].creation_date_ISO8601,
                     "BucketRegion": buckets[n].region_name, "BucketArn": f"arn:aws:s3:::{n}"}
                    for n in names],  # <Buckets/> when there are none, as S3 answers
        "Owner": {"ID": "bcaf1ffd86f41161ca5fb16fd081034f", "DisplayName": "webfile"},
        "ContinuationToken": _token_of(names[-1]) if more else None,
        "Prefix": prefix,
    }
    op_model = model.service_model("s3").operation_model("ListBuckets")
    element = model.to_xml(op_model.output_shape, out, "ListAllMyBucketsResult", S3_NAMESPACE)
    resp = call.empty(200)
    resp.set_data(b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(element))
    resp.headers["Content-Type"] = "application/xml"
    return resp
