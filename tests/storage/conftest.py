"""Fixtures of the storage tests: an S3-compatible server and an S3 blob store."""

from __future__ import annotations

import uuid

import pytest

from tests.storage.s3server import MotoServer


@pytest.fixture(scope="session")
def moto_server(tmp_path_factory):
    server = MotoServer(tmp_path_factory.mktemp("moto") / "moto.log")
    yield server
    server.stop()


@pytest.fixture
def s3_store(settings, moto_server, tmp_path):
    """Switch the hub to the S3 store on a fresh bucket of the moto server."""
    from hub.storage.s3 import S3BlobStore
    from hub.storage.stores import raw_store

    bucket = f"hub-{uuid.uuid4().hex[:12]}"
    settings.HUB_S3_BUCKET = bucket
    settings.HUB_S3_PREFIX = "hub/"
    settings.HUB_S3_ENDPOINT_URL = moto_server.url
    settings.HUB_S3_PUBLIC_ENDPOINT_URL = moto_server.public_url
    settings.HUB_S3_ACCESS_KEY_ID = "test"
    settings.HUB_S3_SECRET_ACCESS_KEY = "test"
    settings.HUB_S3_REGION = "us-east-1"
    settings.HUB_S3_ADDRESSING_STYLE = "path"
    store = raw_store()
    assert isinstance(store, S3BlobStore)
    store.client.create_bucket(Bucket=bucket)
    return store
