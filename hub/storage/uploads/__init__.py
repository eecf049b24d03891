"""Uploads of large files: sessions signed into URLs, staging, parts, promotion.

Submodules: ``grants`` (signed upload grants), ``plans`` (whether bytes are
needed and how they are sent), ``receive`` (bytes through the hub),
``complete`` (assembly, verification, promotion), ``staging`` (where parts
wait, and their clean-up). The git-lfs wire format (batch answers, the
completion body) is the HF face's: ``api.hf.lfs``.

The Hugging Face client uploads large files the way git-lfs does
(hf-protocol.md 2.14): a batch call, authenticated with the user's token,
answers one URL per object (or per part); the bytes are then PUT to those
URLs *without* any credentials. The URLs therefore authenticate themselves:
each carries a grant, the object's digest and size, the user, the part and
an expiry, signed with the project's SECRET_KEY (``django.core.signing``).

Basic transfers stream the request body straight into the blob store,
which hashes while writing and renames into place only when size and
digest match. Multipart transfers stage each part as a file under
``<HUB_BLOB_ROOT>/tmp/uploads/<upload id>/``; the completion call streams
the parts, in order, through the same blob-store write, so a multipart
object is verified exactly like a basic one. Whatever fails, the staging
parts are removed and nothing a commit could reference is left behind.

No state lives in the database until the blob is stored: the signed URLs
carry everything, so any web process (sharing the blob root) can serve any
part of an upload.

With the S3 store, the HF client's uploads go straight to S3 (``direct``
plans): a presigned PUT, or an S3 multipart upload with one presigned URL
per part, into a staging key ``staging/<oid>/<user>/<upload id>``. The
bytes become a blob only when the hub has read them back and checked size
and SHA-256 (the LFS verify call for a single PUT, the completion call for
multipart; :meth:`DirectUploads.promote_staged`): until then no Blob row
exists and no blob key holds them, so nothing can reference them.
"""

from __future__ import annotations

from hub.storage.uploads.complete import (
    upload_assemble,
    upload_completed_blob,
    upload_parts_staged,
    upload_verify,
)
from hub.storage.uploads.grants import (
    UPLOAD_SIGNING_SALT,
    GrantKind,
    UnsupportedTransferError,
    UploadDeniedError,
    UploadGrant,
    UploadLengthRequiredError,
    part_count,
    part_size,
    upload_grant_check,
    upload_grant_sign,
)
from hub.storage.uploads.plans import (
    MAX_BATCH_OBJECTS,
    MAX_OBJECT_BYTES,
    MAX_PARTS,
    SUPPORTED_TRANSFERS,
    TRANSFER_BASIC,
    TRANSFER_MULTIPART,
    UploadPlan,
    upload_choose_transfer,
    upload_plan,
)
from hub.storage.uploads.receive import upload_receive_object, upload_receive_part
from hub.storage.uploads.staging import (
    STAGING_IDLE_MARGIN_SECONDS,
    upload_staging_collect,
)

__all__ = [
    "MAX_BATCH_OBJECTS",
    "MAX_OBJECT_BYTES",
    "MAX_PARTS",
    "STAGING_IDLE_MARGIN_SECONDS",
    "SUPPORTED_TRANSFERS",
    "TRANSFER_BASIC",
    "TRANSFER_MULTIPART",
    "UPLOAD_SIGNING_SALT",
    "GrantKind",
    "UnsupportedTransferError",
    "UploadDeniedError",
    "UploadGrant",
    "UploadLengthRequiredError",
    "UploadPlan",
    "part_count",
    "part_size",
    "upload_assemble",
    "upload_choose_transfer",
    "upload_completed_blob",
    "upload_grant_check",
    "upload_grant_sign",
    "upload_parts_staged",
    "upload_plan",
    "upload_receive_object",
    "upload_receive_part",
    "upload_staging_collect",
    "upload_verify",
]
