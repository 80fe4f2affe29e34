"""MediaLive channel and input classes in the emulator, checked with boto3.

moto makes every input STANDARD, never checks a channel's class against its
inputs and destinations, and has no UpdateChannelClass. The layer derives an
input's class from what feeds it (two push destinations, sources or devices:
STANDARD; one: SINGLE_PIPELINE; RTP: always STANDARD), refuses a channel
whose destinations or inputs do not fit its class (422), and serves
UpdateChannelClass (idle channels only: 409 otherwise; 404 for an unknown id;
the model's validation; to SINGLE_PIPELINE without destinations, the second
URL of each destination goes).
"""

import time

import botocore.config
import pytest
from botocore.exceptions import ClientError

from channels import channel_kwargs
from fixture import emulator  # noqa: F401  (pytest fixture)

NO_RETRY = botocore.config.Config(retries={"total_max_attempts": 1, "mode": "standard"})
NO_CLIENT_VALIDATION = botocore.config.Config(parameter_validation=False,
                                              retries={"total_max_attempts": 1, "mode": "standard"})


def error_of(excinfo):
    err = excinfo.value.response
    return err["Error"]["Code"], err["ResponseMetadata"]["HTTPStatusCode"]


@pytest.fixture
def ml(emulator):  # noqa: F811
    return emulator.client("medialive", config=NO_RETRY)


def settle(ml, channel_id):
    """The channel's state once its pipelines have started or stopped
    (the media plane runs them: a moment, not a describe)."""
    for _ in range(200):
        state = ml.describe_channel(ChannelId=channel_id)["State"]
        if state not in ("STARTING", "STOPPING"):
            return state
        time.sleep(0.1)
    return state


def destinations(*urls):
    return [{"Id": "dest", "Settings": [{"Url": u} for u in urls]}]


def rtmp_input(ml, name, count):
    group = ml.create_input_security_group(WhitelistRules=[{"Cidr": "203.0.113.0/24"}])
    return ml.create_input(Name=name, Type="RTMP_PUSH",
                           InputSecurityGroups=[group["SecurityGroup"]["Id"]],
                           Destinations=[{"StreamName": f"{name}/s"}] * count)["Input"]


def channel(ml, name, cls, input_id, urls):
    ch = ml.create_channel(Name=name, ChannelClass=cls, Destinations=destinations(*urls),
                           InputAttachments=[{"InputId": input_id, "InputAttachmentName": "a"}])
    assert settle(ml, ch["Channel"]["Id"]) == "IDLE"
    return ch["Channel"]


def test_input_class_follows_what_feeds_it(ml):
    one, two = rtmp_input(ml, "cls-rtmp1", 1), rtmp_input(ml, "cls-rtmp2", 2)
    assert one["InputClass"] == "SINGLE_PIPELINE" and len(one["Destinations"]) == 1
    assert two["InputClass"] == "STANDARD" and len(two["Destinations"]) == 2
    assert ml.describe_input(InputId=one["Id"])["InputClass"] == "SINGLE_PIPELINE"
    pull = lambda n: ml.create_input(  # noqa: E731
        Name=f"cls-pull{n}", Type="URL_PULL",
        Sources=[{"Url": f"https://example.com/{i}.m3u8"} for i in range(n)])["Input"]
    assert pull(1)["InputClass"] == "SINGLE_PIPELINE" and pull(2)["InputClass"] == "STANDARD"
    device = ml.create_input(Name="cls-dev", Type="INPUT_DEVICE",
                             InputDevices=[{"Id": "hd-1"}, {"Id": "hd-2"}])["Input"]
    assert device["InputClass"] == "STANDARD"
    rtp = ml.create_input(Name="cls-rtp", Type="RTP_PUSH")["Input"]
    assert rtp["InputClass"] == "STANDARD" and len(rtp["Destinations"]) == 2


def test_update_input_changes_the_class_and_keeps_endpoints_it_does_not_name(ml):
    inp = rtmp_input(ml, "cls-upd", 1)
    up = ml.update_input(InputId=inp["Id"], Name="cls-upd",
                         Destinations=[{"StreamName": "cls-upd/s"}, {"StreamName": "cls-upd/s"}])
    assert up["Input"]["InputClass"] == "STANDARD"
    urls = [d["Url"] for d in up["Input"]["Destinations"]]
    assert len(urls) == 2 and all(u.startswith("rtmp://") and u.endswith("/cls-upd/s") for u in urls)
    renamed = ml.update_input(InputId=inp["Id"], Name="cls-upd2")["Input"]
    assert [d["Url"] for d in renamed["Destinations"]] == urls
    assert renamed["InputClass"] == "STANDARD"
    down = ml.update_input(InputId=inp["Id"], Name="cls-upd",
                           Destinations=[{"StreamName": "cls-upd/s"}])["Input"]
    assert down["InputClass"] == "SINGLE_PIPELINE" and len(down["Destinations"]) == 1


