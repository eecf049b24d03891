"""Single sign-on: the user behind a provider's identity, and the
organization memberships that the provider's groups grant.

Both OpenID Connect (hub.accounts.oidc) and LDAP (hub.accounts.ldap) end
here, so a user is created by the same rules as at sign-up
(``user_create``: a valid namespace nobody holds) and memberships change
through ``membership_set`` / ``membership_remove`` (and so reach the audit
log) whatever the provider.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils import timezone

from hub.accounts.memberships import membership_remove, membership_set
from hub.accounts.models import ExternalIdentity, Membership, Organization, User
from hub.accounts.services import user_create
from hub.core.errors import (
    ApplicationError,
    AuthenticationError,
    ConflictError,
    ValidationError,
)

logger = logging.getLogger(__name__)

# When several groups grant roles in one organization, the strongest wins.
_ROLE_RANK: dict[str, int] = {
    Membership.Role.READ: 0,
    Membership.Role.WRITE: 1,
    Membership.Role.ADMIN: 2,
}

GroupRoles = Mapping[str, Iterable[tuple[str, str]]]


class SsoSignInError(ApplicationError):
    """A provider vouched for someone this hub cannot sign in (yet)."""

    code = "sso_refused"
    http_status = 403


def _create_user(*, provider: str, username: str, email: str) -> User:
    source = ExternalIdentity.Provider(provider).label
    if not username:
        raise SsoSignInError(
            f"{source} did not send a username for this account, so no hub "
            "account can be made for it. Ask your administrator to check the "
            "username claim or attribute."
        )
    try:
        return user_create(username=username, email=email)
    except ConflictError:
        raise SsoSignInError(
            f"The username {username!r} that {source} gives you is already "
            "taken on this hub by another account or an organization. Ask an "
            "administrator to rename one of them; nothing was changed."
        ) from None
    except ValidationError as exc:
        raise SsoSignInError(
            f"The username {username!r} that {source} gives you cannot be "
            f"used here: {exc.message}"
        ) from None


@transaction.atomic
def sso_identity_resolve(
    *, provider: str, subject: str, username: str, email: str = ""
) -> ExternalIdentity:
    """The identity linked to ``(provider, subject)`` with its user; on the
    first sign-in creates the user (``user_create`` rules) and the link.

    Never links to an existing local account by name or e-mail (whoever
    controls the provider's username could otherwise take it over). Raises
    SsoSignInError for a missing, invalid or taken username,
    AuthenticationError for a disabled account.
    """
    if not subject:
        raise SsoSignInError("The provider sent no subject for this account.")
    identity = (
        ExternalIdentity.objects.select_for_update()
        .select_related("user")
        .filter(provider=provider, subject=subject)
        .first()
    )
    if identity is None:
        try:
            user = _create_user(provider=provider, username=username, email=email)
        except SsoSignInError:
            # Two first sign-ins at once (two tabs): the one that lost the
            # race for the name finds the other's link once it committed.
            identity = (
                ExternalIdentity.objects.select_related("user")
                .filter(provider=provider, subject=subject)
                .first()
            )
            if identity is None:
                raise
        else:
            identity = ExternalIdentity.objects.create(
                user=user, provider=provider, subject=subject
            )
    if not identity.user.is_active:
        raise AuthenticationError(
            "This account is disabled on this hub; ask an administrator."
        )
    identity.last_sign_in_at = timezone.now()
    identity.save(update_fields=["last_sign_in_at"])
    return identity


def _wanted_roles(groups: Iterable[str], mapping: GroupRoles) -> dict[str, str]:
    wanted: dict[str, str] = {}
    for group in groups:
        for org, role in mapping.get(group, ()):
            if org not in wanted or _ROLE_RANK[role] > _ROLE_RANK[wanted[org]]:
                wanted[org] = role
    return wanted


@transaction.atomic
def sso_memberships_sync(
    *, identity: ExternalIdentity, groups: Iterable[str], mapping: GroupRoles
) -> None:
    """Make the user's memberships follow the provider's ``groups``.

    Orgs the groups grant get the strongest granted role (added or changed);
    orgs an earlier sign-in granted that the groups no longer grant are left.
    Memberships the mapping never granted are not touched. An unknown org is
    skipped (logged); a membership whose removal would leave an org without
    an admin stays, managed, until another admin exists.
    """
    user, via = identity.user, identity.provider
    wanted = _wanted_roles(groups, mapping)
    orgs = {
        org.name: org
        for org in Organization.objects.filter(
            name__in=set(wanted) | set(identity.managed_organizations)
        )
    }
    managed: set[str] = set()
    for name, role in sorted(wanted.items()):
        if name not in orgs:
            logger.warning("sso: group mapping names unknown organization %r", name)
            continue
        membership_set(organization=orgs[name], user=user, role=role, via=via)
        managed.add(name)
    for name in sorted(set(identity.managed_organizations) - set(wanted)):
        org = orgs.get(name)
        if org is None:
            continue
        if not Membership.objects.filter(organization=org, user=user).exists():
            continue
        try:
            membership_remove(organization=org, user=user, via=via)
        except ValidationError as exc:  # the last admin stays
            logger.warning("sso: %s keeps %s: %s", user.username, name, exc.message)
            managed.add(name)
    identity.managed_organizations = sorted(managed)
    identity.save(update_fields=["managed_organizations"])
