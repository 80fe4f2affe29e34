"""CloudWatch dashboard tags through the layer (lsms_emulator/cloudwatch.py),
checked with boto3 (which speaks JSON 1.0 to CloudWatch, as the provider does).
Run: $(tests/tools/venv) -m pytest tests/emulator/test_cloudwatch.py
"""

import json

import pytest
from botocore.exceptions import ClientError

from fixture import emulator  # noqa: F401  (pytest fixture)

BODY = json.dumps({"widgets": [{"type": "text", "x": 0, "y": 0, "width": 6, "height": 2,
                                "properties": {"markdown": "hi"}}]})


def tags_of(cw, arn):
    return {t["Key"]: t["Value"] for t in cw.list_tags_for_resource(ResourceARN=arn)["Tags"]}


def error_code(call):
    with pytest.raises(ClientError) as e:
        call()
    return e.value.response["Error"]["Code"], e.value.response["ResponseMetadata"]["HTTPStatusCode"]


def test_dashboard_tags_on_create_tag_untag_and_delete(emulator):
    cw = emulator.client("cloudwatch")
    cw.put_dashboard(DashboardName="cw-tags", DashboardBody=BODY,
                     Tags=[{"Key": "team", "Value": "video"}, {"Key": "env", "Value": "test"}])
    arn = cw.get_dashboard(DashboardName="cw-tags")["DashboardArn"]
    assert arn == "arn:aws:cloudwatch::123456789012:dashboard/cw-tags"
    assert tags_of(cw, arn) == {"team": "video", "env": "test"}

    # Tags on an update of an existing dashboard are ignored, like AWS.
    cw.put_dashboard(DashboardName="cw-tags", DashboardBody=BODY,
                     Tags=[{"Key": "team", "Value": "other"}])
    assert tags_of(cw, arn) == {"team": "video", "env": "test"}

    cw.tag_resource(ResourceARN=arn, Tags=[{"Key": "team", "Value": "live"},
                                           {"Key": "owner", "Value": "ops"}])
    cw.untag_resource(ResourceARN=arn, TagKeys=["env", "absent"])
    assert tags_of(cw, arn) == {"team": "live", "owner": "ops"}

    cw.delete_dashboards(DashboardNames=["cw-tags"])
    assert error_code(lambda: cw.list_tags_for_resource(ResourceARN=arn)) == (
        "ResourceNotFoundException", 404)
    # A new dashboard of the same name does not inherit the old tags.
    cw.put_dashboard(DashboardName="cw-tags", DashboardBody=BODY)
    assert tags_of(cw, arn) == {}
    cw.delete_dashboards(DashboardNames=["cw-tags"])


def test_dashboard_tag_errors(emulator):
    cw = emulator.client("cloudwatch")
    missing = "arn:aws:cloudwatch::123456789012:dashboard/cw-missing"
    for call in (lambda: cw.tag_resource(ResourceARN=missing, Tags=[{"Key": "a", "Value": "b"}]),
                 lambda: cw.untag_resource(ResourceARN=missing, TagKeys=["a"]),
                 lambda: cw.list_tags_for_resource(ResourceARN=missing)):
        assert error_code(call) == ("ResourceNotFoundException", 404)

    cw.put_dashboard(DashboardName="cw-limit", DashboardBody=BODY)
    arn = cw.get_dashboard(DashboardName="cw-limit")["DashboardArn"]
    many = [{"Key": f"k{i}", "Value": "v"} for i in range(51)]
    assert error_code(lambda: cw.tag_resource(ResourceARN=arn, Tags=many))[0] == "LimitExceededException"
    assert error_code(lambda: cw.put_dashboard(DashboardName="cw-limit-new", DashboardBody=BODY,
                                               Tags=many))[0] == "LimitExceededException"
    assert error_code(lambda: cw.get_dashboard(DashboardName="cw-limit-new"))[0] == "ResourceNotFound"
    cw.delete_dashboards(DashboardNames=["cw-limit"])


def test_alarm_tags_still_reach_moto(emulator):
    cw = emulator.client("cloudwatch")
    cw.put_metric_alarm(AlarmName="cw-alarm", MetricName="m", Namespace="n", Statistic="Sum",
                        Period=60, EvaluationPeriods=1, Threshold=1,
                        ComparisonOperator="GreaterThanThreshold")
    arn = cw.describe_alarms(AlarmNames=["cw-alarm"])["MetricAlarms"][0]["AlarmArn"]
    cw.tag_resource(ResourceARN=arn, Tags=[{"Key": "a", "Value": "b"}])
    assert tags_of(cw, arn) == {"a": "b"}
    cw.delete_alarms(AlarmNames=["cw-alarm"])
