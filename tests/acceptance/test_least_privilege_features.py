"""Issue 22: least privilege of the data sources, list resources and
actions. Their IAM actions are listed beside their examples
(examples/data-sources/*/, examples/list-resources/*/, examples/actions/*/
iam-actions.txt, with examples/provider/iam-actions.txt for configuring);
these lists, and nothing more, let a user read a stream through every data
source, `terraform query -generate-config-out` it and import it, and invoke
the three actions; each call the provider made maps to a listed action; and
without one of a sample of them the step that needs it fails with
AccessDenied naming it.

In moto's auth mode, as tests/acceptance/test_least_privilege.py (whose
helpers map calls to IAM actions). The objects are made with boto3 by an
administrator, as test_query.py makes them. Terraform 1.16.4 only: the only
client with lists and actions.
"""

import glob
import os

import pytest

from harness import PROVIDER_BLOCK, REPO, CommandFailed, provider_for_emulator
from test_least_privilege import NO_RETRY, actions_of, auth_emulator_with_user
from test_query import create_with_boto3, query_hcl

EXAMPLES = os.path.join(REPO, "examples")


def feature_actions():
    files = [os.path.join(EXAMPLES, "provider", "iam-actions.txt")]
    for kind in ("data-sources", "list-resources", "actions"):
        files += sorted(glob.glob(os.path.join(EXAMPLES, kind, "*", "iam-actions.txt")))
    actions = set()
    for path in files:
        with open(path) as f:
            actions.update(l.strip() for l in f if l.strip() and not l.startswith("#"))
    return actions


class AsAdmin:
    """The emulator as its administrator sees it (boto3 clients signed with
    the admin key), for create_with_boto3."""

    def __init__(self, emu):
        self.emu = emu

    def client(self, service):
        return self.emu.client(service, session=self.emu.admin, config=NO_RETRY)


@pytest.fixture(scope="module")
def auth_emulator():
    with auth_emulator_with_user("lsms-reader") as emu:
        yield emu


def operate_hcl(made):
    """Every data source, and the three actions, on what boto3 made."""
    return f"""
data "lsms_channel" "live" {{
  id = "{made['channel']}"
}}
data "lsms_channel" "by_name" {{
  name = data.lsms_channel.live.name
}}
data "lsms_distribution" "cdn" {{
  id = "{made['distribution']}"
}}
data "lsms_bucket" "origin" {{
  name = "{made['bucket']}"
}}
data "lsms_container" "legacy" {{
  name = "{made['container']}"
}}
action "lsms_channel_start" "go" {{
  config {{
    channel_id = "{made['channel']}"
  }}
}}
action "lsms_channel_stop" "halt" {{
  config {{
    channel_id = "{made['channel']}"
  }}
}}
action "lsms_distribution_invalidate" "all" {{
  config {{
    distribution_id = "{made['distribution']}"
    paths           = ["/stream/*"]
  }}
}}
output "watch" {{ value = data.lsms_distribution.cdn.live_stream_url }}
output "origin" {{ value = data.lsms_bucket.origin.region }}
output "endpoint" {{ value = data.lsms_container.legacy.endpoint }}
output "state" {{ value = data.lsms_channel.by_name.state }}
"""


def steps(ws):
    return [lambda: ws.plan(), lambda: ws.run("query", "-no-color"),
            lambda: ws.run("query", "-no-color", "-generate-config-out=generated.tf"),
            lambda: ws.apply(),
            lambda: ws.apply("-invoke=action.lsms_channel_start.go"),
            lambda: ws.apply("-invoke=action.lsms_channel_stop.halt"),
            lambda: ws.apply("-invoke=action.lsms_distribution_invalidate.all")]


def reader_workspace(workspace_factory, client, emu, name):
    made = create_with_boto3(AsAdmin(emu), name, {"adopt": name})
    ws = workspace_factory(client)
    ws.write("main.tf", PROVIDER_BLOCK + provider_for_emulator(emu.url, keys=emu.keys) +
             operate_hcl(made))
    # The dashboard is left out here: its list needs the solution's body.
    ws.write("adopt.tfquery.hcl", query_hcl(name, made["bucket"]).split('list "lsms_dashboard"')[0])
    ws.init()
    return ws, made


@pytest.mark.clients("list", "actions")
def test_listed_actions_are_enough(client, workspace_factory, auth_emulator):
    emu = auth_emulator
    emu.set_policy(feature_actions())
    ws, made = reader_workspace(workspace_factory, client, emu, f"lpf-{client.name}")
    start = len(emu.request_log())
    for step in steps(ws):
        step()
    ml = emu.client("medialive", session=emu.admin, config=NO_RETRY)
    assert ml.describe_channel(ChannelId=made["channel"])["State"] == "IDLE"
    cf = emu.client("cloudfront", session=emu.admin, config=NO_RETRY)
    assert cf.list_invalidations(DistributionId=made["distribution"])["InvalidationList"]["Quantity"] == 1
    seen = {(r["service"], r["operation"], r["status"]) for r in emu.request_log()[start:]
            if r.get("access_key") == emu.keys[0]}
    refused = {s for s in seen if s[2] in (401, 403)}
    assert not refused, refused
    called = {a for svc, op, _ in seen for a in actions_of(svc, op)}
    assert called <= feature_actions(), called - feature_actions()


# One action of each kind: a list, a data source's read, an action.
REMOVED = ["medialive:ListChannels", "cloudfront:GetDistribution", "cloudfront:CreateInvalidation",
           "s3:ListAllMyBuckets", "medialive:StartChannel"]


@pytest.mark.clients("list", "actions")
@pytest.mark.parametrize("action", REMOVED)
def test_each_action_is_needed(client, workspace_factory, auth_emulator, action):
    emu = auth_emulator
    emu.set_policy(feature_actions() - {action})
    name = f"lpn-{client.name[:2]}-{action.split(':')[1].lower()}"[:40]
    ws, _ = reader_workspace(workspace_factory, client, emu, name)
    failure = None
    for step in steps(ws):
        try:
            step()
        except CommandFailed as e:
            failure = str(e)
            break
    assert failure is not None, f"every step passed without {action}"
    assert "AccessDenied" in failure and action.split(":")[1] in failure, failure
