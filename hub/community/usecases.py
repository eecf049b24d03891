"""What the faces ask about an actor's rights on a repo, decided in one place.

``repo_abilities`` answers what a page or an API answer shows (buttons,
``has_access`` flags); ``participation_require`` is the one gate of the
community actions (discussions, comments, likes, reviews). Both take the
``Actor`` a face built from its request; the rules themselves live in
``hub.catalog.permissions`` and ``hub.community.selectors``.
"""

from __future__ import annotations

from functools import cached_property

from hub.accounts.actors import Actor
from hub.catalog.models import ModelRepo
from hub.catalog.permissions import (
    repo_can_admin,
    repo_can_write,
    repo_gate_mode,
    repo_has_access,
)
from hub.community.selectors import discussion_can_participate, pull_request_can_push
from hub.core.errors import AuthenticationError, PermissionDeniedError


class RepoAbilities:
    """What the actor may do on a repo, for showing (never for deciding).

    Each answer is computed when first asked for, so a page pays only for
    what it shows.
    """

    def __init__(self, *, actor: Actor, repo: ModelRepo) -> None:
        self._user, self._token, self._repo = actor.user, actor.token, repo
        self._signed_in = actor.is_authenticated

    @cached_property
    def gate(self) -> str:
        return repo_gate_mode(repo=self._repo)

    @cached_property
    def has_access(self) -> bool:
        return repo_has_access(user=self._user, repo=self._repo, token=self._token)

    @cached_property
    def can_write(self) -> bool:
        return self._signed_in and repo_can_write(
            user=self._user, repo=self._repo, token=self._token
        )

    @cached_property
    def can_admin(self) -> bool:
        return self._signed_in and repo_can_admin(
            user=self._user, repo=self._repo, token=self._token
        )

    @cached_property
    def can_contribute(self) -> bool:
        return discussion_can_participate(
            user=self._user, token=self._token, repo=self._repo
        )


def repo_abilities(*, actor: Actor, repo: ModelRepo) -> RepoAbilities:
    return RepoAbilities(actor=actor, repo=repo)


def ref_can_push(*, actor: Actor, repo: ModelRepo, ref_name: str) -> bool:
    """Whether commits to ``ref_name`` are offered to the actor (pages)."""
    return pull_request_can_push(
        user=actor.user, token=actor.token, repo=repo, ref_name=ref_name
    )


def participation_require(*, actor: Actor, repo: ModelRepo, what: str) -> None:
    """Raise unless the actor may take part on the repo (``what`` they tried).

    Any active reader may, with a write-capable token (if a token is used)
    not limited to other repos. 401 for anonymous callers.
    """
    if not actor.is_authenticated:
        raise AuthenticationError(f"Sign in (or send a token) to {what}.")
    if discussion_can_participate(user=actor.user, token=actor.token, repo=repo):
        return
    if actor.is_read_only:
        raise PermissionDeniedError(
            f"This token is read-only: use a write token to {what}."
        )
    raise PermissionDeniedError(
        f"You may not {what} on {repo.full_name}: use a write token that is "
        "allowed on this repository."
    )
