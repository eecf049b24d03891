"""Who may moderate what: the one rule every face of moderation relies on.

Staff moderate the whole hub: they decide reports, see who reported, act on
anything and undo any moderation (unhide, unlock a staff lock, re-enable a
model, lift a ban). Admins of a repo (the admins of the organization that
owns it, the owner of a user namespace) may add moderation to the community
content of their own repos (hide a review or a comment, lock a discussion)
and never remove what staff applied: anyone can create an organization, so
an org admin's word must not outweigh staff's (issue 13, hole 7). Undoing a
hide is staff's alone, even for the admin who hid: a hide they could flip
back would let them hide reported content until staff dismiss the report.

A token narrows all of it: a read token never moderates, and a token limited
to named repos acts on those repos only, never with staff's hub-wide powers
(the queue, reports, bans). The services call the ``require_*`` functions;
pages and serializers ask the ``actor_*`` predicates what to show.
"""

from __future__ import annotations

from django.db.models import Q

from hub.accounts.actors import Actor
from hub.accounts.models import Membership
from hub.catalog.models import ModelRepo
from hub.catalog.permissions import (
    repo_can_admin,
    token_allows_repo,
    user_is_staff_moderator,
)
from hub.core.errors import AuthenticationError, PermissionDeniedError

REPO_LIMITED_MESSAGE = (
    "This token is limited to some repositories: staff moderation needs a "
    "token without a repository limit, or a signed-in session."
)


def _signed_in(actor: Actor) -> bool:
    return actor.is_authenticated and bool(actor.user.is_active)


def actor_is_staff(*, actor: Actor) -> bool:
    """Staff acting with hub-wide powers (not through a repo-limited token)."""
    return user_is_staff_moderator(user=actor.user) and not actor.is_repo_limited


def actor_sees_reporters(*, actor: Actor) -> bool:
    """Who filed a report is shown to staff only, never to the reported
    repo's admins (they could retaliate) nor to anyone else."""
    return actor_is_staff(actor=actor)


def actor_admin_org_ids(*, actor: Actor) -> list[int]:
    """The organizations the actor administers (none for a limited token)."""
    if not _signed_in(actor) or actor.is_repo_limited:
        return []
    return list(
        Membership.objects.filter(
            user=actor.user, role=Membership.Role.ADMIN
        ).values_list("organization_id", flat=True)
    )


def actor_reads_queue(*, actor: Actor) -> bool:
    """Staff, or an admin of at least one organization (their org's reports)."""
    return actor_is_staff(actor=actor) or bool(actor_admin_org_ids(actor=actor))


def queue_scope(*, actor: Actor, repo_field: str = "repo") -> Q | None:
    """The queue and log rows the actor reads: None for all (staff)."""
    if actor_is_staff(actor=actor):
        return None
    orgs = actor_admin_org_ids(actor=actor)
    return Q(**{f"{repo_field}__namespace__organization_id__in": orgs})


def actor_moderates_repo(*, actor: Actor, repo: ModelRepo) -> bool:
    """May add moderation (hide, lock) to the repo's community content."""
    if not _signed_in(actor) or actor.is_read_only:
        return False
    if not token_allows_repo(token=actor.token, repo=repo):
        return False
    if user_is_staff_moderator(user=actor.user):
        return True
    return repo_can_admin(user=actor.user, repo=repo, token=actor.token)


def require_signed_in(*, actor: Actor, what: str) -> None:
    """AuthenticationError for anonymous callers and deactivated accounts."""
    if not _signed_in(actor):
        raise AuthenticationError(f"Sign in to {what}.")


def require_writer(*, actor: Actor, what: str) -> None:
    """Signed in, and not through a read token."""
    require_signed_in(actor=actor, what=what)
    if actor.is_read_only:
        raise PermissionDeniedError(
            f"This token is read-only: use a token with write scope to {what}."
        )


def require_staff(*, actor: Actor, what: str) -> None:
    """Staff with hub-wide powers; PermissionDeniedError naming the rule."""
    require_writer(actor=actor, what=what)
    if not user_is_staff_moderator(user=actor.user):
        raise PermissionDeniedError(f"Only hub staff may {what}.")
    if actor.is_repo_limited:
        raise PermissionDeniedError(REPO_LIMITED_MESSAGE)


def require_repo_moderator(*, actor: Actor, repo: ModelRepo, what: str) -> None:
    """Staff, or an admin of the repo, acting with a token allowed on it."""
    require_writer(actor=actor, what=what)
    if not actor_moderates_repo(actor=actor, repo=repo):
        raise PermissionDeniedError(
            f"Only hub staff or admins of {repo.full_name} may {what}."
        )


def require_queue_reader(*, actor: Actor) -> None:
    """Staff, or an organization's admin; the queue is no place for a token
    limited to some repos (it lists reports from everywhere)."""
    require_signed_in(actor=actor, what="read the moderation queue")
    if actor.is_repo_limited:
        raise PermissionDeniedError(REPO_LIMITED_MESSAGE)
    if not actor_reads_queue(actor=actor):
        raise PermissionDeniedError(
            "Only moderators (hub staff, or admins of an organization) may read "
            "the moderation queue and log."
        )
