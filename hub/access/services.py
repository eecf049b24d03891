"""Access to gated repos: a user accepts the license terms (``license_accept``),
and in ``manual`` mode a maintainer decides (``access_request_decide``).

The gate in force is ``hub.catalog.permissions.repo_gate_mode``: the owner's
setting, or ``auto`` when the card's license requires acceptance. These
services sit on top of the catalog (they read repos and their permissions)
and of the notifications; the catalog itself only reads ``LicenseAcceptance``
rows (``hub.licenses.models``, below it).
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from hub.accounts.models import Namespace, User
from hub.audit.services import audit_record
from hub.catalog.models import ModelRepo
from hub.catalog.permissions import (
    namespace_role,
    repo_admin_users,
    repo_can_admin,
    repo_can_read,
    repo_gate_mode,
)
from hub.core.errors import PermissionDeniedError, ValidationError
from hub.licenses.models import LicenseAcceptance
from hub.notifications.services import notification_create, notifications_fan_out

MAX_FIELDS = 10
MAX_FIELD_LENGTH = 500


def _clean_fields(fields: Any) -> dict[str, str]:
    if fields is None:
        return {}
    if not isinstance(fields, dict):
        raise ValidationError("Access request fields must be an object of strings.")
    if len(fields) > MAX_FIELDS:
        raise ValidationError(f"At most {MAX_FIELDS} access request fields.")
    cleaned: dict[str, str] = {}
    for key, value in fields.items():
        if not isinstance(key, str) or not isinstance(value, str | int | float | bool):
            raise ValidationError("Access request fields must be an object of strings.")
        text = str(value).strip()
        if len(key) > 100 or len(text) > MAX_FIELD_LENGTH:
            raise ValidationError(
                f"An access request field is at most {MAX_FIELD_LENGTH} characters."
            )
        cleaned[key.strip()] = text
    return cleaned


def _gate_for_request(*, repo: ModelRepo, user: User) -> str:
    """The gate in force for a user who may ask for access; raises when
    the user may not ask (anonymous, cannot read, not gated, a member)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDeniedError("Sign in to accept the license and get access.")
    if not repo_can_read(user=user, repo=repo):
        raise PermissionDeniedError(f"You cannot access {repo.full_name}.")
    mode = repo_gate_mode(repo=repo)
    if mode == repo.Gated.OFF:
        raise ValidationError(f"{repo.full_name} is not gated: no request is needed.")
    if namespace_role(user=user, namespace=repo.namespace) is not None:
        raise ValidationError(
            f"You are a member of {repo.namespace.name}: you already have access."
        )
    return mode


@transaction.atomic
def license_accept(
    *, repo: ModelRepo, user: User, fields: dict[str, Any] | None = None
) -> LicenseAcceptance:
    """Accept a gated repo's terms: access at once (auto) or a pending request
    for the maintainers (manual, admins notified).

    Idempotent for an accepted or pending request. Raises ValidationError
    when the repo is not gated or the caller maintains it, and
    PermissionDeniedError for an anonymous user, a repo the user cannot read
    or a request the maintainers rejected.
    """
    mode = _gate_for_request(repo=repo, user=user)
    cleaned = _clean_fields(fields)
    existing = (
        LicenseAcceptance.objects.select_for_update()
        .filter(repo=repo, user=user)
        .first()
    )
    if existing is not None:
        if existing.status == LicenseAcceptance.Status.REJECTED:
            raise PermissionDeniedError(
                f"The maintainers of {repo.full_name} rejected your access request."
            )
        return existing
    now = timezone.now()
    accepted = mode == repo.Gated.AUTO
    acceptance = LicenseAcceptance(
        repo=repo,
        user=user,
        status=(
            LicenseAcceptance.Status.ACCEPTED
            if accepted
            else LicenseAcceptance.Status.PENDING
        ),
        license_id=repo.license,
        fields=cleaned,
        decided_at=now if accepted else None,
    )
    try:
        with transaction.atomic():
            acceptance.save()
    except IntegrityError:  # a concurrent request of the same user won
        return LicenseAcceptance.objects.get(repo=repo, user=user)
    if not accepted:
        notifications_fan_out(
            recipients=repo_admin_users(repo=repo),
            kind="access_request",
            actor=user,
            repo=repo,
            text=f"{user.username} asks for access to {repo.full_name}.",
            url=f"/{repo.typed_id}/access-requests",
        )
    return acceptance


@transaction.atomic
def access_request_decide(
    *, repo: ModelRepo, actor: User, user: User, status: str
) -> LicenseAcceptance:
    """A repo admin accepts, rejects or resets (pending) a user's request.

    Accepting a user without a request grants access (as HF's "grant").
    The user is notified and the decision recorded (``repo.access_decision``).
    PermissionDeniedError unless the actor administers
    the repo; ValidationError for an unknown status.
    """
    if not repo_can_admin(user=actor, repo=repo):
        raise PermissionDeniedError(
            f"Only admins of {repo.full_name} may decide access requests."
        )
    if status not in LicenseAcceptance.Status.values:
        raise ValidationError(
            f"Unknown status {status!r}: use accepted, rejected or pending."
        )
    acceptance = (
        LicenseAcceptance.objects.select_for_update()
        .filter(repo=repo, user=user)
        .first()
    )
    if acceptance is None:
        if status != LicenseAcceptance.Status.ACCEPTED:
            raise ValidationError(f"{user.username} has not asked for access.")
        acceptance = LicenseAcceptance(repo=repo, user=user, license_id=repo.license)
    if acceptance.status == status and acceptance.pk is not None:
        return acceptance
    audit_record(
        "repo.access_decision",
        actor=actor,
        organization=(
            repo.namespace.name
            if repo.namespace.kind == Namespace.Kind.ORGANIZATION
            else ""
        ),
        repo=repo.full_name,
        target=user.username,
        details={"status": status, "previous": acceptance.status or ""},
    )
    acceptance.status = status
    pending = status == LicenseAcceptance.Status.PENDING
    acceptance.decided_at = None if pending else timezone.now()
    acceptance.decided_by = None if pending else actor
    acceptance.save()
    if not pending:
        verdict = "granted" if status == LicenseAcceptance.Status.ACCEPTED else "denied"
        notification_create(
            recipient=user,
            kind="access_request",
            actor=actor,
            repo=repo,
            text=f"Your access to {repo.full_name} was {verdict}.",
            url=f"/{repo.typed_id}",
        )
    return acceptance
