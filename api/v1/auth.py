"""Authentication for /api/v1: ``Authorization: Bearer <token>`` or a session.

A token's scope and repo restriction travel as ``request.auth`` (the
ApiToken) to the permission checks in hub/catalog/permissions.py.
"""

from __future__ import annotations

from typing import Any

from rest_framework import authentication, exceptions
from rest_framework.request import Request

from hub.accounts.services import token_authenticate
from hub.core.errors import AuthenticationError


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "bearer"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = authentication.get_authorization_header(request).decode(
            "latin-1", errors="replace"
        )
        if not header:
            return None
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != self.keyword:
            return None
        try:
            token = token_authenticate(secret=secret.strip())
        except AuthenticationError as exc:
            raise exceptions.AuthenticationFailed(exc.message) from None
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'