def test_channel_must_fit_its_class(ml):
    single, standard = rtmp_input(ml, "cls-fit1", 1), rtmp_input(ml, "cls-fit2", 2)
    cases = [
        ("STANDARD", single["Id"], ["s3ssl://b/a", "s3ssl://b/b"]),  # single-class input
        ("STANDARD", standard["Id"], ["s3ssl://b/a"]),  # one URL for two pipelines
        ("SINGLE_PIPELINE", single["Id"], ["s3ssl://b/a", "s3ssl://b/b"]),  # two for one
    ]
    for cls, input_id, urls in cases:
        with pytest.raises(ClientError) as e:
            channel(ml, "cls-fit", cls, input_id, urls)
        assert error_of(e) == ("UnprocessableEntityException", 422), (cls, urls)
    ch = channel(ml, "cls-fit", "STANDARD", standard["Id"], ["s3ssl://b/a", "s3ssl://b/b"])
    with pytest.raises(ClientError) as e:  # UpdateChannel keeps the class: two URLs needed
        ml.update_channel(ChannelId=ch["Id"], Destinations=destinations("s3ssl://b/a"))
    assert error_of(e) == ("UnprocessableEntityException", 422)
    ml.delete_channel(ChannelId=ch["Id"])


def test_update_channel_class_both_ways(emulator, ml):  # noqa: F811
    inp = rtmp_input(ml, "cls-up", 1)
    # Started below: a channel the media plane can run (settings, role).
    ch = ml.create_channel(**channel_kwargs(emulator, "cls-up", inp["Id"], ["s3ssl://b/x/a"]))["Channel"]
    assert settle(ml, ch["Id"]) == "IDLE"
    two = destinations("s3ssl://b/x/a", "s3ssl://b/x/p1/a")
    with pytest.raises(ClientError) as e:  # the input is single-class
        ml.update_channel_class(ChannelId=ch["Id"], ChannelClass="STANDARD", Destinations=two)
    assert error_of(e) == ("UnprocessableEntityException", 422)
    ml.update_input(InputId=inp["Id"], Name="cls-up",
                    Destinations=[{"StreamName": "cls-up/s"}, {"StreamName": "cls-up/s"}])
    with pytest.raises(ClientError) as e:  # a STANDARD channel needs two URLs
        ml.update_channel_class(ChannelId=ch["Id"], ChannelClass="STANDARD")
    assert error_of(e) == ("UnprocessableEntityException", 422)

    mark = len(emulator.request_log())
    up = ml.update_channel_class(ChannelId=ch["Id"], ChannelClass="STANDARD", Destinations=two)
    assert [(r["operation"], r["status"]) for r in emulator.request_log()[mark:]] == \
        [("UpdateChannelClass", 200)]
    assert up["Channel"]["ChannelClass"] == "STANDARD" and up["Channel"]["State"] == "UPDATING"
    assert up["Channel"]["Id"] == ch["Id"] and up["Channel"]["Name"] == "cls-up"
    desc = ml.describe_channel(ChannelId=ch["Id"])
    assert desc["State"] == "IDLE" and desc["ChannelClass"] == "STANDARD"
    assert [s["Url"] for s in desc["Destinations"][0]["Settings"]] == \
        ["s3ssl://b/x/a", "s3ssl://b/x/p1/a"]
    assert desc["PipelinesRunningCount"] == 0  # idle: no pipeline runs

    ml.start_channel(ChannelId=ch["Id"])
    assert settle(ml, ch["Id"]) == "RUNNING"
    assert ml.describe_channel(ChannelId=ch["Id"])["PipelinesRunningCount"] == 2
    with pytest.raises(ClientError) as e:  # only while idle
        ml.update_channel_class(ChannelId=ch["Id"], ChannelClass="SINGLE_PIPELINE")
    assert error_of(e) == ("ConflictException", 409)
    ml.stop_channel(ChannelId=ch["Id"])
    assert settle(ml, ch["Id"]) == "IDLE"

    # Down without destinations: the second URL of each destination goes.
    ml.update_channel_class(ChannelId=ch["Id"], ChannelClass="SINGLE_PIPELINE")
    desc = ml.describe_channel(ChannelId=ch["Id"])
    assert desc["ChannelClass"] == "SINGLE_PIPELINE" and desc["State"] == "IDLE"
    assert [s["Url"] for s in desc["Destinations"][0]["Settings"]] == ["s3ssl://b/x/a"]
    ml.delete_channel(ChannelId=ch["Id"])


def test_update_channel_class_unknown_or_invalid(emulator):  # noqa: F811
    ml = emulator.client("medialive", config=NO_CLIENT_VALIDATION)
    with pytest.raises(ClientError) as e:
        ml.update_channel_class(ChannelId="9999999", ChannelClass="STANDARD")
    assert error_of(e) == ("NotFoundException", 404)
    ch = ml.create_channel(Name="cls-bad", ChannelClass="SINGLE_PIPELINE")["Channel"]
    with pytest.raises(ClientError) as e:
        ml.update_channel_class(ChannelId=ch["Id"], ChannelClass="TRIPLE")
    assert error_of(e) == ("BadRequestException", 400)
