"""The S3 blob store: the same content addressing on any S3-compatible server.

Keys (under an optional prefix):

* ``blobs/ab/cd/<sha256>``: verified content, the only keys a download or a
  commit ever points at;
* ``staging/<sha256>/<user id>/<expiry>.<upload id>``: bytes a client PUT
  straight to S3 through a presigned URL. They become a blob only after the hub has
  read them back, checked size and SHA-256 and copied them to their
  content address (:meth:`S3BlobStore.promote_staged`);
* ``tmp/<expiry>.<uuid>``: bytes the hub itself is streaming in (inline
  commit content, uploads proxied by the hub), verified the same way.

Staging and tmp keys end with the Unix time after which no signed URL can
reach them any more, so clean-up never depends on the server's idea of an
upload's start time (S3-compatible servers differ there).

Two clients: ``client`` talks to the internal endpoint (inside the
cluster), ``public_client`` only signs URLs for clients with the public
endpoint, so a presigned URL never names an internal address.
"""

from __future__ import annotations

import hashlib
import logging
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.http import content_disposition_header

from hub.storage.s3_errors import GuardedClient, guarded_iter
from hub.storage.s3_staging import (
    CheckedReader,
    S3DirectUploads,
    is_missing,
    verified_digest,
)
from hub.storage.store import (
    BLOBS,
    BlobStore,
    Digest,
    DirectUploads,
    DownloadKind,
    DownloadPlan,
    KeySpace,
    ReadableStream,
    StagedObject,
    WrittenBlob,
)

logger = logging.getLogger(__name__)

# Writes of at most this many bytes are verified in memory and PUT once;
# larger ones stream through an S3 multipart upload of PART_BYTES parts.
SMALL_WRITE_BYTES = 8 * 1024 * 1024
PART_BYTES = 16 * 1024 * 1024
# The largest object S3 copies in one CopyObject request.
SINGLE_COPY_BYTES = 5 * 1000**3


