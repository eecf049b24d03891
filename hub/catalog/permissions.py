"""Who may read, write and administer a repository: one place for the rule.

Roles: the owner of a user namespace and admins of an organization are
``admin``; organization members have their role (``write`` or ``read``);
superusers are ``admin`` everywhere. A token narrows what its user may do:
a read token never writes, and a token limited to named repos reaches
private repos and writes only there.

Gates and moderation: a repo is gated when its owner turns gating on or when
its license requires acceptance (then at least ``auto``); a repo a moderator
disabled serves no file to anybody. Moderators are staff (everywhere) and
organization admins (for their organization's repos).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Q

from hub.accounts.actors import user_is_active
from hub.accounts.models import ApiToken, Membership, Namespace, User
from hub.catalog.errors import (
    ChecksPendingError,
    GatedContentError,
    QuarantinedContentError,
    RepoDisabledError,
)
from hub.catalog.models import ModelRepo, TreeEntry
from hub.catalog.visibility import repo_list_visible
from hub.core.errors import ApplicationError
from hub.core.names import repo_typed_id
from hub.licenses.models import License, LicenseAcceptance
from hub.storage.models import Blob, BlobClaim

ROLE_RANK = {"read": 1, "write": 2, "admin": 3}


def _authenticated(user: Any) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False))


def namespace_role(*, user: Any, namespace: Namespace) -> str | None:
    """The user's role over everything in a namespace, or None."""
    if not user_is_active(user):
        return None
    if user.is_superuser:
        return "admin"
    if namespace.kind == Namespace.Kind.USER:
        return "admin" if namespace.user_id == user.pk else None
    return (
        Membership.objects.filter(organization=namespace.organization, user=user)
        .values_list("role", flat=True)
        .first()
    )


def _token_allows(token: ApiToken | None, full_name: str) -> bool:
    if token is None or not token.repo_ids:
        return True
    wanted = full_name.lower()
    return any(repo_id.lower() == wanted for repo_id in token.repo_ids)


def token_allows_repo(*, token: ApiToken | None, repo: ModelRepo) -> bool:
    """Whether a token (None: no token) may be used on this repo at all
    (a repo-limited token names repos by their typed id)."""
    return _token_allows(token, repo.typed_id)


def _as_caller(
    user: Any, token: ApiToken | None, repo: ModelRepo
) -> tuple[Any, ApiToken | None]:
    """A token limited to other repos confers nothing beyond anonymous here:
    not its user's private repos, gates passed or roles."""
    if _token_allows(token, repo.typed_id):
        return user, token
    return None, None


def repo_can_read(*, user: Any, repo: ModelRepo, token: ApiToken | None = None) -> bool:
    if not repo.is_private:
        return True
    role = namespace_role(user=user, namespace=repo.namespace)
    return role is not None and _token_allows(token, repo.typed_id)


def repo_can_write(
    *, user: Any, repo: ModelRepo, token: ApiToken | None = None
) -> bool:
    role = namespace_role(user=user, namespace=repo.namespace)
    if role not in ("write", "admin"):
        return False
    if token is not None and not token.can_write:
        return False
    return _token_allows(token, repo.typed_id)


def repo_can_admin(
    *, user: Any, repo: ModelRepo, token: ApiToken | None = None
) -> bool:
    role = namespace_role(user=user, namespace=repo.namespace)
    if role != "admin":
        return False
    if token is not None and not token.can_write:
        return False
    return _token_allows(token, repo.typed_id)


def namespace_can_create_repo(
    *,
    user: Any,
    namespace: Namespace,
    name: str,
    token: ApiToken | None = None,
    repo_type: str = "model",
) -> bool:
    if namespace_role(user=user, namespace=namespace) not in ("write", "admin"):
        return False
    if token is not None and not token.can_write:
        return False
    return _token_allows(token, repo_typed_id(repo_type, namespace.name, name))


DISABLED_MESSAGE = "Access to this resource is disabled."

_acceptance_license_ids: frozenset[str] | None = None


def _licenses_requiring_acceptance() -> frozenset[str]:
    # The catalog only changes with a migration: read it once per process
    # (not while empty, e.g. in a test database being set up).
    global _acceptance_license_ids
    if _acceptance_license_ids is None:
        ids = frozenset(
            License.objects.filter(requires_acceptance=True).values_list(
                "id", flat=True
            )
        )
        if not ids:
            return ids
        _acceptance_license_ids = ids
    return _acceptance_license_ids


