"""Who may read the security audit log, and which of its events.

Staff read every event. An organisation's admins (who are not staff) read
the events that concern an organisation they administer, and nothing else.
Anyone else is refused: 401 without an account, 403 with one. A token may
read the log for its user only when it is not limited to some repos (such
a token reaches those repos and nothing about accounts or organisations);
a read token may, since reading is all this is.
"""

from __future__ import annotations

from django.db.models import QuerySet

from hub.accounts.actors import Actor, user_is_active
from hub.accounts.models import Membership, Organization
from hub.audit.models import AuditEvent
from hub.audit.queries import AuditQuery, audit_events_filter
from hub.core.errors import AuthenticationError, NotFoundError, PermissionDeniedError


def _require_reader(actor: Actor) -> None:
    if not actor.is_authenticated:
        raise AuthenticationError("Sign in (or send a token) to read the audit log.")
    if not user_is_active(actor.user):
        raise PermissionDeniedError("This account is inactive.")
    if actor.is_repo_limited:
        raise PermissionDeniedError(
            "This token is limited to some repositories and cannot read the "
            "audit log: use a token without a repository limit."
        )


def audit_log_is_staff_reader(*, actor: Actor) -> bool:
    """Whether the actor reads the whole log (staff, not through a
    repo-limited token)."""
    return (
        actor.is_authenticated
        and user_is_active(actor.user)
        and not actor.is_repo_limited
        and bool(actor.user.is_staff)
    )


def audit_log_organizations(*, actor: Actor) -> list[str]:
    """The organisations whose events the actor reads as their admin."""
    if not actor.is_authenticated or not user_is_active(actor.user):
        return []
    return list(
        Membership.objects.filter(user=actor.user, role=Membership.Role.ADMIN)
        .order_by("organization__name")
        .values_list("organization__name", flat=True)
    )


def audit_log_search(
    *, actor: Actor, query: AuditQuery, organization: Organization | None = None
) -> QuerySet[AuditEvent]:
    """The events the actor may read, narrowed by ``query``, newest first.

    Without ``organization``: the whole log (staff), or the events of the
    organisations the actor administers (their admins). With it: that
    organisation's events, for staff and its admins. 401 for anonymous
    callers, 403 for everyone else (and for repo-limited tokens).
    """
    _require_reader(actor)
    events = AuditEvent.objects.all()
    staff = audit_log_is_staff_reader(actor=actor)
    if organization is not None:
        if not staff and organization.name not in audit_log_organizations(actor=actor):
            raise PermissionDeniedError(
                f"Only admins of {organization.name} can read its audit log."
            )
        events = events.filter(organization=organization.name)
    elif not staff:
        names = audit_log_organizations(actor=actor)
        if not names:
            raise PermissionDeniedError(
                "Only staff and organisation admins can read the audit log."
            )
        events = events.filter(organization__in=names)
    return audit_events_filter(events, query)


def audit_log_organization(*, actor: Actor, name: str) -> Organization:
    """The organisation named ``name`` for its audit log; 404 when none is
    (checked after the caller may read some log at all, so a stranger
    learns nothing from the status)."""
    _require_reader(actor)
    organization = Organization.objects.filter(name__iexact=name).first()
    if organization is None:
        raise NotFoundError(f"No organization is named {name!r}.")
    return organization
