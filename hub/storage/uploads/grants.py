"""Signed upload grants: what an upload URL allows, signed with SECRET_KEY.

The bytes of an upload are PUT *without* credentials (the git-lfs way), so
each URL authenticates itself: it carries a grant (the object's digest and
size, the user, the part, an expiry, the token, the repo) signed with the
project's SECRET_KEY (``django.core.signing``). Whoever opens a grant
re-checks it (``hub.community.commits.upload_grant_open``).
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass
from typing import Any

from django.core import signing

from hub.core.errors import (
    ApplicationError,
    PermissionDeniedError,
    ValidationError,
)

# Salt of every signed upload URL: a value signed for another purpose with
# the same SECRET_KEY (a session, a password reset) never verifies here.
# (The old module path is kept in the salt: URLs signed before stay valid.)
UPLOAD_SIGNING_SALT = "hub.storage.uploads.lfs-upload"

UPLOAD_ID_RE = re.compile(r"^[0-9a-f]{32}$")


class UploadDeniedError(PermissionDeniedError):
    """A signed upload URL is forged, altered, expired or for another object."""

    code = "upload_denied"


class UploadLengthRequiredError(ApplicationError):
    """An upload body arrived without a Content-Length."""

    code = "length_required"
    http_status = 411


class UnsupportedTransferError(ValidationError):
    """None of the transfer adapters the client offered is supported here."""

    code = "unsupported_transfer"


# Grants ---------------------------------------------------------------------


class GrantKind:
    """What a signed URL allows: a whole object, one part, or completion."""

    OBJECT = "object"
    PART = "part"
    COMPLETE = "complete"


@dataclass(frozen=True)
class UploadGrant:
    """The content of a signed upload URL.

    ``upload_id``, ``chunk_size`` and ``part_number`` are set for multipart
    grants only (``part_number`` for part grants only).
    """

    kind: str
    oid: str
    size: int
    user_id: int
    expires_at: int
    upload_id: str = ""
    chunk_size: int = 0
    part_number: int = 0
    # Direct S3 multipart uploads: the UploadId S3 gave the staging object.
    s3_upload_id: str = ""
    # Who the grant was issued to, beyond the user: the API token they used
    # (0: a browser session), the repo, and whether it was issued for a pull
    # request (readers) rather than under write access. Whoever opens a grant
    # re-checks these, so a revoked token or a removed member ends it at once.
    token_id: int = 0
    repo_id: int = 0
    for_pr: bool = False

    @property
    def part_count(self) -> int:
        return part_count(size=self.size, chunk_size=self.chunk_size)


def _signer() -> signing.Signer:
    return signing.Signer(salt=UPLOAD_SIGNING_SALT)


def upload_grant_sign(grant: UploadGrant) -> str:
    """The URL-safe signed token of ``grant``. Pure; no side effects."""
    payload: dict[str, Any] = {
        "k": grant.kind,
        "o": grant.oid,
        "s": grant.size,
        "u": grant.user_id,
        "e": grant.expires_at,
    }
    if grant.upload_id:
        payload.update(m=grant.upload_id, c=grant.chunk_size)
    if grant.part_number:
        payload["n"] = grant.part_number
    if grant.s3_upload_id:
        payload["x"] = grant.s3_upload_id
    if grant.token_id:
        payload["t"] = grant.token_id
    if grant.repo_id:
        payload["r"] = grant.repo_id
    if grant.for_pr:
        payload["p"] = 1
    return _signer().sign_object(payload)


def upload_grant_check(
    *, token: str, kind: str, oid: str, part_number: int | None = None
) -> UploadGrant:
    """Verify a signed token for ``kind`` on object ``oid`` (and part).

    Also checks the expiry and that the user who asked for the URL is still
    active. Raises UploadDeniedError (403) otherwise; reads one user row.
    """
    try:
        payload = _signer().unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        raise UploadDeniedError(
            "This upload URL is not valid: its signature does not match."
        ) from None
    try:
        grant = UploadGrant(
            kind=str(payload["k"]),
            oid=str(payload["o"]),
            size=int(payload["s"]),
            user_id=int(payload["u"]),
            expires_at=int(payload["e"]),
            upload_id=str(payload.get("m", "")),
            chunk_size=int(payload.get("c", 0)),
            part_number=int(payload.get("n", 0)),
            s3_upload_id=str(payload.get("x", "")),
            token_id=int(payload.get("t", 0)),
            repo_id=int(payload.get("r", 0)),
            for_pr=bool(payload.get("p", 0)),
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        raise UploadDeniedError("This upload URL is not valid.") from None
    if grant.kind != kind or grant.oid != oid:
        raise UploadDeniedError("This upload URL was issued for another object.")
    if part_number is not None and grant.part_number != part_number:
        raise UploadDeniedError("This upload URL was issued for another part.")
    if grant.expires_at < time.time():
        raise UploadDeniedError(
            "This upload URL has expired: ask the LFS batch API for a new one."
        )
    if grant.upload_id and not UPLOAD_ID_RE.match(grant.upload_id):
        raise UploadDeniedError("This upload URL is not valid.")
    return grant


def part_count(*, size: int, chunk_size: int) -> int:
    """How many parts a multipart upload of ``size`` bytes has."""
    return math.ceil(size / chunk_size) if chunk_size else 0


def part_size(*, size: int, chunk_size: int, part_number: int) -> int:
    """Exact byte count of part ``part_number`` (1-based): the last is shorter."""
    return min(chunk_size, size - (part_number - 1) * chunk_size)
