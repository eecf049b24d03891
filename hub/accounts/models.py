from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from hub.core.errors import ValidationError
from hub.core.names import validate_namespace_name


def validate_username(value: str) -> None:
    """Django-form flavour of the namespace rules (used by createsuperuser)."""
    try:
        validate_namespace_name(value)
    except ValidationError as exc:
        raise DjangoValidationError(exc.message) from exc


class UserManager(DjangoUserManager["User"]):
    def _create_user(
        self, username: str, email: str | None, password: str | None, **extra: Any
    ) -> User:
        # Users made outside hub.accounts.services (createsuperuser) get their
        # namespace too; the services create users and namespaces themselves.
        with transaction.atomic(using=self.db):
            user = super()._create_user(  # type: ignore[misc]  # not in the stubs
                username, email, password, **extra
            )
            Namespace.objects.create(
                name=user.username, kind=Namespace.Kind.USER, user=user
            )
        return user


class User(AbstractUser):
    """A person. ``username`` is also the user's namespace (see Namespace)."""

    username = models.CharField(
        "username",
        max_length=96,
        unique=True,
        validators=[validate_username],
        help_text="1-96 letters, digits, '-', '_' or '.'; also the user's namespace.",
        error_messages={"unique": "A user with that username already exists."},
    )
    display_name = models.CharField(max_length=150, blank=True)
    # When the current ``email`` was confirmed by a link sent to it; cleared
    # when the address changes (hub/accounts/verification.py).
    email_verified_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()  # type: ignore[misc]  # the stubs type it ClassVar

    def __str__(self) -> str:
        return self.username


class Organization(models.Model):
    name = models.CharField(max_length=96, unique=True)
    display_name = models.CharField(max_length=150, blank=True)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(
        "accounts.User", through="accounts.Membership", related_name="organizations"
    )

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", "Admin"
        WRITE = "write", "Write"
        READ = "read", "Read"

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=8, choices=Role.choices, default=Role.READ)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"], name="membership_unique_user_per_org"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=["admin", "write", "read"]),
                name="membership_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organization} ({self.role})"


class Namespace(models.Model):
    """The one name space shared by users and organizations.

    A user and an organization can never hold the same name, whatever the
    case: the unique index on lower(name) enforces it for every writer.
    Repositories belong to a namespace.
    """

    class Kind(models.TextChoices):
        USER = "user", "User"
        ORGANIZATION = "org", "Organization"

    name = models.CharField(max_length=96, unique=True)
    kind = models.CharField(max_length=4, choices=Kind.choices)
    user = models.OneToOneField(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="namespace",
    )
    organization = models.OneToOneField(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="namespace",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("name"), name="namespace_name_ci_unique"),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="user", user__isnull=False, organization__isnull=True)
                    | models.Q(
                        kind="org", user__isnull=True, organization__isnull=False
                    )
                ),
                name="namespace_owner_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ApiToken(models.Model):
    """A personal access token. Only a SHA-256 digest of the secret is stored.

    Tokens are 256-bit random strings, so a fast digest is as safe as a slow
    password hash and keeps each authenticated request cheap. ``prefix`` (the
    first characters) lets a user recognise a token in a list.
    """

    class Scope(models.TextChoices):
        READ = "read", "Read"
        WRITE = "write", "Write"

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=5, choices=Scope.choices, default=Scope.READ)
    # Repo ids ("namespace/name") this token is limited to; empty = all the
    # user's repos. Stored as ids because catalog sits above accounts.
    repo_ids = models.JSONField(default=list, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The latest addresses it was used from (hub.accounts.token_addresses), so
    # the audit log records a use from a new one once, at no cost per request.
    seen_addresses = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scope__in=["read", "write"]),
                name="apitoken_scope_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.WRITE


class ExternalIdentity(models.Model):
    """A user's account at a single sign-on provider, linked by the
    provider's stable subject (OpenID ``sub``, LDAP entry DN), never by a
    mutable e-mail address or display name.

    ``managed_organizations`` names the organizations whose membership the
    provider's groups gave this user at the last sign-in: only those are
    changed or removed when the groups change; memberships an admin granted
    by hand stay.
    """

    class Provider(models.TextChoices):
        OIDC = "oidc", "OpenID Connect"
        LDAP = "ldap", "LDAP"

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="external_identities"
    )
    provider = models.CharField(max_length=8, choices=Provider.choices)
    subject = models.CharField(max_length=255)
    managed_organizations = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "subject"], name="external_identity_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(provider__in=["oidc", "ldap"]),
                name="external_identity_provider_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.provider} ({self.subject})"


class RecoveryCode(models.Model):
    """A one-time code that stands in for a lost two-factor device.

    Only a SHA-256 digest is stored: a code is 80 random bits, so, as for API
    tokens, a fast digest is as safe as a slow password hash.
    """

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="recovery_codes"
    )
    digest = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"recovery code of {self.user_id}"


class UserSession(models.Model):
    """A signed-in session of a user, for the list on /settings/sessions.

    Written at sign-in (``user_logged_in``), touched at most every
    HUB_SESSION_TOUCH_SECONDS; the session itself lives in Django's session
    store under ``session_key``, and revoking deletes it there.
    """

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"session of {self.user_id} since {self.created_at:%Y-%m-%d}"


class NamespaceQuota(models.Model):
    """Staff's override of one hub-wide quota (``HUB_QUOTA_*``) for a namespace.

    No row: the hub's default applies. ``limit`` NULL: unlimited for this
    namespace. Written only by ``hub.accounts.quotas.namespace_quota_set``,
    which records who changed it in the audit log.
    """

    class Kind(models.TextChoices):
        STORAGE = "storage", "Stored bytes"
        REPOS = "repos", "Repositories"
        FILE = "file", "File size"

    namespace = models.ForeignKey(
        "accounts.Namespace", on_delete=models.CASCADE, related_name="quotas"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    limit = models.BigIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["namespace", "kind"], name="namespacequota_one_per_kind"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["storage", "repos", "file"]),
                name="namespacequota_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(limit__isnull=True) | models.Q(limit__gte=0),
                name="namespacequota_limit_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.namespace} {self.kind}: {self.limit}"
