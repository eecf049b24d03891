"""Signed grants, re-checked whenever they are used.

An upload URL (``hub.storage.uploads``) and a Xet access token
(``hub.community.xet_tokens``) each carry who they were issued to: the user,
the API token they used and the repo. Whoever opens one asks here whether
that still holds, so revoking the token, deactivating the account or losing
access to the repo ends every grant at once, not when it expires.
"""

from __future__ import annotations

from collections.abc import Callable

from hub.accounts.actors import Actor, user_is_active
from hub.accounts.models import ApiToken, User
from hub.catalog.models import ModelRepo
from hub.catalog.permissions import repo_can_write
from hub.community.selectors import discussion_can_participate
from hub.core.errors import ApplicationError


def grant_holder_open(
    *,
    user_id: int | None,
    token_id: int | None,
    repo_id: int,
    error: Callable[[str], ApplicationError],
    what: str,
) -> tuple[Actor, ModelRepo]:
    """The actor a grant was issued to, as they are now, and its repo.

    ``user_id`` None: an anonymous caller; ``token_id`` 0/None: no API token
    (a browser session). Raises ``error(message)``, the message naming the
    grant as ``what``, when the account is inactive, the API token is revoked
    or expired, or the repo is gone. Reads at most three rows.
    """
    actor = Actor.anonymous()
    if user_id is not None:
        user = User.objects.filter(pk=user_id).first()
        if not user_is_active(user):
            raise error(f"The account this {what} was issued to is inactive.")
        token = None
        if token_id:
            token = ApiToken.objects.filter(pk=token_id, user_id=user_id).first()
            if token is None or not token.is_active:
                raise error(
                    f"This {what} was issued to a token that is no longer valid."
                )
        actor = Actor(user=user, token=token)
    repo = ModelRepo.objects.select_related("namespace").filter(pk=repo_id).first()
    if repo is None:
        raise error(f"This {what} was issued for a repository that is gone.")
    return actor, repo


def upload_still_allowed(*, actor: Actor, repo: ModelRepo, for_pr: bool) -> bool:
    """Whether a grant's holder may still upload to the repo: its writers, and
    for a grant issued for a pull request anyone who may still open one
    (``hub.community.commits.upload_authorize`` decided it at issue time)."""
    return repo_can_write(user=actor.user, repo=repo, token=actor.token) or (
        for_pr
        and discussion_can_participate(user=actor.user, token=actor.token, repo=repo)
    )
