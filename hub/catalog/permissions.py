"""Who may read, write and administer a repository: one place for the rule.

Roles: the owner of a user namespace and admins of an organization are
``admin``; organization members have their role (``write`` or ``read``);
superusers are ``admin`` everywhere. A token narrows what its user may do:
a read token never writes, and a token limited to named repos reaches
private repos and writes only there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hub.accounts.models import ApiToken, Membership, Namespace
from hub.licenses.models import LicenseAcceptance
from hub.storage.models import BlobClaim

if TYPE_CHECKING:
    from hub.catalog.models import ModelRepo

ROLE_RANK = {"read": 1, "write": 2, "admin": 3}


def _authenticated(user: Any) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False))


def namespace_role(*, user: Any, namespace: Namespace) -> str | None:
    """The user's role over everything in a namespace, or None."""
    if not _authenticated(user) or not user.is_active:
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
    """Whether a token (None: no token) may be used on this repo at all."""
    return _token_allows(token, repo.full_name)


def repo_can_read(*, user: Any, repo: ModelRepo, token: ApiToken | None = None) -> bool:
    if not repo.is_private:
        return True
    role = namespace_role(user=user, namespace=repo.namespace)
    return role is not None and _token_allows(token, repo.full_name)


def repo_can_write(
    *, user: Any, repo: ModelRepo, token: ApiToken | None = None
) -> bool:
    role = namespace_role(user=user, namespace=repo.namespace)
    if role not in ("write", "admin"):
        return False
    if token is not None and not token.can_write:
        return False
    return _token_allows(token, repo.full_name)


def repo_can_admin(
    *, user: Any, repo: ModelRepo, token: ApiToken | None = None
) -> bool:
    role = namespace_role(user=user, namespace=repo.namespace)
    if role != "admin":
        return False
    if token is not None and not token.can_write:
        return False
    return _token_allows(token, repo.full_name)


def namespace_can_create_repo(
    *, user: Any, namespace: Namespace, name: str, token: ApiToken | None = None
) -> bool:
    role = namespace_role(user=user, namespace=namespace)
    if role not in ("write", "admin"):
        return False
    if token is not None and not token.can_write:
        return False
    return _token_allows(token, f"{namespace.name}/{name}")


def repo_has_access(
    *, user: Any, repo: ModelRepo, token: ApiToken | None = None
) -> bool:
    """Whether the caller may download files: readable, and past any gate.

    A gated repo's files are open to its maintainers and members, and to
    users whose license acceptance was accepted; everything else about the
    repo (card, file list) stays visible, as on the HF Hub.
    """
    if not repo_can_read(user=user, repo=repo, token=token):
        return False
    if repo.gated == repo.Gated.OFF:
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
    """Whether a commit by this user may point at already-stored content.

    True if the user uploaded it (a BlobClaim), or a repo they can read
    already contains it. Knowing a digest alone proves nothing.
    """
    # Imported here: selectors and models import this module's siblings.
    from hub.catalog.models import TreeEntry
    from hub.catalog.selectors import repo_list_visible

    if (
        _authenticated(user)
        and BlobClaim.objects.filter(blob_id=sha256, user=user).exists()
    ):
        return True
    readable = repo_list_visible(user=user, token=token).values("pk")
    return TreeEntry.objects.filter(blob_id=sha256, commit__repo__in=readable).exists()


def file_can_download(
    *, user: Any, repo: ModelRepo, blob: Any, token: ApiToken | None = None
) -> bool:
    """A quarantined file is served to the repo's maintainers only.

    They need it to see what was flagged; nobody else should load it.
    """
    if not blob.is_quarantined:
        return True
    return repo_can_write(user=user, repo=repo, token=token)
