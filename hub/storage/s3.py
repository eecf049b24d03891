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
import io
import logging
import re
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from hub.storage.backends import (
    BlobIntegrityError,
    ReadableStream,
    WrittenBlob,
    check_sha256,
)

logger = logging.getLogger(__name__)

# Writes of at most this many bytes are verified in memory and PUT once;
# larger ones stream through an S3 multipart upload of PART_BYTES parts.
SMALL_WRITE_BYTES = 8 * 1024 * 1024
PART_BYTES = 16 * 1024 * 1024
# The largest object S3 copies in one CopyObject request.
SINGLE_COPY_BYTES = 5 * 1000**3
_READ_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class StagedObject:
    key: str
    size: int
    last_modified: datetime


def _is_missing(exc: Exception) -> bool:
    from botocore.exceptions import ClientError

    if not isinstance(exc, ClientError):
        return False
    code = str(exc.response.get("Error", {}).get("Code", ""))
    return code in ("404", "NoSuchKey", "NotFound", "NoSuchUpload")


class S3BlobStore:
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
    ) -> None:
        self.bucket = bucket
        self.prefix = prefix
        self.client = client
        self.public_client = public_client
        self.download_url_ttl = download_url_ttl
        self.upload_ttl = upload_ttl

    # Keys -------------------------------------------------------------------

    def key(self, sha256: str) -> str:
        check_sha256(sha256)
        return f"{self.prefix}blobs/{sha256[:2]}/{sha256[2:4]}/{sha256}"

    def staging_prefix(self, sha256: str, user_id: int | None = None) -> str:
        check_sha256(sha256)
        base = f"{self.prefix}staging/{sha256}/"
        return base if user_id is None else f"{base}{int(user_id)}/"

    def staging_key(
        self, sha256: str, user_id: int, upload_id: str, expires_at: int
    ) -> str:
        return f"{self.staging_prefix(sha256, user_id)}{int(expires_at)}.{upload_id}"

    # The BlobStore interface --------------------------------------------------

    def write(
        self,
        stream: ReadableStream,
        *,
        expected_sha256: str | None = None,
        expected_size: int | None = None,
        chunk_size: int = 1024 * 1024,
    ) -> WrittenBlob:
        """Stream into S3 while hashing; only verified bytes reach a blob key."""
        if expected_sha256 is not None:
            check_sha256(expected_sha256)
        digest = hashlib.sha256()
        reader = _CheckedReader(stream, expected_size, digest)
        head = reader.read_up_to(SMALL_WRITE_BYTES + 1)
        if len(head) <= SMALL_WRITE_BYTES:
            reader.finish()
            sha256 = _verified(digest, expected_sha256)
            if not self.exists(sha256):
                self.client.put_object(
                    Bucket=self.bucket, Key=self.key(sha256), Body=head
                )
            return WrittenBlob(sha256=sha256, size=len(head))
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
            sha256 = _verified(digest, expected_sha256)
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
            if _is_missing(exc):
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
            yield from body.iter_chunks(chunk_size)
        finally:
            body.close()

    def local_path(self, sha256: str) -> Path | None:
        """None: S3 blobs are read by ranges (``iter_range``), never as files."""
        return None

    def delete(self, sha256: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.key(sha256))

    def ping(self) -> None:
        """Raise unless the bucket answers (readiness)."""
        self.client.head_bucket(Bucket=self.bucket)

    # Downloads ------------------------------------------------------------------

    def download_url(self, sha256: str, *, filename: str, content_type: str) -> str:
        """A presigned GET on the public endpoint, as an attachment."""
        from django.utils.http import content_disposition_header

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

    # Direct uploads -------------------------------------------------------------

    def upload_put_url(self, key: str, *, expires_in: int) -> str:
        return str(
            self.public_client.generate_presigned_url(
                "put_object",
                Params={"Bucket": self.bucket, "Key": key},
                ExpiresIn=expires_in,
            )
        )

    def multipart_create(self, key: str) -> str:
        answer = self.client.create_multipart_upload(Bucket=self.bucket, Key=key)
        return str(answer["UploadId"])

    def multipart_part_url(
        self, key: str, *, upload_id: str, part_number: int, expires_in: int
    ) -> str:
        return str(
            self.public_client.generate_presigned_url(
                "upload_part",
                Params={
                    "Bucket": self.bucket,
                    "Key": key,
                    "UploadId": upload_id,
                    "PartNumber": part_number,
                },
                ExpiresIn=expires_in,
            )
        )

    def multipart_complete(
        self, key: str, *, upload_id: str, etags: dict[int, str]
    ) -> None:
        """Assemble the parts; raises BlobIntegrityError when S3 refuses them."""
        from botocore.exceptions import ClientError

        try:
            self.client.complete_multipart_upload(
                Bucket=self.bucket,
                Key=key,
                UploadId=upload_id,
                MultipartUpload={
                    "Parts": [
                        {"PartNumber": n, "ETag": f'"{etags[n].strip(chr(34))}"'}
                        for n in sorted(etags)
                    ]
                },
            )
        except ClientError as exc:
            error = exc.response.get("Error", {})
            raise BlobIntegrityError(
                "The object store refused to assemble the parts "
                f"({error.get('Code')}: {error.get('Message')}): upload them again."
            ) from None

    def multipart_abort(self, key: str, *, upload_id: str) -> None:
        try:
            self.client.abort_multipart_upload(
                Bucket=self.bucket, Key=key, UploadId=upload_id
            )
        except Exception as exc:
            if not _is_missing(exc):
                raise

    def staged_objects(self, prefix: str) -> list[StagedObject]:
        found = []
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                found.append(
                    StagedObject(
                        key=item["Key"],
                        size=int(item["Size"]),
                        last_modified=item["LastModified"],
                    )
                )
        return found

    def promote_staged(self, key: str, *, sha256: str, size: int) -> WrittenBlob:
        """Read a staged object back, check it, copy it to its content address.

        The bytes are hashed even when the content is already stored: a
        verified upload is what proves that the uploader holds the content.
        The staged object is deleted whatever the outcome. Raises
        BlobIntegrityError on a size or digest mismatch (nothing is copied).
        """
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=key)
            if int(head["ContentLength"]) != size:
                raise BlobIntegrityError(
                    f"The uploaded object has {head['ContentLength']} bytes, "
                    f"not the announced {size}."
                )
            digest = hashlib.sha256()
            body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
            try:
                for chunk in body.iter_chunks(_READ_CHUNK):
                    digest.update(chunk)
            finally:
                body.close()
            _verified(digest, sha256)
            self._copy_into_place(key, sha256, size)
        finally:
            self.client.delete_object(Bucket=self.bucket, Key=key)
        return WrittenBlob(sha256=sha256, size=size)

    def collect_staging(self, *, expired_before: float) -> list[str]:
        """Delete staging/tmp objects and multipart uploads expired by then."""
        removed = []
        for under in ("staging/", "tmp/"):
            for item in self.staged_objects(f"{self.prefix}{under}"):
                if _key_expiry(item.key) < expired_before:
                    self.client.delete_object(Bucket=self.bucket, Key=item.key)
                    removed.append(item.key)
        paginator = self.client.get_paginator("list_multipart_uploads")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix):
            for upload in page.get("Uploads", []):
                if _key_expiry(upload["Key"]) < expired_before:
                    self.multipart_abort(upload["Key"], upload_id=upload["UploadId"])
                    removed.append(f"{upload['Key']}#{upload['UploadId']}")
        return removed

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


