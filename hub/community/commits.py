"""Writing to a repo: the use cases behind every upload and every commit.

The HF protocol (preupload, the LFS batch API, signed upload URLs, verify,
commit), the web upload page and edits made in the browser all call these
with the acting ``Actor``; each decides itself who may do what, so a face
only parses its input, calls one of them and renders the answer.

Who may write where:
* a repo's writers commit to its branches and to its open pull requests;
* a pull request's author commits to that pull request (``refs/pr/N``);
* any active reader opens a pull request (``create_pr``);
and a read token never writes, a token limited to other repos confers
nothing here (``hub.catalog.permissions``, ``hub.community.selectors``).

Content is referenced by digest, and knowing a digest is never owning the
content: a commit may use stored bytes only if the committer sent them (an
upload claim) or may download them now (``blob_can_reference``), and the
answer for "stored, not yours" is the answer for "not stored".
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from django.db import transaction

from hub.accounts.actors import Actor
from hub.catalog.errors import MissingBlobError, StaleParentError
from hub.catalog.models import Commit, ModelRepo, Ref, TreeEntry, pr_ref_num
from hub.catalog.permissions import (
    blob_can_reference,
    content_readable,
    repo_can_write,
)
from hub.catalog.quotas import (
    quota_require_commit,
    quota_require_preupload,
    quota_require_upload,
)
from hub.catalog.revisions import ref_get, revision_resolve
from hub.catalog.services.commits import commit_create
from hub.catalog.services.operations import AddFile, Operation
from hub.catalog.trees import tree_items_at_paths
from hub.community.grants import grant_holder_open, upload_still_allowed
from hub.community.models import Discussion
from hub.community.selectors import discussion_can_participate, pull_request_can_push
from hub.community.services.pull_requests import (
    pull_request_create_with_commit,
    pull_request_record_commit,
)
from hub.core.errors import (
    AuthenticationError,
    PermissionDeniedError,
    ValidationError,
)
from hub.core.names import is_commit_oid
from hub.storage.models import Blob
from hub.storage.uploads import (
    UploadDeniedError,
    UploadGrant,
    UploadPlan,
    upload_grant_check,
    upload_plan,
    upload_verify,
)

# Commits ---------------------------------------------------------------------


def _require_user(actor: Actor, what: str) -> None:
    if not actor.is_authenticated:
        raise AuthenticationError(
            f"{what} requires signing in or a token: send Authorization: Bearer "
            "<token>."
        )


def commit_authorize(
    *, actor: Actor, repo: ModelRepo, revision: str, create_pr: bool = False
) -> None:
    """Raise unless the actor may commit to ``revision`` (or open a PR on it).

    Writers commit to branches and open pull requests; a pull request's
    author commits to ``refs/pr/N`` while it is open; any active reader
    with a write-capable credential opens a pull request.
    """
    _require_user(actor, "Committing")
    user, token = actor.user, actor.token
    if create_pr and pr_ref_num(revision) is None:
        if not discussion_can_participate(user=user, token=token, repo=repo):
            raise PermissionDeniedError(
                f"You cannot open a pull request on {repo.full_name}"
                + (": your token is read-only." if actor.is_read_only else ".")
            )
        return
    if pull_request_can_push(user=user, token=token, repo=repo, ref_name=revision):
        return
    if actor.is_read_only:
        raise PermissionDeniedError(
            "This token is read-only: committing needs a write token."
        )
    if pr_ref_num(revision) is not None:
        raise PermissionDeniedError(
            f"You cannot push to {revision} of {repo.full_name}: only the "
            "pull request's author and the repo's writers can, while it is open."
        )
    raise PermissionDeniedError(
        f"You cannot commit to {revision!r} of {repo.full_name}: open a pull "
        "request instead."
    )


def commit_target(*, repo: ModelRepo, revision: str) -> Ref:
    """The branch (or PR ref) a commit goes to; 400 for tags and commit ids."""
    if (
        is_commit_oid(revision)
        and not Ref.objects.filter(repo=repo, name=revision).exists()
    ):
        raise ValidationError(
            f"{revision!r} is a commit id: commits go to a branch. Create a branch "
            "at that commit first."
        )
    ref = ref_get(repo=repo, name=revision)
    if ref.kind == Ref.Kind.TAG:
        raise ValidationError(f"{revision!r} is a tag; commits go to a branch.")
    return ref


def _check_references(actor: Actor, operations: Sequence[Operation]) -> None:
    """Every added file names content the actor may use, with the right size.

    The permission comes first, and its refusal reads exactly like the one
    for content nobody stored: neither whether another repo holds the digest
    nor its real size may leak.
    """
    for op in operations:
        if not isinstance(op, AddFile):
            continue
        if not blob_can_reference(user=actor.user, sha256=op.sha256, token=actor.token):
            raise MissingBlobError(
                f"The content of {op.path!r} (sha256 {op.sha256}) was not "
                "uploaded. Upload it before committing."
            )
        if op.size is not None:
            stored = Blob.objects.filter(pk=op.sha256).values_list("size", flat=True)
            if stored and stored[0] != op.size:
                raise ValidationError(
                    f"{op.path!r}: the uploaded object has {stored[0]} bytes, "
                    f"not {op.size}."
                )


def commit_submit(
    *,
    actor: Actor,
    repo: ModelRepo,
    revision: str,
    operations: Sequence[Operation],
    title: str,
    description: str = "",
    create_pr: bool = False,
    expected_parent: str | None = None,
) -> tuple[Discussion | None, Commit]:
    """Commit ``operations`` to ``revision``, or open a pull request with them.

    On ``refs/pr/N`` the commit is recorded on that pull request. With
    ``create_pr`` a new pull request against ``revision`` takes the commit;
    ``expected_parent`` (the head the caller started from) refuses with
    StaleParentError / ConflictError when the branch moved. Returns (the pull
    request or None, the commit). Raises AuthenticationError,
    PermissionDeniedError, MissingBlobError, ValidationError and what
    commit_create raises; on error nothing changes.
    """
    # On a pull request's ref, "open a pull request" means commit to it.
    create_pr = create_pr and pr_ref_num(revision) is None
    commit_authorize(actor=actor, repo=repo, revision=revision, create_pr=create_pr)
    target = commit_target(repo=repo, revision=revision)
    _check_references(actor, operations)
    if create_pr and expected_parent not in (None, target.commit.oid):
        raise StaleParentError(
            f"{revision!r} has moved: its head is {target.commit.oid}, not "
            f"{expected_parent}. Pull the latest changes and try again."
        )
    added = [op.sha256 for op in operations if isinstance(op, AddFile)]
    with transaction.atomic():
        quota_require_commit(repo=repo, sha256s=added, actor=actor)
        if create_pr:
            return pull_request_create_with_commit(
                repo=repo,
                author=actor.user,
                base_branch=revision,
                operations=operations,
                title=title,
                description=description,
            )
        commit = commit_create(
            repo=repo,
            operations=operations,
            title=title,
            description=description,
            author=actor.user,
            revision=revision,
            expected_parent=expected_parent,
        )
        pr = pull_request_record_commit(
            repo=repo, ref_name=revision, commit=commit, author=actor.user
        )
    return pr, commit


def commit_preupload(
    *,
    actor: Actor,
    repo: ModelRepo,
    revision: str,
    paths: Collection[str],
    create_pr: bool = False,
    sizes: Sequence[tuple[str, int]] = (),
) -> tuple[Commit, dict[str, TreeEntry]]:
    """What a client about to commit may learn of the files at ``paths``.

    Returns the head commit of ``revision`` and the entries found there,
    leaving out those whose content the actor may not read (a gated or
    quarantined file's digest is no one else's business). ``sizes``, the
    (path, size) of the files about to be sent, are refused here when the
    namespace's quotas certainly cannot take them (QuotaExceededError).
    """
    commit_authorize(actor=actor, repo=repo, revision=revision, create_pr=create_pr)
    commit = revision_resolve(repo=repo, revision=revision)
    quota_require_preupload(repo=repo, files=sizes, actor=actor)
    found = [
        item.entry
        for item in tree_items_at_paths(commit=commit, paths=list(paths))
        if item.entry is not None
    ]
    readable = content_readable(
        user=actor.user, repo=repo, entries=found, token=actor.token
    )
    return commit, {entry.path: entry for entry in found if readable(entry)}


# Uploads ---------------------------------------------------------------------


@dataclass(frozen=True)
class UploadObject:
    """One object a client announces it will upload: its digest and size."""

    oid: str
    size: int


def upload_authorize(*, actor: Actor, repo: ModelRepo, ref_name: str | None) -> bool:
    """Raise unless the actor may upload content for a commit to ``ref_name``.

    Writers may; so may readers when the target is a pull request (no ref:
    a commit that opens one; or ``refs/pr/N``), as the commit decides what
    they may commit. Returns whether the upload is for a pull request only.
    """
    _require_user(actor, "Uploading files")
    if repo_can_write(user=actor.user, repo=repo, token=actor.token):
        return False
    for_pr = ref_name is None or pr_ref_num(ref_name) is not None
    if for_pr and discussion_can_participate(
        user=actor.user, token=actor.token, repo=repo
    ):
        return True
    if actor.is_read_only:
        raise PermissionDeniedError(
            "This token is read-only: uploading files needs a write token."
        )
    if for_pr:
        raise PermissionDeniedError(
            f"You cannot upload files for a pull request on {repo.full_name}."
        )
    raise PermissionDeniedError(
        f"You cannot upload to {ref_name!r} of {repo.full_name}: open a pull "
        "request instead (create_pr=True)."
    )


def upload_plans(
    *,
    actor: Actor,
    repo: ModelRepo,
    ref_name: str | None,
    objects: Sequence[UploadObject],
    transfers: Collection[str] | None,
    direct: bool = False,
) -> list[UploadPlan]:
    """How each object gets uploaded (``hub.storage.uploads.upload_plan``).

    Content the actor may already use is skipped; any other content is
    asked for, even when stored (uploading proves possession). Objects the
    namespace's quotas do not allow refuse the whole plan before any byte
    is sent (QuotaExceededError, ``hub.catalog.quotas``). The signed
    grants name the actor's token and the repo, so they end when either
    stops allowing the upload (``upload_grant_open``).
    """
    for_pr = upload_authorize(actor=actor, repo=repo, ref_name=ref_name)
    quota_require_upload(
        repo=repo, files=[(o.oid, o.size) for o in objects], actor=actor
    )
    return [
        upload_plan(
            oid=item.oid,
            size=item.size,
            user_id=actor.user.pk,
            transfers=transfers,
            holds_content=blob_can_reference(
                user=actor.user, sha256=item.oid, token=actor.token
            ),
            direct=direct,
            token_id=actor.token.pk if actor.token is not None else 0,
            repo_id=repo.pk,
            for_pr=for_pr,
        )
        for item in objects
    ]


def upload_grant_open(
    *, signature: str, kind: str, oid: str, part_number: int | None = None
) -> UploadGrant:
    """A signed upload URL's grant, if whoever it was issued to may still upload.

    Beyond the signature and expiry (``upload_grant_check``): the account it
    was issued to is still active, the token it was issued under is neither
    revoked nor expired, and the user may still upload to its repo (a
    removed member's grants end at once).
    """
    grant = upload_grant_check(
        token=signature, kind=kind, oid=oid, part_number=part_number
    )
    actor, repo = grant_holder_open(
        user_id=grant.user_id,
        token_id=grant.token_id,
        repo_id=grant.repo_id,
        error=UploadDeniedError,
        what="upload URL",
    )
    if not upload_still_allowed(actor=actor, repo=repo, for_pr=grant.for_pr):
        raise UploadDeniedError(
            "This upload URL no longer allows uploading: the account it was "
            "issued to cannot upload to this repo any more."
        )
    return grant


def upload_verify_for(*, actor: Actor, oid: str, size: int) -> Blob:
    """The LFS verify step: the object this actor uploaded is stored whole.

    Answers NotFoundError for content the actor did not send, stored or not.
    """
    _require_user(actor, "Verifying uploads")
    return upload_verify(oid=oid, size=size, user_id=actor.user.pk)