def repo_gate_mode(*, repo: ModelRepo) -> str:
    """The gate in force: the owner's setting, or ``auto`` at least when the
    card's license requires accepting its terms (``off``/``auto``/``manual``)."""
    if repo.gated != repo.Gated.OFF:
        return repo.gated
    if repo.license and repo.license in _licenses_requiring_acceptance():
        return repo.Gated.AUTO
    return repo.Gated.OFF


def repo_require_enabled(*, repo: ModelRepo, user: Any = None) -> None:
    """RepoDisabledError for a disabled repo, unless ``user`` moderates it
    (moderators still see its pages, never its files through downloads)."""
    if repo.disabled_at is None:
        return
    if user is not None and repo_can_moderate(user=user, repo=repo):
        return
    raise RepoDisabledError(DISABLED_MESSAGE, details={"reason": repo.disabled_reason})


def user_is_staff_moderator(*, user: Any) -> bool:
    """Staff moderate everything on the hub."""
    return user_is_active(user) and bool(user.is_staff)


def repo_can_moderate(*, user: Any, repo: ModelRepo) -> bool:
    """Staff, or an admin of the organization that owns the repo."""
    if user_is_staff_moderator(user=user):
        return True
    if not user_is_active(user):
        return False
    organization_id = repo.namespace.organization_id
    if organization_id is None:
        return False
    return Membership.objects.filter(
        organization_id=organization_id,
        user=user,
        role=Membership.Role.ADMIN,
    ).exists()


def repo_has_access(
    *, user: Any, repo: ModelRepo, token: ApiToken | None = None
) -> bool:
    """Whether the caller may download files: readable, enabled, past any gate.

    A gated repo's files are open to its maintainers and members, and to
    users whose license acceptance was accepted; everything else about the
    repo (card, file list) stays visible, as on the HF Hub. A disabled repo
    serves files to nobody.
    """
    if repo.disabled_at is not None:
        return False
    user, token = _as_caller(user, token, repo)
    if not repo_can_read(user=user, repo=repo, token=token):
        return False
    if repo_gate_mode(repo=repo) == repo.Gated.OFF:
        return True
    if namespace_role(user=user, namespace=repo.namespace) is not None:
        return True
    if not _authenticated(user):
        return False
    return LicenseAcceptance.objects.filter(
        repo=repo, user=user, status=LicenseAcceptance.Status.ACCEPTED
    ).exists()


def blob_can_reference(
    *, user: Any, sha256: str, token: ApiToken | None = None
) -> bool:
    """Whether a commit by this caller may point at already-stored content.

    Knowing a digest is never owning the content: the caller must hold an
    upload claim on it (they sent its bytes), or be able to download it now
    from a repo that holds it — visibility, moderation, the gate, quarantine,
    checks still running and the token's repo limits all apply, exactly as
    for a download (``file_download_refusal``).
    """
    if (
        _authenticated(user)
        and BlobClaim.objects.filter(blob_id=sha256, user=user).exists()
    ):
        return True
    readable = repo_list_visible(user=user, token=token).values("pk")
    holders = list(
        TreeEntry.objects.filter(blob_id=sha256, commit__repo__in=readable)
        .values_list("commit__repo_id", "path")
        .distinct()[:REFERENCE_CANDIDATES]
    )
    if not holders:
        return False
    blob = Blob.objects.get(pk=sha256)
    repos = ModelRepo.objects.select_related("namespace").in_bulk(
        {repo_id for repo_id, _ in holders}
    )
    for repo_id, path in holders:
        entry = TreeEntry(path=path, blob=blob)
        refusal = file_download_refusal(
            user=user, repo=repos[repo_id], entry=entry, token=token
        )
        if refusal is None:
            return True
    return False


# How many (repo, path) places holding a digest are tried before a reference
# without an upload claim is refused (the caller can upload the bytes).
REFERENCE_CANDIDATES = 20


# Files any loader reads as text or data, never as code: served before their
# checks finish. Loaders choose their reader by file name (torch.load is
# never pointed at config.json), so the name is what decides.
UNGATED_FILES = frozenset({"README.md", ".gitattributes"})
INERT_SUFFIXES = (".json", ".md", ".txt", ".yaml", ".yml", ".csv", ".tsv")
INERT_NAMES = frozenset({".gitattributes", ".gitignore", "LICENSE", "NOTICE"})


def file_is_inert(path: str) -> bool:
    """Whether a file at this path is read as text or data by every loader."""
    name = posixpath.basename(path)
    return name in INERT_NAMES or name.lower().endswith(INERT_SUFFIXES)


