"""The MediaLive fault-injection knob: LSMS_EMULATOR_MEDIALIVE_FAIL_CREATE_CHANNEL
names a channel whose first CreateChannel is refused (422), once."""

import pytest
from botocore.exceptions import ClientError

from fixture import Emulator


@pytest.fixture(scope="module")
def emulator():
    emu = Emulator(env={"LSMS_EMULATOR_MEDIALIVE_FAIL_CREATE_CHANNEL": "doomed"})
    try:
        yield emu
    finally:
        emu.stop()


def test_create_channel_refused_once_for_the_named_channel(emulator):
    ml = emulator.client("medialive")
    assert ml.create_channel(Name="other")["Channel"]["Name"] == "other"
    with pytest.raises(ClientError) as e:
        ml.create_channel(Name="doomed")
    assert e.value.response["Error"]["Code"] == "UnprocessableEntityException"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 422
    assert [c["Name"] for c in ml.list_channels()["Channels"]] == ["other"]
    assert ml.create_channel(Name="doomed")["Channel"]["Name"] == "doomed"
