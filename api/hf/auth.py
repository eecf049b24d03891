"""Bearer-token authentication for the HF protocol face.

Every request may carry ``Authorization: Bearer <token>``. No token means an
anonymous caller; an unknown, revoked or expired token is a 401 whose
``X-Error-Message`` is the exact text the client recognises.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from hub.accounts.actors import Actor
from hub.accounts.services import token_authenticate
from hub.core.errors import AuthenticationError

# The HF views' name for the actor they pass to services.
Caller = Actor


def caller_from_request(request: HttpRequest) -> Caller:
    """Authenticate the request; raises AuthenticationError for a bad token."""
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if not header:
        # A browser session counts for downloads only: these views are exempt
        # from CSRF, so a cookie must never authorize a write.
        user = getattr(request, "user", None)
        if (
            request.method in ("GET", "HEAD")
            and user is not None
            and user.is_authenticated
        ):
            return Caller(user=user, token=None)
        return Caller(user=AnonymousUser(), token=None)
    if scheme.lower() != "bearer" or not secret.strip():
        raise AuthenticationError("Invalid credentials in Authorization header")
    token = token_authenticate(secret=secret.strip())
    return Caller(user=token.user, token=token)
