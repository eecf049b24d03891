"""Planning an upload: whether the bytes are needed, and the grants to send them.

An object is sent in one PUT (``basic``) or in parts (``multipart``), to the
hub (signed hub URLs) or, when the store takes uploads straight from
clients (S3), to presigned store URLs into a staging key. The HF face turns
a plan into git-lfs batch actions (``api.hf.lfs``), the web upload page
into its own JSON.
"""

from __future__ import annotations

import math
import time
import uuid
from collections.abc import Collection
from dataclasses import dataclass, field, replace

from django.conf import settings

from hub.storage.models import Blob, BlobClaim
from hub.storage.services import blob_is_poisoned, blob_store
from hub.storage.store import SHA256_RE, DirectUploads
from hub.storage.uploads.grants import (
    GrantKind,
    UnsupportedTransferError,
    UploadGrant,
    upload_grant_sign,
)

# Largest object accepted through LFS. The Hugging Face Hub caps files at
# 50 GB; a self-hosted hub may hold bigger checkpoints, but an announced
# size must stay a number a disk could plausibly hold.
MAX_OBJECT_BYTES = 1024 * 1024**3

# S3 allows at most 10,000 parts; keeping the same bound keeps the batch
# answer (one URL per part) small and the protocol mappable onto S3. Larger
# objects get larger parts.
MAX_PARTS = 10_000

# Objects per planning call (the HF client sends at most 256 per batch).
MAX_BATCH_OBJECTS = 1000

TRANSFER_BASIC = "basic"
TRANSFER_MULTIPART = "multipart"
SUPPORTED_TRANSFERS = (TRANSFER_BASIC, TRANSFER_MULTIPART)


def _chunk_size_for(size: int) -> int:
    chunk = int(settings.HUB_LFS_MULTIPART_CHUNK_BYTES)
    if size > chunk * MAX_PARTS:
        # Round the larger part size up to whole MiB so parts stay aligned.
        mib = 1024 * 1024
        chunk = math.ceil(math.ceil(size / MAX_PARTS) / mib) * mib
    return chunk


@dataclass(frozen=True)
class UploadPlan:
    """How one object gets uploaded.

    Exactly one of: ``error`` set (code, message); ``transfer`` empty (the
    object is already stored: nothing to upload); ``transfer`` basic with
    ``token`` for the single PUT; ``transfer`` multipart with one token per
    part in ``part_tokens`` and ``token`` for the completion call.
    """

    oid: str
    size: int
    error: tuple[int, str] | None = None
    transfer: str = ""
    token: str = ""
    chunk_size: int = 0
    part_tokens: tuple[str, ...] = field(default=())
    expires_in: int = 0
    # Direct (S3) plans: the presigned PUT of a basic transfer (``token`` is
    # then empty: the verify call promotes the object), or the presigned
    # part URLs of a multipart one (``token`` signs the completion).
    direct_href: str = ""
    part_urls: tuple[str, ...] = field(default=())


def upload_choose_transfer(
    *, offered: Collection[str] | None, size: int, threshold: int | None = None
) -> str:
    """The transfer for an object of ``size`` bytes.

    Multipart when offered and the object reaches
    HUB_LFS_MULTIPART_THRESHOLD_BYTES (or basic is not offered); basic
    otherwise. Never "xet". Raises UnsupportedTransferError when neither
    basic nor multipart is offered.
    """
    # git-lfs: a request without "transfers" means basic.
    offered = set(offered) if offered else {TRANSFER_BASIC}
    if threshold is None:
        threshold = int(settings.HUB_LFS_MULTIPART_THRESHOLD_BYTES)
    if TRANSFER_MULTIPART in offered and (
        size >= threshold or TRANSFER_BASIC not in offered
    ):
        return TRANSFER_MULTIPART
    if TRANSFER_BASIC in offered:
        return TRANSFER_BASIC
    raise UnsupportedTransferError(
        f"None of the offered transfers ({', '.join(sorted(offered))}) is "
        f"supported; this hub supports {' and '.join(SUPPORTED_TRANSFERS)}."
    )


def upload_plan(
    *,
    oid: str,
    size: int,
    user_id: int,
    transfers: Collection[str] | None,
    holds_content: bool = True,
    direct: bool = False,
    token_id: int = 0,
    repo_id: int = 0,
    for_pr: bool = False,
) -> UploadPlan:
    """Decide how one object gets uploaded and sign the URLs for it.

    Already stored (and not quarantined) → nothing to upload, the client
    skips it; quarantined or a size differing from the stored one → a 422
    error for that object; an invalid digest or size → a 422 error; else a
    basic or multipart upload grant for ``user_id``, valid for
    HUB_LFS_UPLOAD_URL_TTL_SECONDS. Reads one Blob row; writes nothing.
    Raises UnsupportedTransferError (see upload_choose_transfer).

    ``holds_content=False`` (the caller has never uploaded this content and
    cannot read a repo holding it) always asks for the bytes: whether some
    other repo stores them must not leak, and uploading proves possession.

    ``direct=True`` with a store that takes uploads straight from clients
    (S3) plans an upload to the store (presigned URLs; starts a multipart
    upload for multipart plans). ``token_id``, ``repo_id`` and ``for_pr``
    are signed into the grants (see UploadGrant) for whoever opens them to
    re-check.
    """
    refused = _plan_refusal(oid, size)
    if refused is not None:
        return refused
    if holds_content:
        stored = _stored_plan(oid, size, user_id)
        if stored is not None:
            return stored
    ttl = int(settings.HUB_LFS_UPLOAD_URL_TTL_SECONDS)
    template = UploadGrant(
        kind=GrantKind.OBJECT,
        oid=oid,
        size=size,
        user_id=user_id,
        expires_at=int(time.time()) + ttl,
        token_id=token_id,
        repo_id=repo_id,
        for_pr=for_pr,
    )
    uploads = blob_store().direct_uploads() if direct else None
    if uploads is not None:
        return _direct_plan(uploads, template, transfers=transfers, ttl=ttl)
    return _hub_plan(template, transfers=transfers, ttl=ttl)


