"""Branches, tags and pull request refs."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from hub.catalog.errors import RefExistsError, RevisionNotFoundError
from hub.catalog.models import Commit, ModelRepo, Ref
from hub.catalog.revisions import revision_resolve
from hub.catalog.services.commits import DEFAULT_BRANCH
from hub.core.errors import ValidationError
from hub.core.names import validate_ref_name


@transaction.atomic
def branch_create(
    *, repo: ModelRepo, name: str, revision: str | None = None, exist_ok: bool = False
) -> Ref:
    """Create a branch at ``revision`` (default: the head of main)."""
    validate_ref_name(name, what="branch name")
    commit = revision_resolve(repo=repo, revision=revision or DEFAULT_BRANCH)
    return _ref_create(repo, name, Ref.Kind.BRANCH, commit, exist_ok=exist_ok)


@transaction.atomic
def tag_create(
    *, repo: ModelRepo, name: str, revision: str | None = None, exist_ok: bool = False
) -> Ref:
    """Create a tag at ``revision`` (default: the head of main)."""
    validate_ref_name(name, what="tag name")
    commit = revision_resolve(repo=repo, revision=revision or DEFAULT_BRANCH)
    return _ref_create(repo, name, Ref.Kind.TAG, commit, exist_ok=exist_ok)


def pull_request_ref_create(*, repo: ModelRepo, number: int, revision: str) -> Ref:
    """Create ``refs/pr/<number>`` at ``revision`` (the community layer numbers PRs)."""
    commit = revision_resolve(repo=repo, revision=revision)
    return _ref_create(repo, f"refs/pr/{number}", Ref.Kind.PULL_REQUEST, commit)


def _ref_create(
    repo: ModelRepo, name: str, kind: str, commit: Commit, *, exist_ok: bool = False
) -> Ref:
    existing = Ref.objects.filter(repo=repo, name=name).first()
    if existing is not None:
        if exist_ok and existing.kind == kind:
            return existing
        what = "A branch" if existing.kind == Ref.Kind.BRANCH else "A tag"
        if existing.kind == Ref.Kind.PULL_REQUEST:
            what = "A pull request ref"
        raise RefExistsError(
            f"{what} named {name!r} already exists in {repo.full_name}."
        )
    try:
        with transaction.atomic():
            return Ref.objects.create(repo=repo, name=name, kind=kind, commit=commit)
    except IntegrityError:
        raise RefExistsError(f"{name!r} already exists in {repo.full_name}.") from None


@transaction.atomic
def branch_delete(*, repo: ModelRepo, name: str) -> None:
    """Delete a branch. The default branch cannot be deleted."""
    if name == DEFAULT_BRANCH:
        raise ValidationError("The main branch cannot be deleted.")
    deleted, _ = Ref.objects.filter(repo=repo, name=name, kind=Ref.Kind.BRANCH).delete()
    if not deleted:
        raise RevisionNotFoundError(f"Branch {name!r} not found in {repo.full_name}.")


@transaction.atomic
def tag_delete(*, repo: ModelRepo, name: str) -> None:
    deleted, _ = Ref.objects.filter(repo=repo, name=name, kind=Ref.Kind.TAG).delete()
    if not deleted:
        raise RevisionNotFoundError(f"Tag {name!r} not found in {repo.full_name}.")
