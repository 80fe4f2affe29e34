"""S3 conditional writes, the lock OpenTofu's and Terraform's S3 backend
take with `use_lockfile = true`: PutObject of `<key>.tflock` with
`If-None-Match: *`, which S3 answers 412 PreconditionFailed while the lock
object exists; releasing the lock deletes it.

moto 5.2.5 evaluates `If-None-Match: *` and `If-Match` itself; these tests
hold it (and the layer, which serves requests one at a time, so a check and
the write it guards are one step) to what S3 documents. The layer adds one
rule: an `If-None-Match` other than `*` is refused (501 NotImplemented), where
moto ignored it and overwrote the object.
"""

import threading

import botocore.exceptions
import pytest

from fixture import code_of, emulator  # noqa: F401  (emulator: pytest fixture)


@pytest.fixture
def s3(emulator):
    return emulator.client("s3")


@pytest.fixture
def bucket(s3, request):
    name = "cond-" + request.node.name.replace("_", "-")[:50].rstrip("-").lower()
    s3.create_bucket(Bucket=name)
    return name


def body_of(s3, bucket, key):
    return s3.get_object(Bucket=bucket, Key=key)["Body"].read()


def versions_of(s3, bucket, key):
    listed = s3.list_object_versions(Bucket=bucket, Prefix=key)
    return [v for v in listed.get("Versions", []) if v["Key"] == key], \
        [m for m in listed.get("DeleteMarkers", []) if m["Key"] == key]


def test_if_none_match_creates_once(s3, bucket):
    """API_PutObject, If-None-Match: "Uploads the object only if the object
    key name does not already exist in the bucket specified. Otherwise,
    Amazon S3 returns a 412 Precondition Failed error." """
    s3.put_object(Bucket=bucket, Key="state.tflock", Body=b"first", IfNoneMatch="*")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.put_object(Bucket=bucket, Key="state.tflock", Body=b"second", IfNoneMatch="*")
    assert code_of(e) == ("PreconditionFailed", 412)
    assert e.value.response["Error"].get("Condition") == "If-None-Match"
    assert body_of(s3, bucket, "state.tflock") == b"first"
    # Once deleted (the lock released), the key can be created again.
    s3.delete_object(Bucket=bucket, Key="state.tflock")
    s3.put_object(Bucket=bucket, Key="state.tflock", Body=b"third", IfNoneMatch="*")
    assert body_of(s3, bucket, "state.tflock") == b"third"


def test_if_none_match_in_a_versioned_bucket(s3, bucket):
    """The state bucket is versioned, so releasing a lock leaves a delete
    marker as the key's current version. API_HeadObject: "If the current
    version of the object is a delete marker, Amazon S3 behaves as if the
    object was deleted", so the next lock can be written; a refused write
    leaves no version behind."""
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket=bucket, Key="state.tflock", Body=b"alice", IfNoneMatch="*")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.put_object(Bucket=bucket, Key="state.tflock", Body=b"bob", IfNoneMatch="*")
    assert code_of(e) == ("PreconditionFailed", 412)
    versions, markers = versions_of(s3, bucket, "state.tflock")
    assert len(versions) == 1 and markers == []

    s3.delete_object(Bucket=bucket, Key="state.tflock")
    s3.put_object(Bucket=bucket, Key="state.tflock", Body=b"bob", IfNoneMatch="*")
    assert body_of(s3, bucket, "state.tflock") == b"bob"
    versions, markers = versions_of(s3, bucket, "state.tflock")
    assert len(versions) == 2 and len(markers) == 1


def test_if_match_writes_only_over_that_etag(s3, bucket):
    """API_PutObject, If-Match: "Uploads the object only if the ETag (entity
    tag) value provided during the WRITE operation matches the ETag of the
    object in S3. If the ETag values do not match, the operation returns a
    412 Precondition Failed error." """
    first = s3.put_object(Bucket=bucket, Key="state", Body=b"serial 1")["ETag"]
    second = s3.put_object(Bucket=bucket, Key="state", Body=b"serial 2", IfMatch=first)["ETag"]
    assert second != first
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.put_object(Bucket=bucket, Key="state", Body=b"stale", IfMatch=first)
    assert code_of(e) == ("PreconditionFailed", 412)
    assert body_of(s3, bucket, "state") == b"serial 2"


def test_if_none_match_other_than_asterisk_is_refused(s3, bucket):
    """API_PutObject, If-None-Match: "Expects the '*' (asterisk) character."
    S3 evaluates no other value: an ETag there is answered 501
    NotImplemented (aws/aws-sdk-ruby#3144) and nothing is written. moto
    ignored the header and overwrote the object: a lock taken that way
    would have looked taken."""
    etag = s3.put_object(Bucket=bucket, Key="state.tflock", Body=b"holder")["ETag"]
    for value in (etag, '"0123456789abcdef0123456789abcdef"', "**"):
        with pytest.raises(botocore.exceptions.ClientError) as e:
            s3.put_object(Bucket=bucket, Key="state.tflock", Body=b"intruder", IfNoneMatch=value)
        assert code_of(e) == ("NotImplemented", 501), value
        assert body_of(s3, bucket, "state.tflock") == b"holder"
    # Nor is a new key created by such a request.
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.put_object(Bucket=bucket, Key="fresh", Body=b"x", IfNoneMatch=etag)
    assert code_of(e) == ("NotImplemented", 501)
    assert s3.list_objects_v2(Bucket=bucket, Prefix="fresh").get("KeyCount") == 0


def test_concurrent_creates_have_one_winner(emulator, bucket):
    """Two clients racing for one lock: exactly one create succeeds, every
    other is refused, and the object is the winner's."""
    contenders = 8
    results = [None] * contenders
    start = threading.Barrier(contenders)

    def contend(i):
        client = emulator.client("s3")  # one client (connection pool) per contender
        start.wait()
        try:
            client.put_object(Bucket=bucket, Key="race.tflock", Body=f"{i}".encode(),
                              IfNoneMatch="*")
            results[i] = "won"
        except botocore.exceptions.ClientError as e:
            results[i] = e.response["Error"]["Code"]

    threads = [threading.Thread(target=contend, args=(i,)) for i in range(contenders)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("won") == 1, results
    assert results.count("PreconditionFailed") == contenders - 1, results
    winner = results.index("won")
    assert body_of(emulator.client("s3"), bucket, "race.tflock") == f"{winner}".encode()
