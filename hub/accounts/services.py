"""Writes for accounts: users, organizations and API tokens (memberships:
``hub.accounts.memberships``)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from hub.accounts.models import ApiToken, Membership, Namespace, Organization, User
from hub.accounts.selectors import namespace_name_is_taken
from hub.accounts.token_addresses import token_note_address
from hub.audit.services import audit_record
from hub.core.errors import (
    AuthenticationError,
    ConflictError,
    ValidationError,
)
from hub.core.names import (
    repo_typed_id_split,
    validate_namespace_name,
    validate_repo_part,
)

TOKEN_PREFIX = "mc_"
# Characters of the secret kept in clear so a user can recognise a token in a
# list: "mc_" plus 7 random characters, far too few to help guess the rest.
TOKEN_VISIBLE_CHARS = 10
# A busy token would otherwise write its row on every request; a minute is
# precise enough for "last used" in a token list.
LAST_USED_RESOLUTION = timedelta(minutes=1)
# Real secrets are 46 characters; anything much longer is not one of ours and
# is refused before it is hashed.
MAX_SECRET_LENGTH = 256
INVALID_CREDENTIALS = "Invalid credentials in Authorization header"


def _full_clean(obj: models.Model) -> None:
    """Run model validation, reporting failures as the hub's ValidationError."""
    try:
        # Uniqueness is left to the database (and the name check before it).
        obj.full_clean(validate_unique=False)
    except DjangoValidationError as exc:
        raise ValidationError(
            "; ".join(exc.messages), details=getattr(exc, "message_dict", {})
        ) from exc


def _name_taken(name: str) -> ConflictError:
    return ConflictError(
        f"The name {name!r} is already taken by a user or an organization."
    )


def _namespace_name_check(name: str) -> None:
    """Validate a new user or organization name and make sure nobody holds it."""
    validate_namespace_name(name)
    if namespace_name_is_taken(name=name):
        raise _name_taken(name)


def _save_new_namespace_owner(*rows: models.Model, name: str) -> None:
    """Insert the owner and its Namespace; a concurrent claim is ConflictError."""
    try:
        # A savepoint, so that a caller who catches the ConflictError still has
        # a usable transaction.
        with transaction.atomic():
            for row in rows:
                row.save()
    except IntegrityError as exc:
        # Another request took the name between the check and the insert: the
        # unique index on lower(Namespace.name) is the real guard.
        raise _name_taken(name) from exc


