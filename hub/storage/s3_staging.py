"""Uploads sent straight to S3: presigned PUTs and multipart uploads into
staging keys, promoted to content only once read back and verified.

Key layout (under the store's prefix), see hub.storage.s3:
``staging/<sha256>/<user id>/<expiry>.<upload id>`` for client uploads,
``tmp/<expiry>.<uuid>`` for bytes the hub streams in itself. Both end with
the Unix time after which no signed URL can reach them any more, so
clean-up never depends on the server's idea of an upload's start time.
"""

from __future__ import annotations

import hashlib
import io
import re
from abc import abstractmethod
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from hub.storage.store import (
    BlobIntegrityError,
    DirectUploads,
    ReadableStream,
    StagedObject,
    WrittenBlob,
    check_sha256,
)

_READ_CHUNK = 1024 * 1024
_EXPIRY_RE = re.compile(r"/(\d{1,12})\.[0-9a-f]{32}$")


class S3DirectUploads(DirectUploads):
    """The direct-upload half of S3BlobStore (a mixin: it shares its client)."""

    bucket: str
    prefix: str
    client: Any
    public_client: Any
    upload_ttl: int

    @abstractmethod
    def _copy_into_place(self, source_key: str, sha256: str, size: int) -> None: ...

    def staging_prefix(self, sha256: str, user_id: int | None = None) -> str:
        check_sha256(sha256)
        base = f"{self.prefix}staging/{sha256}/"
        return base if user_id is None else f"{base}{int(user_id)}/"

    def staging_key(
        self, sha256: str, user_id: int, upload_id: str, expires_at: int
    ) -> str:
        return f"{self.staging_prefix(sha256, user_id)}{int(expires_at)}.{upload_id}"

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

    def staged_discard(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=key)

    def multipart_abort(self, key: str, *, upload_id: str) -> None:
        try:
            self.client.abort_multipart_upload(
                Bucket=self.bucket, Key=key, UploadId=upload_id
            )
        except Exception as exc:
            if not is_missing(exc):
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

    def staged_uploads(self) -> Iterator[StagedObject]:
        """Staging and tmp objects, and multipart uploads under way (their
        key ``<key>#<upload id>``, dated by their start)."""
        for under in ("staging/", "tmp/"):
            yield from self.staged_objects(f"{self.prefix}{under}")
        paginator = self.client.get_paginator("list_multipart_uploads")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix):
            for upload in page.get("Uploads", []):
                yield StagedObject(
                    key=f"{upload['Key']}#{upload['UploadId']}",
                    size=0,
                    last_modified=self._started(upload["Key"], upload["Initiated"]),
                )

    def _started(self, key: str, initiated: datetime) -> datetime:
        # The key's expiry less the URL lifetime is when the hub started the
        # upload; S3-compatible servers do not all report ``Initiated``.
        expiry = _key_expiry(key)
        if expiry == float("inf"):
            return initiated
        return datetime.fromtimestamp(expiry - self.upload_ttl, tz=UTC)

    def staged_remove(self, key: str) -> None:
        if not key.startswith((f"{self.prefix}staging/", f"{self.prefix}tmp/")):
            raise ValueError(f"not a staging key: {key!r}")
        if "#" in key:
            name, upload_id = key.rsplit("#", 1)
            self.multipart_abort(name, upload_id=upload_id)
        else:
            self.staged_discard(key)

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
            verified_digest(digest, sha256)
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


def is_missing(exc: Exception) -> bool:
    from botocore.exceptions import ClientError

    if not isinstance(exc, ClientError):
        return False
    code = str(exc.response.get("Error", {}).get("Code", ""))
    return code in ("404", "NoSuchKey", "NotFound", "NoSuchUpload")


class CheckedReader:
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


def _key_expiry(key: str) -> float:
    """The expiry a staging/tmp key ends with; +inf (keep) when it has none."""
    match = _EXPIRY_RE.search(key)
    return float(match[1]) if match else float("inf")


def verified_digest(digest: Any, expected: str | None) -> str:
    sha256 = str(digest.hexdigest())
    if expected is not None and sha256 != expected:
        name = "SHA-256" if getattr(digest, "name", "") == "sha256" else "hash"
        raise BlobIntegrityError(
            f"Content has {name} {sha256}, not the announced {expected}."
        )
    return sha256
