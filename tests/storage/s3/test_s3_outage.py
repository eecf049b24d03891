"""An S3 server that fails (5xx) is the store's own retryable error, and
a failed read back keeps the staged upload for the client's retry.

The store talks to moto through the fault proxy of the fault suite
(tests/faults/s3proxy.py, a real HTTP proxy that answers 503 instead of
forwarding while a fault is armed): nothing is mocked.
"""

from __future__ import annotations

import hashlib
import uuid

import pytest

from hub.storage.s3 import S3BlobStore
from hub.storage.store import StoreUnavailableError
from hub.storage.stores import raw_store
from tests.faults.s3proxy import Fault, S3FaultProxy

DATA = b"weights " * 1000
OID = hashlib.sha256(DATA).hexdigest()


@pytest.fixture
def proxy(moto_server):
    with S3FaultProxy(moto_server.port) as running:
        yield running


@pytest.fixture
def failing_store(settings, proxy):
    """The S3 store on a fresh bucket, reached through the fault proxy."""
    bucket = f"hub-{uuid.uuid4().hex[:12]}"
    settings.HUB_S3_BUCKET = bucket
    settings.HUB_S3_PREFIX = "hub/"
    settings.HUB_S3_ENDPOINT_URL = f"http://127.0.0.1:{proxy.port}"
    settings.HUB_S3_PUBLIC_ENDPOINT_URL = f"http://localhost:{proxy.port}"
    settings.HUB_S3_ACCESS_KEY_ID = "test"
    settings.HUB_S3_SECRET_ACCESS_KEY = "test"
    settings.HUB_S3_REGION = "us-east-1"
    settings.HUB_S3_ADDRESSING_STYLE = "path"
    store = raw_store()
    assert isinstance(store, S3BlobStore)
    store.client.create_bucket(Bucket=bucket)
    return store


def staged(store: S3BlobStore) -> str:
    key = store.staging_key(OID, 7, uuid.uuid4().hex, 4102444800)
    store.client.put_object(Bucket=store.bucket, Key=key, Body=DATA)
    return key


def test_s3_answering_503_is_store_unavailable_with_retry_after(failing_store, proxy):
    proxy.arm(Fault(status=503))

    with pytest.raises(StoreUnavailableError) as raised:
        failing_store.exists(OID)

    assert raised.value.http_status == 503 and raised.value.retry_after
    assert "object store is unavailable" in raised.value.message


def test_a_failed_read_back_keeps_the_staged_upload_for_the_retry(failing_store, proxy):
    key = staged(failing_store)
    proxy.arm(Fault(status=503, method="GET", path="/staging/"))

    with pytest.raises(StoreUnavailableError):
        failing_store.promote_staged(key, sha256=OID, size=len(DATA))

    assert [o.key for o in failing_store.staged_objects(key)] == [key]
    proxy.clear()
    failing_store.promote_staged(key, sha256=OID, size=len(DATA))
    assert failing_store.exists(OID)
    assert failing_store.staged_objects(key) == []


def test_a_completion_retried_after_the_parts_were_assembled_succeeds(
    failing_store,
):
    key = failing_store.staging_key(OID, 7, uuid.uuid4().hex, 4102444800)
    upload_id = failing_store.multipart_create(key)
    part = failing_store.client.upload_part(
        Bucket=failing_store.bucket,
        Key=key,
        UploadId=upload_id,
        PartNumber=1,
        Body=DATA,
    )
    etags = {1: part["ETag"]}
    failing_store.multipart_complete(key, upload_id=upload_id, etags=etags)

    # The first completion's read back failed (a 503 to the client, which
    # retries the completion): S3 accepts completing it again.
    failing_store.multipart_complete(key, upload_id=upload_id, etags=etags)

    failing_store.promote_staged(key, sha256=OID, size=len(DATA))
    assert failing_store.exists(OID)
