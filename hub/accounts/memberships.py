"""Writes for organisation memberships: add, change a role, remove.

Each change is recorded in the audit log, ``by`` whom (or ``via`` a single
sign-on source); an organisation always keeps an active admin.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from hub.accounts.models import Membership, Organization, User
from hub.audit.services import audit_record
from hub.core.errors import NotFoundError, ValidationError


def _lock_organization(organization: Organization) -> None:
    """Serialise membership changes of one organization.

    Without the lock, two admins demoting each other at the same time would
    each see the other as the remaining admin, and the org would have none.
    """
    if not Organization.objects.select_for_update().filter(pk=organization.pk).exists():
        raise NotFoundError(f"The organization {organization.name!r} no longer exists.")


def _ensure_another_admin(*, organization: Organization, user: User) -> None:
    """Raise ValidationError unless an active admin other than ``user`` remains."""
    others = Membership.objects.filter(
        organization=organization,
        role=Membership.Role.ADMIN,
        user__is_active=True,
    ).exclude(user=user)
    if not others.exists():
        raise ValidationError(
            f"{user.username!r} is the last admin of {organization.name!r}: "
            "make another member an admin first."
        )


def _member_audit(
    action: str,
    *,
    by: User | None,
    organization: Organization,
    user: User,
    **extra: Any,
) -> None:
    audit_record(
        action,
        actor=by,
        organization=organization.name,
        target=user.username,
        details={key: value for key, value in extra.items() if value},
    )


@transaction.atomic
def membership_set(
    *,
    organization: Organization,
    user: User,
    role: str,
    by: User | None = None,
    via: str = "",
) -> Membership:
    """Add the user to the organization with ``role``, or change their role.

    Idempotent; a change is recorded in the audit log (``by`` whom; ``via`` names a
    single sign-on source acting without an actor). Raises ValidationError
    for an unknown role or when the change would leave the organization
    without an active admin.
    """
    if role not in Membership.Role.values:
        raise ValidationError(
            f"Unknown role {role!r}: use one of {', '.join(Membership.Role.values)}."
        )
    _lock_organization(organization)
    membership = Membership.objects.filter(organization=organization, user=user).first()
    if membership is None:
        membership = Membership.objects.create(
            organization=organization, user=user, role=role
        )
        _member_audit(
            "org.member_set",
            by=by,
            organization=organization,
            user=user,
            role=role,
            via=via,
        )
        return membership
    if membership.role == role:
        return membership
    if membership.role == Membership.Role.ADMIN:
        _ensure_another_admin(organization=organization, user=user)
    previous, membership.role = membership.role, role
    membership.save(update_fields=["role"])
    _member_audit(
        "org.member_set",
        by=by,
        organization=organization,
        user=user,
        role=role,
        previous=previous,
        via=via,
    )
    return membership


@transaction.atomic
def membership_remove(
    *,
    organization: Organization,
    user: User,
    by: User | None = None,
    via: str = "",
) -> None:
    """Remove the user from the organization, recorded in the audit log.

    Raises NotFoundError when they are not a member, ValidationError when they
    are its last active admin.
    """
    _lock_organization(organization)
    membership = Membership.objects.filter(organization=organization, user=user).first()
    if membership is None:
        raise NotFoundError(
            f"{user.username!r} is not a member of {organization.name!r}."
        )
    if membership.role == Membership.Role.ADMIN:
        _ensure_another_admin(organization=organization, user=user)
    membership.delete()
    _member_audit(
        "org.member_remove",
        by=by,
        organization=organization,
        user=user,
        role=membership.role,
        via=via,
    )