class S3BlobStore(S3DirectUploads, BlobStore):
    """Blobs as S3 objects, written only after their digest is verified."""

    kind = "s3"

    def __init__(
        self,
        *,
        bucket: str,
        prefix: str,
        client: Any,
        public_client: Any,
        download_url_ttl: int,
        upload_ttl: int = 24 * 3600,
        space: KeySpace = BLOBS,
    ) -> None:
        self.bucket = bucket
        self.prefix = prefix
        # Transient failures become StoreUnavailableError (hub.storage.s3_errors).
        self.client = (
            client if isinstance(client, GuardedClient) else GuardedClient(client)
        )
        self.public_client = public_client
        self.download_url_ttl = download_url_ttl
        self.upload_ttl = upload_ttl
        self.space = space

    def in_space(self, space: KeySpace) -> S3BlobStore:
        if space.name in ("staging", "tmp"):
            raise ValueError(f"{space.name} holds uploads, not a key space")
        return S3BlobStore(
            bucket=self.bucket,
            prefix=self.prefix,
            client=self.client,
            public_client=self.public_client,
            download_url_ttl=self.download_url_ttl,
            upload_ttl=self.upload_ttl,
            space=space,
        )

    def direct_uploads(self) -> DirectUploads | None:
        """S3 takes uploads straight from clients (presigned URLs)."""
        return self

    # Keys -------------------------------------------------------------------

    def key(self, sha256: str) -> str:
        fanned = KeySpace.fan_out(self.space.check(sha256))
        return f"{self.prefix}{self.space.name}/{fanned}"

    # The BlobStore interface --------------------------------------------------

    def write(
        self,
        stream: ReadableStream,
        *,
        expected_sha256: str | None = None,
        expected_size: int | None = None,
        chunk_size: int = 1024 * 1024,
        digest: Digest | None = None,
    ) -> WrittenBlob:
        """Stream into S3 while hashing; only verified bytes reach a blob key."""
        if expected_sha256 is not None:
            self.space.check(expected_sha256)
        digest = digest if digest is not None else hashlib.sha256()
        reader = CheckedReader(stream, expected_size, digest)
        head = reader.read_up_to(SMALL_WRITE_BYTES + 1)
        if len(head) <= SMALL_WRITE_BYTES:
            reader.finish()
            return self._put_small(head, verified_digest(digest, expected_sha256))
        expires_at = int(time.time()) + self.upload_ttl
        tmp = f"{self.prefix}tmp/{expires_at}.{uuid.uuid4().hex}"
        upload_id = self.client.create_multipart_upload(Bucket=self.bucket, Key=tmp)[
            "UploadId"
        ]
        try:
            parts = []
            part = head
            number = 1
            while part:
                answer = self.client.upload_part(
                    Bucket=self.bucket,
                    Key=tmp,
                    UploadId=upload_id,
                    PartNumber=number,
                    Body=part,
                )
                parts.append({"PartNumber": number, "ETag": answer["ETag"]})
                number += 1
                part = reader.read_up_to(PART_BYTES)
            reader.finish()
            sha256 = verified_digest(digest, expected_sha256)
        except BaseException:
            self.client.abort_multipart_upload(
                Bucket=self.bucket, Key=tmp, UploadId=upload_id
            )
            raise
        self.client.complete_multipart_upload(
            Bucket=self.bucket,
            Key=tmp,
            UploadId=upload_id,
            MultipartUpload={"Parts": parts},
        )
        try:
            self._copy_into_place(tmp, sha256, reader.size)
        finally:
            self.client.delete_object(Bucket=self.bucket, Key=tmp)
        return WrittenBlob(sha256=sha256, size=reader.size)

    def exists(self, sha256: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self.key(sha256))
        except Exception as exc:
            if is_missing(exc):
                return False
            raise
        return True

    def size(self, sha256: str) -> int:
        head = self.client.head_object(Bucket=self.bucket, Key=self.key(sha256))
        return int(head["ContentLength"])

    def iter_range(
        self,
        sha256: str,
        start: int = 0,
        end: int | None = None,
        chunk_size: int = 1024 * 1024,
    ) -> Iterator[bytes]:
        """Yield bytes ``start`` to ``end`` inclusive (to the end when None)."""
        params: dict[str, Any] = {"Bucket": self.bucket, "Key": self.key(sha256)}
        if start or end is not None:
            params["Range"] = f"bytes={start}-{'' if end is None else end}"
        body = self.client.get_object(**params)["Body"]
        try:
            yield from guarded_iter(body.iter_chunks(chunk_size))
        finally:
            body.close()

    def local_path(self, sha256: str) -> Path | None:
        """None: S3 blobs are read by ranges (``iter_range``), never as files."""
        return None

    def iter_objects(self) -> Iterator[StagedObject]:
        """Objects under ``<prefix><space>/``, listed page by page."""
        paginator = self.client.get_paginator("list_objects_v2")
        start = f"{self.prefix}{self.space.name}/"
        for page in paginator.paginate(Bucket=self.bucket, Prefix=start):
            for item in page.get("Contents", []):
                key = item["Key"].rsplit("/", 1)[-1]
                if self.space.key_pattern.match(key) and item["Key"] == self.key(key):
                    yield StagedObject(
                        key=key,
                        size=int(item["Size"]),
                        last_modified=item["LastModified"],
                    )

    def delete(self, sha256: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.key(sha256))

    def ping(self) -> None:
        """Raise unless the bucket answers (readiness)."""
        self.client.head_bucket(Bucket=self.bucket)

    # Downloads ------------------------------------------------------------------

    def download_plan(
        self,
        sha256: str,
        *,
        size: int,
        byte_range: tuple[int, int] | None = None,
        filename: str,
        content_type: str,
    ) -> DownloadPlan:
        """A redirect to a presigned URL: the bytes come from S3 directly (the
        client sends its Range there)."""
        return DownloadPlan(
            kind=DownloadKind.REDIRECT,
            size=size,
            byte_range=byte_range,
            url=self.download_url(sha256, filename=filename, content_type=content_type),
            via="s3-redirect",
        )

    def download_url(self, sha256: str, *, filename: str, content_type: str) -> str:
        """A presigned GET on the public endpoint, as an attachment."""
        return str(
            self.public_client.generate_presigned_url(
                "get_object",
                Params={
                    "Bucket": self.bucket,
                    "Key": self.key(sha256),
                    "ResponseContentDisposition": content_disposition_header(
                        True, filename
                    )
                    or "attachment",
                    "ResponseContentType": content_type,
                },
                ExpiresIn=self.download_url_ttl,
            )
        )

    def range_url(self, key: str, *, first: int, last: int) -> str | None:
        """A presigned GET whose signature covers the Range header: the URL
        serves exactly these bytes, never the rest of the object."""
        return str(
            self.public_client.generate_presigned_url(
                "get_object",
                Params={
                    "Bucket": self.bucket,
                    "Key": self.key(key),
                    "Range": f"bytes={first}-{last}",
                },
                ExpiresIn=self.download_url_ttl,
            )
        )

    def _put_small(self, data: bytes, key: str) -> WrittenBlob:
        if not self.exists(key):
            self.client.put_object(Bucket=self.bucket, Key=self.key(key), Body=data)
        return WrittenBlob(sha256=key, size=len(data))

    # Helpers ----------------------------------------------------------------------

    def _copy_into_place(self, source_key: str, sha256: str, size: int) -> None:
        if self.exists(sha256):
            return
        source = {"Bucket": self.bucket, "Key": source_key}
        if size <= SINGLE_COPY_BYTES:
            # One server-side request, no bytes through the hub.
            self.client.copy_object(
                CopySource=source, Bucket=self.bucket, Key=self.key(sha256)
            )
        else:
            # S3 copies at most 5 GB at once: a multipart copy above that.
            self.client.copy(source, self.bucket, self.key(sha256))


def make_s3_clients(settings: Any) -> tuple[Any, Any]:
    """(internal client, public signing client) from the HUB_S3_* settings."""
    import boto3
    from botocore.config import Config

    config = Config(
        signature_version="s3v4",
        s3={"addressing_style": settings.HUB_S3_ADDRESSING_STYLE},
        retries={"max_attempts": 3, "mode": "standard"},
        connect_timeout=5,
        read_timeout=60,
    )
    session = boto3.session.Session(
        aws_access_key_id=settings.HUB_S3_ACCESS_KEY_ID,
        aws_secret_access_key=settings.HUB_S3_SECRET_ACCESS_KEY,
        region_name=settings.HUB_S3_REGION,
    )
    internal = session.client(
        "s3", endpoint_url=settings.HUB_S3_ENDPOINT_URL, config=config
    )
    public = session.client(
        "s3", endpoint_url=settings.HUB_S3_PUBLIC_ENDPOINT_URL, config=config
    )
    return internal, public
