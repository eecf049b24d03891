"""Xet access tokens: who may use the hub's CAS (``/xet``) on which repo.

The Xet client asks the HF face for a token (``xet-read-token`` /
``xet-write-token`` of a repo and revision) and sends it to every CAS call as
``Authorization: Bearer``. The token is a grant signed with SECRET_KEY
(``django.core.signing``, salt ``hub.xet``): the user, the API token they
used, the repo, the direction and whether it was issued for a pull request,
valid at most HUB_XET_TOKEN_TTL_SECONDS (an hour).

The rules are the hub's own, never new ones: a write grant is what the
HF upload path allows (``upload_authorize``: writers, and readers opening a
pull request; a read-only API token never writes); a read grant is what
downloads allow (``content_access_require``: visibility, moderation, the
gate). Every CAS call opens the grant again (``xet_grant_open``), so a
revoked or expired API token, a deactivated account or lost access ends it
at once. Each file's own rules (quarantine, checks still running) are
applied by the CAS use cases when its bytes are asked for.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.core import signing

from hub.accounts.actors import Actor
from hub.catalog.content import content_access_require
from hub.catalog.models import ModelRepo, pr_ref_num
from hub.catalog.quotas import quota_require_room
from hub.catalog.revisions import revision_resolve
from hub.community.commits import upload_authorize
from hub.community.grants import grant_holder_open, upload_still_allowed
from hub.core.errors import (
    ApplicationError,
    AuthenticationError,
    PermissionDeniedError,
)

XET_SIGNING_SALT = "hub.xet"

# The revision the client sends when it does not know it (an upload that
# opens a pull request: ``/xet-write-token/None?create_pr=1``).
UNKNOWN_REVISION = "None"


@dataclass(frozen=True)
class XetGrant:
    """What a Xet access token allows: one repo, one direction.

    ``user_id`` None: an anonymous reader; ``token_id`` None: no API token
    (a browser session, reads only). ``is_pr``: a write grant issued for a
    pull request (the holder may not write to the repo's branches).
    ``actor`` and ``repo`` are filled in by ``xet_grant_open`` (who holds
    the grant now, and its repo); they are not part of the signed token.
    """

    user_id: int | None
    token_id: int | None
    repo_id: int
    write: bool
    is_pr: bool
    expires_at: int
    actor: Actor | None = field(default=None, compare=False, repr=False)
    repo: ModelRepo | None = field(default=None, compare=False, repr=False)


def xet_grant_sign(grant: XetGrant) -> str:
    """The access token of ``grant`` (URL-safe, signed). Pure."""
    payload: dict[str, Any] = {
        "u": grant.user_id,
        "t": grant.token_id,
        "r": grant.repo_id,
        "w": int(grant.write),
        "p": int(grant.is_pr),
        "e": grant.expires_at,
    }
    return signing.Signer(salt=XET_SIGNING_SALT).sign_object(payload)


def _grant_unsign(access_token: str) -> XetGrant:
    invalid = AuthenticationError(
        "This Xet access token is not valid: ask the hub for a new one."
    )
    try:
        payload = signing.Signer(salt=XET_SIGNING_SALT).unsign_object(access_token)
        user_id, token_id = payload["u"], payload["t"]
        return XetGrant(
            user_id=None if user_id is None else int(user_id),
            token_id=None if token_id is None else int(token_id),
            repo_id=int(payload["r"]),
            write=bool(payload["w"]),
            is_pr=bool(payload["p"]),
            expires_at=int(payload["e"]),
        )
    except (signing.BadSignature, ValueError, TypeError, KeyError, AttributeError):
        raise invalid from None


def _write_target(revision: str, create_pr: bool) -> str | None:
    """The ref an upload is for, as ``upload_authorize`` reads it: None for
    a commit that opens a pull request."""
    if create_pr and pr_ref_num(revision) is None:
        return None
    return "main" if revision == UNKNOWN_REVISION else revision


def xet_token_issue(
    *, actor: Actor, repo: ModelRepo, revision: str, write: bool, create_pr: bool
) -> tuple[str, int]:
    """A Xet access token for ``repo`` and its expiry (unix seconds).

    Write: whoever may upload for a commit to ``revision`` (or, with
    ``create_pr``, for a new pull request) — ``upload_authorize``; raises
    AuthenticationError (no credentials) or PermissionDeniedError (a
    read-only token, a reader asking to write to a branch), and
    QuotaExceededError while the repo's namespace is at or over its storage
    quota (the request carries no sizes: the shard and the commit are
    checked exactly). Read: whoever
    may download the repo's files (``content_access_require``) at an
    existing ``revision``; raises RepoNotFoundError, RepoDisabledError,
    GatedContentError or RevisionNotFoundError. Writes nothing.
    """
    if write:
        is_pr = upload_authorize(
            actor=actor, repo=repo, ref_name=_write_target(revision, create_pr)
        )
        quota_require_room(namespace=repo.namespace, actor=actor)
    else:
        is_pr = False
        content_access_require(actor=actor, repo=repo)
        if revision != UNKNOWN_REVISION:
            revision_resolve(repo=repo, revision=revision)
    expires_at = int(time.time()) + int(settings.HUB_XET_TOKEN_TTL_SECONDS)
    grant = XetGrant(
        user_id=actor.user.pk if actor.is_authenticated else None,
        token_id=actor.token.pk if actor.token is not None else None,
        repo_id=repo.pk,
        write=write,
        is_pr=is_pr,
        expires_at=expires_at,
    )
    return xet_grant_sign(grant), expires_at


def xet_grant_open(access_token: str, *, write: bool) -> XetGrant:
    """The grant of a Xet access token, if it still allows what it did.

    Checks the signature and expiry, then who holds it: the account is
    active, the API token it was issued under is neither revoked nor
    expired, and the holder may still upload to the repo (write grants) or
    still download its files (read grants). ``write``: the call needs a
    write grant. Raises AuthenticationError (401: the client asks for a new
    token, and that request says what is wrong) or PermissionDeniedError
    (403: a read grant on a write call). Returns the grant with ``actor``
    and ``repo`` filled in.
    """
    grant = _grant_unsign(access_token)
    if grant.expires_at <= time.time():
        raise AuthenticationError(
            "This Xet access token has expired: ask the hub for a new one."
        )
    if write and not grant.write:
        raise PermissionDeniedError(
            "This Xet access token is for reading: uploads need a write token "
            "(xet-write-token)."
        )
    actor, repo = grant_holder_open(
        user_id=grant.user_id,
        token_id=grant.token_id,
        repo_id=grant.repo_id,
        error=AuthenticationError,
        what="Xet access token",
    )
    if grant.write:
        if not upload_still_allowed(actor=actor, repo=repo, for_pr=grant.is_pr):
            raise AuthenticationError(
                "This Xet access token no longer allows uploading: the account "
                f"it was issued to cannot upload to {repo.full_name} any more."
            )
    else:
        try:
            content_access_require(actor=actor, repo=repo)
        except ApplicationError as exc:
            raise AuthenticationError(
                f"This Xet access token no longer allows reading: {exc.message}"
            ) from None
    return replace(grant, actor=actor, repo=repo)