def _plan_refusal(oid: str, size: int) -> UploadPlan | None:
    """A 422 for a malformed digest or an impossible size; None when fine."""
    if not SHA256_RE.match(oid):
        return UploadPlan(
            oid=oid, size=size, error=(422, "oid must be a SHA-256 (64 lowercase hex).")
        )
    if size < 0 or size > MAX_OBJECT_BYTES:
        return UploadPlan(
            oid=oid,
            size=size,
            error=(422, f"size must be between 0 and {MAX_OBJECT_BYTES} bytes."),
        )
    return None


def _stored_plan(oid: str, size: int, user_id: int) -> UploadPlan | None:
    """The plan for content already stored (skip it, or an error); None if not.

    Content whose bytes only a shard declared (sent through Xet, not yet
    rebuilt and hashed by a worker) counts as stored for its uploader only:
    anyone else is asked for the bytes, which then replace the claim.
    """
    blob = (
        Blob.objects.filter(pk=oid)
        .select_related("xet_file")
        .only(
            "size",
            "is_quarantined",
            "in_store",
            "xet_file__verified_at",
            "quarantine_reason",
        )
        .first()
    )
    if blob is None:
        return None
    if blob_is_poisoned(blob):
        return None  # a false Xet claim on this digest: the true bytes repair it
    unverified = not blob.in_store and (
        blob.xet_file is None or blob.xet_file.verified_at is None
    )
    if (
        unverified
        and not blob.is_quarantined
        and not BlobClaim.objects.filter(blob_id=oid, user_id=user_id).exists()
    ):
        return None
    if blob.is_quarantined:
        return UploadPlan(
            oid=oid,
            size=size,
            error=(422, "This content has been quarantined and cannot be used."),
        )
    if blob.size != size:
        return UploadPlan(
            oid=oid,
            size=size,
            error=(
                422,
                f"An object with this oid is stored with size {blob.size}, not {size}.",
            ),
        )
    return UploadPlan(oid=oid, size=size)


def _hub_plan(
    template: UploadGrant, *, transfers: Collection[str] | None, ttl: int
) -> UploadPlan:
    """Signed hub URLs: one PUT, or one per part and one for the completion."""
    oid, size = template.oid, template.size
    transfer = upload_choose_transfer(offered=transfers, size=size)
    if transfer == TRANSFER_BASIC:
        return UploadPlan(
            oid=oid,
            size=size,
            transfer=transfer,
            token=upload_grant_sign(template),
            expires_in=ttl,
        )
    chunk = _chunk_size_for(size)
    base = replace(
        template,
        kind=GrantKind.COMPLETE,
        upload_id=uuid.uuid4().hex,
        chunk_size=chunk,
    )
    parts = tuple(
        upload_grant_sign(replace(base, kind=GrantKind.PART, part_number=n))
        for n in range(1, base.part_count + 1)
    )
    return UploadPlan(
        oid=oid,
        size=size,
        transfer=transfer,
        token=upload_grant_sign(base),
        chunk_size=chunk,
        part_tokens=parts,
        expires_in=ttl,
    )


def _direct_plan(
    uploads: DirectUploads,
    template: UploadGrant,
    *,
    transfers: Collection[str] | None,
    ttl: int,
) -> UploadPlan:
    """Presigned store URLs into a staging key named for this user and upload."""
    oid, size = template.oid, template.size
    transfer = upload_choose_transfer(
        offered=transfers,
        size=size,
        threshold=int(settings.HUB_S3_MULTIPART_THRESHOLD_BYTES),
    )
    upload_id = uuid.uuid4().hex
    key = uploads.staging_key(oid, template.user_id, upload_id, template.expires_at)
    if transfer == TRANSFER_BASIC:
        return UploadPlan(
            oid=oid,
            size=size,
            transfer=transfer,
            direct_href=uploads.upload_put_url(key, expires_in=ttl),
            expires_in=ttl,
        )
    grant = replace(
        template,
        kind=GrantKind.COMPLETE,
        upload_id=upload_id,
        chunk_size=_chunk_size_for(size),
        s3_upload_id=uploads.multipart_create(key),
    )
    part_urls = tuple(
        uploads.multipart_part_url(
            key, upload_id=grant.s3_upload_id, part_number=n, expires_in=ttl
        )
        for n in range(1, grant.part_count + 1)
    )
    return UploadPlan(
        oid=oid,
        size=size,
        transfer=transfer,
        token=upload_grant_sign(grant),
        chunk_size=grant.chunk_size,
        part_urls=part_urls,
        expires_in=ttl,
    )
