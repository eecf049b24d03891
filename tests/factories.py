"""Helpers that build domain objects through the real services."""

from __future__ import annotations

import itertools

from hub.accounts.models import Namespace, Organization, User
from hub.accounts.services import organization_create, token_create, user_create
from hub.catalog.models import ModelRepo
from hub.catalog.services.commits import commit_create
from hub.catalog.services.operations import AddFile
from hub.catalog.services.repos import repo_create
from hub.storage.services import blob_mark_checked, blob_upload_bytes

_seq = itertools.count(1)


def make_user(username: str | None = None, **kwargs) -> User:
    return user_create(username=username or f"user{next(_seq)}", **kwargs)


def make_user_with_token(username: str, scope: str = "write") -> tuple[User, str]:
    """A user and the secret of a new API token of theirs (``scope``)."""
    user = make_user(username)
    _, secret = token_create(user=user, name=f"{username}-{scope}", scope=scope)
    return user, secret


def make_org(name: str | None = None, *, creator: User) -> Organization:
    return organization_create(name=name or f"org{next(_seq)}", creator=creator)


def namespace_of(owner: User | Organization) -> Namespace:
    if isinstance(owner, User):
        return Namespace.objects.get(user=owner)
    return Namespace.objects.get(organization=owner)


def make_repo(
    owner: User | Organization,
    name: str | None = None,
    *,
    creator: User | None = None,
    is_private: bool = False,
    repo_type: str = "model",
) -> ModelRepo:
    creator = creator or (owner if isinstance(owner, User) else None)
    return repo_create(
        namespace=namespace_of(owner),
        name=name or f"{repo_type}{next(_seq)}",
        creator=creator,
        is_private=is_private,
        repo_type=repo_type,
    )


def commit_files(
    repo: ModelRepo,
    files: dict[str, bytes],
    *,
    author: User | None = None,
    title: str = "Add files",
    revision: str = "main",
    checked: bool = True,
):
    """Upload ``files`` and commit them in one commit; returns the Commit.

    ``checked`` records a final safety verdict on the content, as a worker
    would; pass False to keep it in the window before its checks finish.
    """
    ops = [
        AddFile(path, blob_upload_bytes(data=data).sha256)
        for path, data in files.items()
    ]
    commit = commit_create(
        repo=repo, operations=ops, title=title, author=author, revision=revision
    )
    if checked:
        for op in ops:
            blob_mark_checked(sha256=op.sha256)
    return commit
