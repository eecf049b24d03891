"""Organisation membership as an actor asks for it, each use case deciding who may.

Members see the member list; admins change it (a staff superuser counts as
an admin everywhere). A read token never changes anything and a token
limited to some repos acts on those repos only, never on an organisation.
"""

from __future__ import annotations

from django.db.models import QuerySet

from hub.accounts.actors import Actor
from hub.accounts.memberships import membership_remove, membership_set
from hub.accounts.models import Membership, Organization
from hub.accounts.selectors import (
    membership_list,
    organization_role,
    user_get_by_username,
)
from hub.accounts.services import organization_update
from hub.core.errors import AuthenticationError, PermissionDeniedError


def organization_viewer_role(*, actor: Actor, organization: Organization) -> str | None:
    """The actor's role in the organization ("admin" for superusers), or None."""
    user = actor.user
    if not actor.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Membership.Role.ADMIN
    return organization_role(organization=organization, user=user)


def organization_members(
    *, actor: Actor, organization: Organization
) -> QuerySet[Membership]:
    """The member list, for the organization's members only."""
    if not actor.is_authenticated:
        raise AuthenticationError("Sign in (or send a token) to list members.")
    if organization_viewer_role(actor=actor, organization=organization) is None:
        raise PermissionDeniedError(
            f"Only members of {organization.name} can list its members."
        )
    return membership_list(organization=organization)


def _require_admin(
    actor: Actor, organization: Organization, what: str = "change its members"
) -> None:
    if not actor.is_authenticated:
        raise AuthenticationError(f"Sign in (or send a token) to {what}.")
    if actor.is_read_only or actor.is_repo_limited:
        raise PermissionDeniedError(
            f"To {what}, use a signed-in session or a write token that "
            "is not limited to repositories."
        )
    if organization_viewer_role(actor=actor, organization=organization) != "admin":
        raise PermissionDeniedError(f"Only admins of {organization.name} can {what}.")


def organization_require_admin(
    *, actor: Actor, organization: Organization, what: str
) -> None:
    """401 for anonymous callers, 403 unless the actor administers the
    organization (with a session or an unlimited write token)."""
    _require_admin(actor, organization, what=what)


def organization_member_set(
    *, actor: Actor, organization: Organization, username: str, role: str
) -> Membership:
    """Add ``username`` with ``role``, or change their role (admins)."""
    _require_admin(actor, organization)
    user = user_get_by_username(username=username)
    return membership_set(
        organization=organization, user=user, role=role, by=actor.user
    )


def organization_member_remove(
    *, actor: Actor, organization: Organization, username: str
) -> None:
    """Remove a member (admins; never the last admin)."""
    _require_admin(actor, organization)
    user = user_get_by_username(username=username)
    membership_remove(organization=organization, user=user, by=actor.user)


def organization_update_profile(
    *, actor: Actor, organization: Organization, display_name: str, description: str
) -> Organization:
    """Change the display name and description (admins)."""
    _require_admin(actor, organization, what="change its profile")
    return organization_update(
        organization=organization,
        by=actor.user,
        display_name=display_name,
        description=description,
    )
