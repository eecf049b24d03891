"""Reads for accounts: users, namespaces, organization roles and tokens."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from hub.accounts.models import ApiToken, Membership, Namespace, Organization, User
from hub.core.errors import NotFoundError

# Roles that may create and push to an organization's repositories.
WRITE_ROLES = (Membership.Role.ADMIN, Membership.Role.WRITE)


def user_get_by_username(*, username: str) -> User:
    """The user with this name, whatever the case; raises NotFoundError."""
    # An exact match wins: users made outside the services (createsuperuser)
    # are unique only case-sensitively, so "Ann" and "ann" may both exist.
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.filter(username__iexact=username).order_by("pk").first()
    if user is None:
        raise NotFoundError(f"No user is named {username!r}.")
    return user


def namespace_name_is_taken(*, name: str) -> bool:
    """Whether a user, an organization or a namespace holds ``name`` (any case)."""
    # Namespace alone would do for rows written by the services; users and
    # organizations are checked too so that rows made by other means (the
    # createsuperuser command, a shell) still block the name.
    return (
        Namespace.objects.filter(name__iexact=name).exists()
        or User.objects.filter(username__iexact=name).exists()
        or Organization.objects.filter(name__iexact=name).exists()
    )


def namespace_get(*, name: str) -> Namespace:
    """The namespace with this name, whatever the case; raises NotFoundError."""
    namespace = (
        Namespace.objects.select_related("user", "organization")
        .filter(name__iexact=name)
        .first()
    )
    if namespace is None:
        raise NotFoundError(f"No user or organization is named {name!r}.")
    return namespace


def namespace_list_writable(*, user: User | AnonymousUser) -> QuerySet[Namespace]:
    """Namespaces the user may create repos in: their own, and orgs where they
    are an admin or a writer. Empty for anonymous and inactive users."""
    if not user.is_authenticated or not user.is_active:
        return Namespace.objects.none()
    # A subquery rather than a join through memberships, so that each
    # namespace appears once without DISTINCT.
    org_ids = Membership.objects.filter(user=user, role__in=WRITE_ROLES).values(
        "organization_id"
    )
    return (
        Namespace.objects.filter(Q(user=user) | Q(organization_id__in=org_ids))
        .select_related("user", "organization")
        .order_by("kind", "name")  # "org" sorts before "user"
    )


def organization_role(
    *, organization: Organization, user: User | AnonymousUser
) -> str | None:
    """The user's role in the organization (a Membership.Role value), or None."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(organization=organization, user=user)
        .values_list("role", flat=True)
        .first()
    )


def membership_list(*, organization: Organization) -> QuerySet[Membership]:
    """The organization's memberships with their users, by username."""
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("user__username")
    )


def token_list(*, user: User) -> QuerySet[ApiToken]:
    """The user's tokens, newest first, without loading their digests."""
    # The digest is not secret the way the token is, but it is a lookup key
    # for authentication: list views have no reason to load or show it.
    return (
        ApiToken.objects.filter(user=user)
        .defer("digest")
        .order_by("-created_at", "-pk")
    )
