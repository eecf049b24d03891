"""Reading a file's bytes: the one use case behind every download path.

The HF ``resolve`` URL serves every download the hub offers (the client's,
the web pages' download links, the ``download_url`` of ``/api/v1``, the S3
presigned redirect), and it opens the file through ``content_open``, which
applies every rule: visibility, moderation, the gate, quarantine and checks
still running, each decided by ``hub.catalog.permissions``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from hub.accounts.actors import Actor
from hub.catalog.errors import RepoNotFoundError
from hub.catalog.history import FileChange, changed_entries
from hub.catalog.models import Commit, ModelRepo, TreeEntry
from hub.catalog.permissions import (
    blob_can_reference,
    content_readable,
    file_content_refusal,
    file_download_refusal,
    file_gate_refusal,
    repo_can_read,
    repo_gate_refusal,
    repo_require_enabled,
)
from hub.catalog.revisions import revision_resolve, revision_split_resolve
from hub.catalog.trees import file_get
from hub.core.errors import ApplicationError, NotFoundError
from hub.storage.models import Blob, XetFile, XetXorb, XorbClaim
from hub.storage.selectors import blob_xet_hashes

# Entries checked per Xet file before answering "not found" (one file's
# bytes usually sit at a handful of paths of a repo).
XET_ENTRY_CANDIDATES = 20


@dataclass(frozen=True)
class OpenedContent:
    """A file the actor may read: the commit it was read at and its entry."""

    commit: Commit
    entry: TreeEntry


def content_open(
    *, actor: Actor, repo: ModelRepo, revision: str, path: str
) -> OpenedContent:
    """The file at ``path`` of ``revision`` if the actor may have its bytes.

    Raises RepoNotFoundError (private and not theirs), RepoDisabledError,
    RevisionNotFoundError, GatedContentError, EntryNotFoundError,
    QuarantinedContentError or ChecksPendingError (``retry_after`` set). The
    commit id is on the raised error as ``commit_oid`` once it is known.
    """
    _repo_readable_require(actor=actor, repo=repo)
    commit = revision_resolve(repo=repo, revision=revision)
    return _content_open_at(actor=actor, repo=repo, commit=commit, path=path)


def content_open_url_path(*, actor: Actor, repo: ModelRepo, rest: str) -> OpenedContent:
    """``content_open`` of ``<revision>/<path>`` as a URL carries it (the
    revision may contain '/'), resolving both in one query; same rules and
    errors. The file's path is the entry's."""
    _repo_readable_require(actor=actor, repo=repo)
    commit, _, path = revision_split_resolve(repo=repo, rest=rest)
    return _content_open_at(actor=actor, repo=repo, commit=commit, path=path)


def _content_open_at(
    *, actor: Actor, repo: ModelRepo, commit: Commit, path: str
) -> OpenedContent:
    try:
        refusal = file_gate_refusal(
            user=actor.user, repo=repo, path=path, token=actor.token
        )
        if refusal is not None:
            raise refusal
        entry = file_get(commit=commit, path=path)
        refusal = file_content_refusal(
            user=actor.user, repo=repo, entry=entry, token=actor.token
        )
        if refusal is not None:
            raise refusal
    except ApplicationError as exc:
        exc.commit_oid = commit.oid  # type: ignore[attr-defined]
        raise
    return OpenedContent(commit=commit, entry=entry)


def _repo_readable_require(*, actor: Actor, repo: ModelRepo) -> None:
    if not repo_can_read(user=actor.user, repo=repo, token=actor.token):
        raise RepoNotFoundError(f"Repository {repo.full_name} not found.")
    repo_require_enabled(repo=repo)


def content_access_require(*, actor: Actor, repo: ModelRepo) -> None:
    """Raise unless the actor may download this repo's files at all.

    The repo-wide part of ``content_open`` (for grants that cover a whole
    repo, such as Xet read tokens): RepoNotFoundError (private and not
    theirs), RepoDisabledError, GatedContentError (the gate, before access
    was granted). Each file's own rules (quarantine, checks still running)
    still apply when its bytes are asked for.
    """
    _repo_readable_require(actor=actor, repo=repo)
    refusal = repo_gate_refusal(user=actor.user, repo=repo, token=actor.token)
    if refusal is not None:
        raise refusal


def content_refusal(
    *, actor: Actor, repo: ModelRepo, entry: TreeEntry
) -> ApplicationError | None:
    """Why a page may not show this file's bytes to the actor, or None.

    For pages that already hold the entry of a repo the actor can see: the
    same gate, quarantine and pending rules as ``content_open``.
    """
    return file_download_refusal(
        user=actor.user, repo=repo, entry=entry, token=actor.token
    )


def content_xet_hashes(
    *, actor: Actor, repo: ModelRepo, entries: Iterable[TreeEntry]
) -> dict[str, str]:
    """Path → Xet file id of the LFS files among ``entries`` that the actor
    may download now and that Xet clients can fetch from the CAS.

    A listing offers a file's Xet id only when its bytes would be served:
    the client then downloads from the CAS without asking ``resolve``, which
    is where a gated, quarantined or unchecked file says why it is refused.
    At most three queries, none when no entry has a Xet form.
    """
    lfs = [entry for entry in entries if entry.is_lfs]
    hashes = blob_xet_hashes(sha256s=[entry.blob_id for entry in lfs])
    if not hashes:
        return {}
    found = [entry for entry in lfs if entry.blob_id in hashes]
    readable = content_readable(
        user=actor.user, repo=repo, entries=found, token=actor.token
    )
    return {entry.path: hashes[entry.blob_id] for entry in found if readable(entry)}


def changes_readable(
    *, actor: Actor, repo: ModelRepo, changes: Iterable[FileChange]
) -> Callable[[Any], bool]:
    """Which sides of these changes the actor may read (diffs show content).

    A predicate over tree entries (None, no file, is always readable); see
    ``hub.catalog.permissions.content_readable``.
    """
    return content_readable(
        user=actor.user,
        repo=repo,
        entries=changed_entries(list(changes)),
        token=actor.token,
    )


def xet_file_open(*, actor: Actor, repo: ModelRepo, file_hex: str) -> XetFile:
    """The Xet file ``file_hex`` if the actor may rebuild it from this repo.

    It must be the content of a file of some commit of the repo, and that
    file must pass the rules of ``content_open`` (visibility, the gate,
    quarantine and checks still running). NotFoundError otherwise, or the
    refusal of the first such file.
    """
    _repo_readable_require(actor=actor, repo=repo)
    entries = list(
        TreeEntry.objects.filter(
            commit__repo=repo, blob__xet_file_id=file_hex
        ).select_related("blob__xet_file")[:XET_ENTRY_CANDIDATES]
    )
    refusal: ApplicationError | None = None
    for entry in entries:
        refusal = file_download_refusal(
            user=actor.user, repo=repo, entry=entry, token=actor.token
        )
        if refusal is None:
            assert entry.blob.xet_file is not None
            return entry.blob.xet_file
    if refusal is not None:
        raise refusal
    raise NotFoundError(f"No file of {repo.full_name} has Xet id {file_hex}.")


def xorb_usable(*, actor: Actor, xorb: XetXorb) -> bool:
    """Whether the actor may dedup against this xorb: they uploaded it, or
    it holds content they may already commit (``blob_can_reference``)."""
    user_id = getattr(actor.user, "pk", None)
    if user_id is None:
        return False
    if XorbClaim.objects.filter(xorb=xorb, user_id=user_id).exists():
        return True
    digests = Blob.objects.filter(xet_file__xorbs=xorb).values_list(
        "sha256", flat=True
    )[:XET_ENTRY_CANDIDATES]
    return any(
        blob_can_reference(user=actor.user, sha256=sha256, token=actor.token)
        for sha256 in digests
    )
