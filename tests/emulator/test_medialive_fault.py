"""The MediaLive fault-injection knob: LSMS_EMULATOR_MEDIALIVE_FAIL_CREATE_CHANNEL
names channels (comma-separated) whose first CreateChannel is refused (422),
once each."""

import pytest
from botocore.exceptions import ClientError

from fixture import Emulator, code_of


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
    assert code_of(e) == ("UnprocessableEntityException", 422)
    assert [c["Name"] for c in ml.list_channels()["Channels"]] == ["other"]
    assert ml.create_channel(Name="doomed")["Channel"]["Name"] == "doomed"


def test_each_named_channel_is_refused_once():
    emu = Emulator(env={"LSMS_EMULATOR_MEDIALIVE_FAIL_CREATE_CHANNEL": "doomed-a,doomed-b"})
    try:
        ml = emu.client("medialive")
        for name in ("doomed-a", "doomed-b"):
            with pytest.raises(ClientError) as e:
                ml.create_channel(Name=name)
            assert code_of(e) == ("UnprocessableEntityException", 422)
        assert ml.create_channel(Name="doomed-a,doomed-b")["Channel"]["Name"] == \
            "doomed-a,doomed-b"
        assert ml.create_channel(Name="doomed-b")["Channel"]["Name"] == "doomed-b"
        assert ml.create_channel(Name="doomed-a")["Channel"]["Name"] == "doomed-a"
        assert sorted(c["Name"] for c in ml.list_channels()["Channels"]) == \
            ["doomed-a", "doomed-a,doomed-b", "doomed-b"]
    finally:
        emu.stop()
