"""LDAP sign-in (django-auth-ldap, the ``[ldap]`` extra): the password form
of ``/login`` checks the password against the directory, through
``hub.accounts.signin.user_sign_in`` and so with its backoff.

The user is linked to the directory entry's DN (hub.accounts.sso), so a
local account that happens to have the same name is never taken over; it is
created by the sign-up rules on the first sign-in, and its memberships
follow the directory groups (``HUB_LDAP_GROUP_ROLES``) on every sign-in.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django_auth_ldap.backend import LDAPBackend

from hub.accounts.models import ExternalIdentity, User
from hub.accounts.sso import sso_identity_resolve, sso_memberships_sync


def _first(attrs: Any, name: str) -> str:
    values = (attrs or {}).get(name) or [""]
    return str(values[0])


class HubLdapBackend(LDAPBackend):
    """django-auth-ldap's backend, creating and linking users the hub's way."""

    def get_or_build_user(self, username: str, ldap_user: Any) -> tuple[User, bool]:
        identity = sso_identity_resolve(
            provider=ExternalIdentity.Provider.LDAP,
            subject=ldap_user.dn,
            username=_first(ldap_user.attrs, settings.HUB_LDAP_USERNAME_ATTR)
            or username,
            email=_first(ldap_user.attrs, settings.HUB_LDAP_EMAIL_ATTR),
        )
        ldap_user.hub_identity = identity
        # Not "built": the hub's user_create has made and saved it already.
        return identity.user, False

    def authenticate_ldap_user(self, ldap_user: Any, password: str) -> User | None:
        user: User | None = super().authenticate_ldap_user(ldap_user, password)
        if user is not None:
            sso_memberships_sync(
                identity=ldap_user.hub_identity,
                groups=ldap_user.group_names,
                mapping=settings.HUB_LDAP_GROUP_ROLES,
            )
        return user
