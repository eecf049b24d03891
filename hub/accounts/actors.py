"""Who is acting: the one value every use-case service takes for permissions.

A face (HF protocol, ``/api/v1``, web pages, tasks) builds an ``Actor`` from
its request and hands it to a service; the service decides what the actor
may do (``hub.catalog.permissions``). No face decides for itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser

from hub.accounts.models import ApiToken


def user_is_active(user: Any) -> bool:
    """Signed in with an account that is not banned or deactivated: the one
    test of "an active user" every rule starts from."""
    return (
        user is not None
        and bool(getattr(user, "is_authenticated", False))
        and bool(user.is_active)
    )


@dataclass(frozen=True)
class Actor:
    """A user (maybe anonymous) and the token they used, if any.

    The token narrows the user: a read token never writes, and a token
    limited to named repos confers nothing beyond anonymous elsewhere.
    """

    user: Any
    token: ApiToken | None = None

    @classmethod
    def anonymous(cls) -> Actor:
        return cls(user=AnonymousUser(), token=None)

    @classmethod
    def of(cls, user: Any, token: ApiToken | None = None) -> Actor:
        """The actor for a request's user (None or anonymous: anonymous)."""
        if user is None:
            return cls.anonymous()
        return cls(user=user, token=token)

    @property
    def is_authenticated(self) -> bool:
        return bool(getattr(self.user, "is_authenticated", False))

    @property
    def is_read_only(self) -> bool:
        """A read-scope token: it never writes, whatever its user may do."""
        return self.token is not None and not self.token.can_write

    @property
    def is_repo_limited(self) -> bool:
        return self.token is not None and bool(self.token.repo_ids)