def _withheld(*, is_quarantined: bool, checked: bool, path: str) -> bool:
    """The content rule: quarantined content, and content that could carry
    code before its checks finish, go to the repo's maintainers only."""
    return is_quarantined or (not checked and not file_is_inert(path))


def repo_gate_refusal(
    *, user: Any, repo: ModelRepo, token: ApiToken | None = None
) -> ApplicationError | None:
    """GatedContentError when the gate keeps the repo's files from the
    caller, else None."""
    if repo_has_access(user=user, repo=repo, token=token):
        return None
    return GatedContentError(
        f"Access to {repo.type_label} {repo.full_name} is restricted: visit its "
        "page to ask for access."
    )


def file_gate_refusal(
    *, user: Any, repo: ModelRepo, path: str, token: ApiToken | None = None
) -> ApplicationError | None:
    """GatedContentError when the gate keeps this file from the caller (the
    card and ``.gitattributes`` stay open to everyone), else None."""
    if path in UNGATED_FILES:
        return None
    return repo_gate_refusal(user=user, repo=repo, token=token)


def file_content_refusal(
    *,
    user: Any,
    repo: ModelRepo,
    entry: Any,
    token: ApiToken | None = None,
) -> ApplicationError | None:
    """Why the caller may not have this file's bytes past the gate, or None.

    A quarantined file, or one that could carry code and has no final safety
    verdict yet, is served to the repo's maintainers only (they need it to
    see what was flagged; nobody else should load it).
    """
    blob = entry.blob
    withheld = _withheld(
        is_quarantined=blob.is_quarantined,
        checked=blob.checked_at is not None,
        path=entry.path,
    )
    if not withheld or repo_can_write(user=user, repo=repo, token=token):
        return None
    if blob.is_quarantined:
        return QuarantinedContentError(
            "This file is quarantined and cannot be downloaded: "
            f"{blob.quarantine_reason or 'it failed the safety checks'}."
        )
    return ChecksPendingError(
        "This file is still being checked for safety; it can be downloaded "
        f"once its checks pass. Try again in {ChecksPendingError.retry_after} "
        "seconds."
    )


def file_download_refusal(
    *, user: Any, repo: ModelRepo, entry: Any, token: ApiToken | None = None
) -> ApplicationError | None:
    """Why the caller may not have this file's bytes (gate, then content)."""
    return file_gate_refusal(
        user=user, repo=repo, path=entry.path, token=token
    ) or file_content_refusal(user=user, repo=repo, entry=entry, token=token)


def _namespace_users(repo: ModelRepo, roles: list[str]) -> list[Any]:
    namespace = repo.namespace
    if namespace.organization_id is None:
        return list(User.objects.filter(pk=namespace.user_id or 0, is_active=True))
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organization_id=namespace.organization_id,
            memberships__role__in=roles,
        ).distinct()
    )


def repo_admin_users(*, repo: ModelRepo) -> list[Any]:
    """Active users with the admin role on the repo (its owner, or its org's
    admins); superusers are left out."""
    return _namespace_users(repo, [Membership.Role.ADMIN])


def repo_maintainer_users(*, repo: ModelRepo) -> list[Any]:
    """Active users who may write to the repo (owner, org admins and writers)."""
    return _namespace_users(repo, [Membership.Role.ADMIN, Membership.Role.WRITE])


def content_readable(
    *,
    user: Any,
    repo: ModelRepo,
    entries: Iterable[Any],
    token: ApiToken | None = None,
) -> Callable[[Any], bool]:
    """A predicate over tree entries: may the caller read this file's bytes?

    Diffs and previews show file content, so they follow the download rule
    (``file_download_refusal``). ``entries`` are those the caller will ask
    about (one query reads their blobs' states). ``None`` stands for "no
    file" and is always readable.
    """
    if not repo_has_access(user=user, repo=repo, token=token):
        return lambda entry: entry is None
    if repo_can_write(user=user, repo=repo, token=token):
        return lambda entry: True
    ids = {entry.blob_id for entry in entries if entry is not None}
    # Only blobs that may be withheld are read (one query).
    states = dict(
        Blob.objects.filter(pk__in=ids)
        .filter(Q(is_quarantined=True) | Q(checked_at__isnull=True))
        .values_list("pk", "is_quarantined")
    )

    def readable(entry: Any) -> bool:
        if entry is None or entry.blob_id not in states:
            return True
        return not _withheld(
            is_quarantined=states[entry.blob_id], checked=False, path=entry.path
        )

    return readable
