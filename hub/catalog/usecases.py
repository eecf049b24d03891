"""What an actor asks of the catalog, each use case deciding who may.

The domain services (``hub.catalog.services``) change repos and trust their
caller; these use cases take the ``Actor`` a face built from its request
(user, token, or anonymous), check permission through
``hub.catalog.permissions`` and then call the service. The faces (HF
protocol, ``/api/v1``, web pages) call these and keep no permission check of
their own, so a new face (Xet, datasets, git push) gets every rule by calling
the same functions. Call them module-qualified (``usecases.repo_delete``):
the names are the services' names.
"""

from __future__ import annotations

from django.db import transaction

from hub.accounts.actors import Actor
from hub.accounts.models import Namespace
from hub.accounts.selectors import namespace_get
from hub.catalog.models import ModelRepo, Ref
from hub.catalog.permissions import (
    namespace_can_create_repo,
    repo_can_admin,
    repo_can_write,
    repo_require_enabled,
)
from hub.catalog.quotas import quota_require_repo_slot
from hub.catalog.services import refs, repos
from hub.catalog.visibility import repo_get_visible
from hub.core.errors import AuthenticationError, NotFoundError, PermissionDeniedError


def repo_open(
    *, actor: Actor, namespace: str, name: str, repo_type: str = "model"
) -> ModelRepo:
    """The repo a page or an API view is about, as the actor may see it.

    RepoNotFoundError (404) when it is private and not theirs (exactly as
    when it does not exist); RepoDisabledError (403, with the moderator's
    reason) when moderation disabled it, unless the actor moderates it.
    """
    repo = repo_get_visible(
        user=actor.user,
        token=actor.token,
        namespace=namespace,
        name=name,
        repo_type=repo_type,
    )
    repo_require_enabled(repo=repo, user=actor.user)
    return repo


def require_user(actor: Actor) -> None:
    """Anonymous callers get a 401 for actions that need an account."""
    if not actor.is_authenticated:
        raise AuthenticationError(
            "This action needs an account: sign in, or send "
            "'Authorization: Bearer <token>'."
        )


def _read_only_hint(actor: Actor) -> str:
    if actor.is_read_only:
        return " Your token is read-only: create a token with write access."
    return ""


def repo_require_write(*, actor: Actor, repo: ModelRepo) -> None:
    """401 for anonymous callers, 403 for callers who may read but not write."""
    require_user(actor)
    if not repo_can_write(user=actor.user, repo=repo, token=actor.token):
        raise PermissionDeniedError(
            f"You are not allowed to write to {repo.full_name}."
            + _read_only_hint(actor)
        )


def repo_require_admin(*, actor: Actor, repo: ModelRepo) -> None:
    """401 for anonymous callers, 403 for callers who do not administer it."""
    require_user(actor)
    if not repo_can_admin(user=actor.user, repo=repo, token=actor.token):
        raise PermissionDeniedError(
            f"Only admins of {repo.full_name} may do this." + _read_only_hint(actor)
        )


def namespace_for_new_repo(
    *, actor: Actor, namespace_name: str, name: str, repo_type: str = "model"
) -> Namespace:
    """The namespace the actor may create ``name`` in; 403 (not 404) else.

    An unknown namespace reads exactly like one the actor may not use.
    """
    require_user(actor)
    try:
        namespace = namespace_get(name=namespace_name)
    except NotFoundError:
        namespace = None
    if namespace is None or not namespace_can_create_repo(
        user=actor.user,
        namespace=namespace,
        name=name,
        token=actor.token,
        repo_type=repo_type,
    ):
        raise PermissionDeniedError(
            f"You cannot create repositories in {namespace_name!r}."
            + _read_only_hint(actor)
        )
    return namespace


def repo_create(
    *,
    actor: Actor,
    namespace_name: str,
    name: str,
    is_private: bool = False,
    license_id: str | None = None,
    repo_type: str = "model",
) -> ModelRepo:
    """Create ``namespace_name/name`` for the actor (see services.repos.repo_create).

    Refused over the namespace's repository quota (RepoQuotaExceededError).
    """
    namespace = namespace_for_new_repo(
        actor=actor, namespace_name=namespace_name, name=name, repo_type=repo_type
    )
    with transaction.atomic():
        quota_require_repo_slot(namespace=namespace, actor=actor)
        if license_id:
            return repos.repo_create_with_license(
                namespace=namespace,
                name=name,
                creator=actor.user,
                license_id=license_id,
                is_private=is_private,
                repo_type=repo_type,
            )
        return repos.repo_create(
            namespace=namespace,
            name=name,
            creator=actor.user,
            is_private=is_private,
            repo_type=repo_type,
        )


def repo_delete(*, actor: Actor, repo: ModelRepo) -> None:
    repo_require_admin(actor=actor, repo=repo)
    repos.repo_delete(repo=repo, by=actor.user)


def repo_move(
    *, actor: Actor, repo: ModelRepo, namespace_name: str, name: str
) -> ModelRepo:
    """Rename or transfer: admin of the repo, and creator in the target."""
    repo_require_admin(actor=actor, repo=repo)
    namespace = namespace_for_new_repo(
        actor=actor,
        namespace_name=namespace_name,
        name=name,
        repo_type=repo.repo_type,
    )
    with transaction.atomic():
        quota_require_repo_slot(namespace=namespace, actor=actor, moving=repo)
        return repos.repo_move(repo=repo, namespace=namespace, name=name, by=actor.user)


def repo_update_settings(
    *,
    actor: Actor,
    repo: ModelRepo,
    is_private: bool | None = None,
    gated: str | None = None,
) -> ModelRepo:
    repo_require_admin(actor=actor, repo=repo)
    return repos.repo_update_settings(
        repo=repo, is_private=is_private, gated=gated, by=actor.user
    )


def ref_create(
    *,
    actor: Actor,
    repo: ModelRepo,
    kind: str,
    name: str,
    revision: str | None = None,
    exist_ok: bool = False,
) -> Ref:
    """Create a branch or a tag (writers)."""
    repo_require_write(actor=actor, repo=repo)
    create = refs.tag_create if kind == Ref.Kind.TAG else refs.branch_create
    return create(repo=repo, name=name, revision=revision, exist_ok=exist_ok)


def ref_delete(*, actor: Actor, repo: ModelRepo, kind: str, name: str) -> None:
    """Delete a branch or a tag (writers)."""
    repo_require_write(actor=actor, repo=repo)
    delete = refs.tag_delete if kind == Ref.Kind.TAG else refs.branch_delete
    delete(repo=repo, name=name)