@transaction.atomic
def user_create(
    *,
    username: str,
    email: str = "",
    password: str | None = None,
    is_staff: bool = False,
    by: User | None = None,
) -> User:
    """Create a user and their namespace (unusable password when None).

    Records ``user.create`` (``by`` the staff member or user who did it;
    none for a self-service sign-up or a command).

    Raises ValidationError for an invalid or reserved name or a bad e-mail,
    ConflictError when a user or organization holds the name in any case.
    """
    _namespace_name_check(username)
    user = User(
        username=username,
        email=User.objects.normalize_email(email),
        is_staff=is_staff,
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    _full_clean(user)
    namespace = Namespace(name=username, kind=Namespace.Kind.USER, user=user)
    _save_new_namespace_owner(user, namespace, name=username)
    audit_record(
        "user.create",
        actor=by,
        target=user.username,
        details={"is_staff": True} if is_staff else None,
    )
    return user


@transaction.atomic
def user_privileges_set(
    *, user: User, is_staff: bool, is_superuser: bool, by: User | None
) -> None:
    """Make the user staff or superuser, or take it away; a change is
    recorded (``user.privileges``, with what it was and what it is)."""
    previous = {"is_staff": user.is_staff, "is_superuser": user.is_superuser}
    now = {"is_staff": is_staff, "is_superuser": is_superuser}
    if previous == now:
        return
    user.is_staff, user.is_superuser = is_staff, is_superuser
    user.save(update_fields=["is_staff", "is_superuser"])
    audit_record(
        "user.privileges",
        actor=by,
        target=user.username,
        details={"previous": previous, "now": now},
    )


@transaction.atomic
def organization_create(
    *, name: str, creator: User, display_name: str = ""
) -> Organization:
    """Create an organization and its namespace, with the creator as its admin.

    Records ``org.create``. Raises ValidationError for an invalid or
    reserved name or an inactive creator, ConflictError when a user or
    organization holds the name.
    """
    if not creator.is_active:
        raise ValidationError("An inactive user cannot create an organization.")
    _namespace_name_check(name)
    organization = Organization(name=name, display_name=display_name)
    _full_clean(organization)
    namespace = Namespace(
        name=name, kind=Namespace.Kind.ORGANIZATION, organization=organization
    )
    _save_new_namespace_owner(organization, namespace, name=name)
    Membership.objects.create(
        organization=organization, user=creator, role=Membership.Role.ADMIN
    )
    audit_record(
        "org.create", actor=creator, organization=organization.name, target=name
    )
    return organization


ORGANIZATION_DESCRIPTION_MAX = 2000


@transaction.atomic
def organization_update(
    *,
    organization: Organization,
    by: User | None,
    display_name: str,
    description: str,
) -> Organization:
    """Change the organization's display name and description (recorded in
    the audit log when anything changed). Raises ValidationError for a
    display name over 150 or a description over 2000 characters."""
    display_name, description = display_name.strip(), description.strip()
    if len(description) > ORGANIZATION_DESCRIPTION_MAX:
        raise ValidationError(
            f"The description is at most {ORGANIZATION_DESCRIPTION_MAX} characters."
        )
    changed = [
        field
        for field, value in (
            ("display_name", display_name),
            ("description", description),
        )
        if getattr(organization, field) != value
    ]
    organization.display_name = display_name
    organization.description = description
    _full_clean(organization)
    if changed:
        organization.save(update_fields=changed)
        audit_record(
            "org.update",
            actor=by,
            organization=organization.name,
            details={"fields": changed},
        )
    return organization


def _token_digest(secret: str) -> str:
    # surrogatepass: a malformed header must fail to authenticate, not crash.
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def _clean_repo_ids(repo_ids: list[str]) -> list[str]:
    """Validate typed repo ids (``namespace/name`` for a model,
    ``datasets/namespace/name``, ``spaces/namespace/name``); returns them
    without duplicates."""
    if isinstance(repo_ids, str):
        # A lone string would otherwise be read as a list of characters.
        raise ValidationError("repo_ids must be a list of 'namespace/name' ids.")
    cleaned: list[str] = []
    for repo_id in repo_ids:
        split = repo_typed_id_split(repo_id) if isinstance(repo_id, str) else None
        if split is None:
            raise ValidationError(
                f"The repo id {repo_id!r} must have the form 'namespace/name' "
                "(a model), 'datasets/namespace/name' or 'spaces/namespace/name'."
            )
        _, namespace, name = split
        validate_repo_part(namespace, what="namespace")
        validate_repo_part(name, what="repository name")
        if repo_id not in cleaned:
            cleaned.append(repo_id)
    return cleaned


def _token_details(token: ApiToken) -> dict[str, object]:
    return {
        "token": token.name,
        "prefix": token.prefix,
        "scope": token.scope,
        "repo_ids": list(token.repo_ids),
    }


@transaction.atomic
def token_create(
    *,
    user: User,
    name: str,
    scope: str = ApiToken.Scope.READ,
    expires_at: datetime | None = None,
    repo_ids: list[str] | None = None,
    by: User | None = None,
) -> tuple[ApiToken, str]:
    """Create an API token; returns the row and its secret, shown only this once.

    Only the SHA-256 digest and the first characters of the secret are
    stored. Records ``token.create`` (``by`` whom: the user themselves on
    the web and the API, none from a command). Raises ValidationError for an
    inactive user, an empty name, an unknown scope, an expiry that is naive
    or not in the future, or a malformed repo id.
    """
    if not user.is_active:
        raise ValidationError(f"{user.username!r} is inactive and cannot get a token.")
    name = (name or "").strip()
    if not name:
        raise ValidationError("A token needs a name.")
    if scope not in ApiToken.Scope.values:
        raise ValidationError(
            f"Unknown token scope {scope!r}: use one of "
            f"{', '.join(ApiToken.Scope.values)}."
        )
    if expires_at is not None:
        if timezone.is_naive(expires_at):
            raise ValidationError("The expiry must be a timezone-aware datetime.")
        if expires_at <= timezone.now():
            raise ValidationError("The expiry must be in the future.")
    cleaned_repo_ids = _clean_repo_ids(repo_ids or [])

    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        scope=scope,
        expires_at=expires_at,
        repo_ids=cleaned_repo_ids,
        prefix=secret[:TOKEN_VISIBLE_CHARS],
        digest=_token_digest(secret),
    )
    _full_clean(token)
    token.save()
    audit_record(
        "token.create", actor=by, target=user.username, details=_token_details(token)
    )
    return token, secret


@transaction.atomic
def token_revoke(*, token: ApiToken, by: User | None = None) -> None:
    """Revoke the token from now on. Idempotent: keeps the first revocation
    time, and records ``token.revoke`` (``by`` whom) only the first time."""
    now = timezone.now()
    # Conditional, so that a second revocation does not move revoked_at.
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=now
    )
    if updated:
        token.revoked_at = now
        audit_record(
            "token.revoke",
            actor=by,
            target=token.user.username,
            details=_token_details(token),
        )
    else:
        token.refresh_from_db(fields=["revoked_at"])


def token_authenticate(*, secret: str) -> ApiToken:
    """The active token for this secret, with its user loaded.

    Records the use in last_used_at (at most once a minute), and a use from
    an address the token was not seen from in the audit log. Raises
    AuthenticationError for an unknown, revoked or expired token or an
    inactive user.
    """
    if not isinstance(secret, str) or not secret or len(secret) > MAX_SECRET_LENGTH:
        raise AuthenticationError(INVALID_CREDENTIALS)
    # No constant-time comparison is needed: the database compares digests,
    # not secrets. Timing could at most reveal how much of a guessed digest
    # matches a stored one, and since SHA-256 cannot be steered, that tells
    # an attacker nothing about the secret.
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_token_digest(secret))
        .first()
    )
    if token is None or not token.is_active or not token.user.is_active:
        raise AuthenticationError(INVALID_CREDENTIALS)

    now = timezone.now()
    threshold = now - LAST_USED_RESOLUTION
    if token.last_used_at is None or token.last_used_at < threshold:
        # Conditional, so that concurrent requests with the same token write
        # the row once, and the check above spares recent tokens the query.
        updated = (
            ApiToken.objects.filter(pk=token.pk)
            .filter(
                models.Q(last_used_at__isnull=True)
                | models.Q(last_used_at__lt=threshold)
            )
            .update(last_used_at=now)
        )
        if updated:
            token.last_used_at = now
    token_note_address(token=token)
    return token
