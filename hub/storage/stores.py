"""The configured storage backend (local disk or S3), one per configuration."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings

from hub.storage.backends import LocalBlobStore
from hub.storage.s3 import S3BlobStore, make_s3_clients
from hub.storage.store import BlobStore


@cache
def _store_for(root: str, accel_prefix: str) -> LocalBlobStore:
    return LocalBlobStore(root=Path(root), accel_prefix=accel_prefix)


@cache
def _s3_store_for(key: tuple[Any, ...]) -> S3BlobStore:
    client, public_client = make_s3_clients(settings)
    return S3BlobStore(
        bucket=settings.HUB_S3_BUCKET,
        prefix=settings.HUB_S3_PREFIX,
        client=client,
        public_client=public_client,
        download_url_ttl=int(settings.HUB_S3_DOWNLOAD_URL_TTL_SECONDS),
        upload_ttl=int(settings.HUB_LFS_UPLOAD_URL_TTL_SECONDS),
    )


def raw_store() -> BlobStore:
    """The configured blob store (settings read at call time, not import).

    ``HUB_BLOB_STORE=s3://...`` (settings.HUB_S3_BUCKET) selects S3, anything
    else the local store under HUB_BLOB_ROOT. One store object per
    configuration, shared by the threads of a process (boto3 clients are
    thread-safe).
    """
    if settings.HUB_S3_BUCKET:
        return _s3_store_for(
            (
                settings.HUB_S3_BUCKET,
                settings.HUB_S3_PREFIX,
                settings.HUB_S3_ENDPOINT_URL,
                settings.HUB_S3_PUBLIC_ENDPOINT_URL,
            )
        )
    return _store_for(
        str(settings.HUB_BLOB_ROOT), settings.HUB_BLOB_ACCEL_REDIRECT_PREFIX or ""
    )