class _CheckedReader:
    """Reads a stream while hashing; never past the announced size."""

    def __init__(
        self, stream: ReadableStream, expected_size: int | None, digest: Any
    ) -> None:
        self._stream = stream
        self._expected = expected_size
        self._digest = digest
        self.size = 0

    def read_up_to(self, limit: int) -> bytes:
        buffer = io.BytesIO()
        while buffer.tell() < limit:
            want = min(_READ_CHUNK, limit - buffer.tell())
            if self._expected is not None:
                want = min(want, self._expected - self.size + 1)
            chunk = self._stream.read(want)
            if not chunk:
                break
            self.size += len(chunk)
            if self._expected is not None and self.size > self._expected:
                raise BlobIntegrityError(
                    f"Received more than the announced {self._expected} bytes."
                )
            self._digest.update(chunk)
            buffer.write(chunk)
        return buffer.getvalue()

    def finish(self) -> None:
        if self._expected is not None and self.size != self._expected:
            raise BlobIntegrityError(
                f"Received {self.size} bytes but {self._expected} were announced."
            )


_EXPIRY_RE = re.compile(r"/(\d{1,12})\.[0-9a-f]{32}$")


def _key_expiry(key: str) -> float:
    """The expiry a staging/tmp key ends with; +inf (keep) when it has none."""
    match = _EXPIRY_RE.search(key)
    return float(match[1]) if match else float("inf")


def _verified(digest: Any, expected: str | None) -> str:
    sha256 = str(digest.hexdigest())
    if expected is not None and sha256 != expected:
        raise BlobIntegrityError(
            f"Content has SHA-256 {sha256}, not the announced {expected}."
        )
    return sha256


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
