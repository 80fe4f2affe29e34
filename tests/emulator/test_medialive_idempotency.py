"""MediaLive's requestId idempotency token on CreateChannel and CreateInput:
a repeated create with the same requestId answers the resource the first call
made (nothing new is created), different requestIds create two resources, and
the same requestId with other parameters is refused (409 ConflictException).

boto3 fills requestId with a fresh UUID when it is not given (the model marks
it idempotencyToken), so each test passes RequestId explicitly.
"""

import uuid

import botocore.config
import pytest
from botocore.exceptions import ClientError

from fixture import Emulator, emulator  # noqa: F401  (pytest fixture)

NO_RETRY = botocore.config.Config(retries={"total_max_attempts": 1, "mode": "standard"})


def token():
    return str(uuid.uuid4())


def live_channels(ml, name):
    return [c for c in ml.list_channels()["Channels"] if c["Name"] == name and c["State"] != "DELETED"]


def live_inputs(ml, name):
    return [i for i in ml.list_inputs()["Inputs"] if i["Name"] == name and i["State"] != "DELETED"]


def channel_args(name, input_id):
    return dict(Name=name, ChannelClass="SINGLE_PIPELINE", Tags={"k": "v"},
                InputAttachments=[{"InputId": input_id, "InputAttachmentName": "a"}])


def pull_input_args(name):
    return dict(Name=name, Type="URL_PULL", Tags={"k": "v"},
                Sources=[{"Url": f"https://example.com/{name}.m3u8"}])


@pytest.fixture
def ml(emulator):
    return emulator.client("medialive", config=NO_RETRY)


def test_create_input_same_request_id_returns_the_first_input(ml):
    rid = token()
    first = ml.create_input(RequestId=rid, **pull_input_args("idem-in"))
    again = ml.create_input(RequestId=rid, **pull_input_args("idem-in"))
    assert first["ResponseMetadata"]["HTTPStatusCode"] == again["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert again["Input"] == first["Input"]
    assert [i["Id"] for i in live_inputs(ml, "idem-in")] == [first["Input"]["Id"]]


def test_create_channel_same_request_id_returns_the_first_channel(ml):
    inp = ml.create_input(RequestId=token(), **pull_input_args("idem-ch-in"))["Input"]
    rid = token()
    first = ml.create_channel(RequestId=rid, **channel_args("idem-ch", inp["Id"]))
    again = ml.create_channel(RequestId=rid, **channel_args("idem-ch", inp["Id"]))
    assert again["Channel"] == first["Channel"]
    assert again["ResponseMetadata"]["HTTPStatusCode"] == first["ResponseMetadata"]["HTTPStatusCode"]
    assert [c["Id"] for c in live_channels(ml, "idem-ch")] == [first["Channel"]["Id"]]
    # The one channel is the one described, and the input is attached to it only.
    assert ml.describe_channel(ChannelId=first["Channel"]["Id"])["Name"] == "idem-ch"
    assert ml.describe_input(InputId=inp["Id"])["AttachedChannels"] == [first["Channel"]["Id"]]


def test_different_request_ids_create_two(ml):
    a = ml.create_input(RequestId=token(), **pull_input_args("idem-two-in"))["Input"]
    b = ml.create_input(RequestId=token(), **pull_input_args("idem-two-in"))["Input"]
    assert a["Id"] != b["Id"]
    assert sorted(i["Id"] for i in live_inputs(ml, "idem-two-in")) == sorted([a["Id"], b["Id"]])

    c1 = ml.create_channel(RequestId=token(), Name="idem-two")["Channel"]
    c2 = ml.create_channel(RequestId=token(), Name="idem-two")["Channel"]
    assert c1["Id"] != c2["Id"]
    assert sorted(c["Id"] for c in live_channels(ml, "idem-two")) == sorted([c1["Id"], c2["Id"]])


def test_same_request_id_with_other_parameters_is_a_conflict(ml):
    rid = token()
    ch = ml.create_channel(RequestId=rid, Name="idem-mismatch")["Channel"]
    with pytest.raises(ClientError) as e:
        ml.create_channel(RequestId=rid, Name="idem-mismatch-2")
    err = e.value.response
    assert (err["Error"]["Code"], err["ResponseMetadata"]["HTTPStatusCode"]) == ("ConflictException", 409)
    assert rid in err["Error"]["Message"]
    assert [c["Id"] for c in live_channels(ml, "idem-mismatch")] == [ch["Id"]]
    assert live_channels(ml, "idem-mismatch-2") == []

    rid = token()
    inp = ml.create_input(RequestId=rid, **pull_input_args("idem-mismatch-in"))["Input"]
    with pytest.raises(ClientError) as e:
        ml.create_input(RequestId=rid, **dict(pull_input_args("idem-mismatch-in"), Tags={"k": "other"}))
    assert e.value.response["Error"]["Code"] == "ConflictException"
    assert [i["Id"] for i in live_inputs(ml, "idem-mismatch-in")] == [inp["Id"]]


def test_tokens_are_per_operation(ml):
    # One token on both creates: two operations, two resources.
    rid = token()
    inp = ml.create_input(RequestId=rid, **pull_input_args("idem-shared"))["Input"]
    ch = ml.create_channel(RequestId=rid, Name="idem-shared")["Channel"]
    assert inp["Id"] != ch["Id"]
    assert [c["Id"] for c in live_channels(ml, "idem-shared")] == [ch["Id"]]
    assert [i["Id"] for i in live_inputs(ml, "idem-shared")] == [inp["Id"]]


def test_reset_forgets_tokens(emulator, ml):
    """The tokens live on moto's backend: after /moto-api/reset the same token creates."""
    import urllib.request

    rid = token()
    first = ml.create_channel(RequestId=rid, Name="idem-reset")["Channel"]
    urllib.request.urlopen(urllib.request.Request(f"{emulator.url}/moto-api/reset", data=b"",
                                                  method="POST"), timeout=30).read()
    second = ml.create_channel(RequestId=rid, Name="idem-reset")["Channel"]
    assert second["Id"] != first["Id"]
    assert [c["Id"] for c in live_channels(ml, "idem-reset")] == [second["Id"]]


def test_a_refused_create_does_not_use_up_its_request_id():
    """Only a create that succeeded is remembered: the first CreateChannel,
    refused with 422 (the layer's fault knob), made nothing, so its retry with
    the same requestId creates the channel and a further repeat returns it."""
    emu = Emulator(env={"LSMS_EMULATOR_MEDIALIVE_FAIL_CREATE_CHANNEL": "refused-once"})
    try:
        ml = emu.client("medialive", config=NO_RETRY)
        rid = token()
        with pytest.raises(ClientError) as e:
            ml.create_channel(RequestId=rid, Name="refused-once")
        assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 422
        assert live_channels(ml, "refused-once") == []
        made = ml.create_channel(RequestId=rid, Name="refused-once")["Channel"]
        again = ml.create_channel(RequestId=rid, Name="refused-once")["Channel"]
        assert again["Id"] == made["Id"]
        assert [c["Id"] for c in live_channels(ml, "refused-once")] == [made["Id"]]
    finally:
        emu.stop()
