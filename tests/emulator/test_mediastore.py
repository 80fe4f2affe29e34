"""MediaStore test knobs and checks added for lsms_container: the fault
injection file and the model validation of policies moto stores unchecked.
Run: $(tests/tools/venv) -m pytest tests/emulator/test_mediastore.py
"""

import json

import botocore.config
import pytest
from botocore.exceptions import ClientError

from fixture import Emulator

NO_CLIENT_VALIDATION = botocore.config.Config(parameter_validation=False,
                                              retries={"total_max_attempts": 1})


@pytest.fixture(scope="module")
def faults_emulator(tmp_path_factory):
    faults = tmp_path_factory.mktemp("faults") / "faults.json"
    faults.write_text("{}")
    emu = Emulator(env={"LSMS_EMULATOR_MEDIASTORE_FAULTS_FILE": str(faults)})
    try:
        yield emu, faults
    finally:
        emu.stop()


def test_fault_file_fails_the_named_operation_n_times(faults_emulator):
    emu, faults = faults_emulator
    ms = emu.client("mediastore", config=NO_CLIENT_VALIDATION)
    ms.create_container(ContainerName="faulty")
    faults.write_text(json.dumps({"PutCorsPolicy": {"count": 2, "status": 400,
                                                    "code": "InvalidThing"}}))
    cors = [{"AllowedOrigins": ["*"], "AllowedHeaders": ["*"], "AllowedMethods": ["GET"]}]
    for left in (1, 0):
        with pytest.raises(ClientError) as e:
            ms.put_cors_policy(ContainerName="faulty", CorsPolicy=cors)
        assert e.value.response["Error"]["Code"] == "InvalidThing"
        assert json.loads(faults.read_text())["PutCorsPolicy"]["count"] == left
    ms.put_cors_policy(ContainerName="faulty", CorsPolicy=cors)
    # Nothing changed while failing; other operations were never affected.
    assert ms.get_cors_policy(ContainerName="faulty")["CorsPolicy"] == cors
    faults.write_text(json.dumps({"DescribeContainer": {"count": 1, "status": 500}}))
    with pytest.raises(ClientError) as e:
        ms.describe_container(ContainerName="faulty")
    assert e.value.response["Error"]["Code"] == "InternalServerError"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert ms.describe_container(ContainerName="faulty")["Container"]["Status"] == "ACTIVE"
    codes = [(r["operation"], r["status"]) for r in emu.request_log()
             if r["service"] == "mediastore"]
    assert codes.count(("PutCorsPolicy", 400)) == 2
    assert ("DescribeContainer", 500) in codes


def test_container_policy_is_validated_against_the_model(faults_emulator):
    emu, _ = faults_emulator
    ms = emu.client("mediastore", config=NO_CLIENT_VALIDATION)
    ms.create_container(ContainerName="validated")
    with pytest.raises(ClientError) as e:
        ms.put_container_policy(ContainerName="validated",
                                Policy=json.dumps({"Id": "caf\u00e9"}, ensure_ascii=False))
    assert e.value.response["Error"]["Code"] == "ValidationException"
    with pytest.raises(ClientError):
        ms.get_container_policy(ContainerName="validated")
    ms.put_container_policy(ContainerName="validated", Policy='{"Version":"2012-10-17"}')
    assert ms.get_container_policy(ContainerName="validated")["Policy"] == \
        '{"Version":"2012-10-17"}'
