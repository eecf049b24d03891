"""The Xet CAS use cases: what an opened Xet token may do, and the answers.

Every call takes the ``XetGrant`` its access token opened to
(``hub.community.xet_tokens.xet_grant_open`` re-checks the account, the API
token and the repo access on every call). Writes need a write grant and
land as the grant's user's uploads; reads of a file go through the same
rules as a download from the grant's repo (``xet_file_open``); a dedup
answer describes only xorbs the asker may already use (``xorb_usable``).
"""

from __future__ import annotations

from typing import Any

from hub.accounts.actors import Actor
from hub.accounts.models import ApiToken, User
from hub.catalog.content import xet_file_open, xorb_usable
from hub.catalog.errors import RepoNotFoundError
from hub.catalog.models import ModelRepo
from hub.catalog.quotas import quota_require_room, quota_require_upload
from hub.community.xet_tokens import XetGrant
from hub.core.errors import PermissionDeniedError, ValidationError
from hub.storage.models import XetFile, XetXorb
from hub.storage.store import ReadableStream
from hub.storage.xetcas.dedup import dedup_answer
from hub.storage.xetcas.fetch import xorb_range_url
from hub.storage.xetcas.receive import (
    blob_claim_verified,
    shard_file_sizes,
    shard_receive,
    xet_hex_check,
    xorb_receive,
)
from hub.storage.xetcas.reconstruction import reconstruction_answer
from hub.storage.xetcas.verify import xet_file_verify


def _actor(grant: XetGrant) -> Actor:
    """Who holds the grant (filled in by ``xet_grant_open``), else loaded."""
    if grant.actor is not None:
        return grant.actor
    if grant.user_id is None:
        return Actor.anonymous()
    user = User.objects.get(pk=grant.user_id)
    token = (
        ApiToken.objects.filter(pk=grant.token_id).first() if grant.token_id else None
    )
    return Actor.of(user, token)


def _repo(grant: XetGrant) -> ModelRepo:
    if grant.repo is not None:
        return grant.repo
    repo = (
        ModelRepo.objects.select_related("namespace").filter(pk=grant.repo_id).first()
    )
    if repo is None:
        raise RepoNotFoundError("The repository of this Xet token is gone.")
    return repo


def _writer(grant: XetGrant) -> int:
    if not grant.write or grant.user_id is None:
        raise PermissionDeniedError(
            "This Xet token is read-only; uploads need a token from xet-write-token."
        )
    return grant.user_id


def xet_xorb_upload(
    *, grant: XetGrant, xorb_hex: str, stream: ReadableStream, size: int | None
) -> bool:
    """Store a verified xorb for the grant's user; True when it was new.

    Refused (QuotaExceededError) while the repo's namespace is at or over
    its storage quota: a xorb carries no file sizes, the shard that follows
    is checked exactly."""
    user_id = _writer(grant)
    quota_require_room(namespace=_repo(grant).namespace, actor=_actor(grant))
    return xorb_receive(user_id=user_id, xorb_hex=xorb_hex, stream=stream, size=size)


def xet_shard_upload(*, grant: XetGrant, body: bytes) -> bool:
    """Register a shard's files; True when the shard was new.

    Files the repo's namespace has no quota for refuse the whole shard
    (``quota_require_upload``: their sizes are declared in the shard).

    Content the hub already held and the uploader did not is theirs once
    the file's Xet bytes prove its SHA-256 (read back here, before the
    answer, so their commit can follow at once); a file whose bytes do not
    match refuses the shard.
    """
    user_id = _writer(grant)
    quota_require_upload(
        repo=_repo(grant), files=shard_file_sizes(body), actor=_actor(grant)
    )
    result = shard_receive(user_id=user_id, body=body)
    for file in result.unclaimed:
        if not xet_file_verify(file=file):
            raise ValidationError(
                f"file {file.hash}: {file.verify_error}", details={"file": file.hash}
            )
        blob_claim_verified(file=file, user_id=user_id)
    return result.created


def xet_file_for(*, grant: XetGrant, file_hex: str) -> XetFile:
    """The Xet file, if the grant's holder may read it from the grant's repo."""
    xet_hex_check(file_hex, "file id")
    return xet_file_open(actor=_actor(grant), repo=_repo(grant), file_hex=file_hex)


def xet_reconstruction(
    *,
    grant: XetGrant,
    file_hex: str,
    byte_range: tuple[int, int] | None,
    version: int,
    base_url: str,
) -> dict[str, Any]:
    """The reconstruction answer for a file (or a byte range of it)."""
    file = xet_file_for(grant=grant, file_hex=file_hex)
    return reconstruction_answer(
        file=file,
        byte_range=byte_range,
        version=version,
        fetch_url=lambda xorb_hex, first, last: xorb_range_url(
            base_url, xorb_hex, first, last
        ),
    )


def xet_dedup(*, grant: XetGrant, chunk_hex: str) -> bytes | None:
    """A keyed dedup answer for the chunk, or None (nothing the asker may use)."""
    actor = _actor(grant)
    if grant.user_id is None:
        return None

    def allowed(xorb: XetXorb) -> bool:
        return xorb_usable(actor=actor, xorb=xorb)

    return dedup_answer(chunk_hex=chunk_hex, user_id=grant.user_id, allowed=allowed)


def xet_xorb_size(*, grant: XetGrant, xorb_hex: str) -> int | None:
    """The stored size of a xorb the grant's holder may use, else None."""
    xet_hex_check(xorb_hex, "xorb hash")
    xorb = XetXorb.objects.filter(pk=xorb_hex).first()
    if xorb is None or not xorb_usable(actor=_actor(grant), xorb=xorb):
        return None
    return xorb.size
