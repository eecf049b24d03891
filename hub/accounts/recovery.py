"""Passwords: changing one, and resetting a forgotten one by e-mail.

A reset link is Django's ``default_token_generator`` token: bound to the
user's current password hash, last sign-in and address, and timed
(PASSWORD_RESET_TIMEOUT). It works once (the new password voids it) and
not after it expires; a tampered one fails its HMAC.

Asking for a reset answers the same whatever the address: mail goes out
after the answer (hub/accounts/mail.py), and only to accounts whose address
is verified (hub/accounts/verification.py says why). Requests are limited
per address asked for and per client (hub.core.ratelimit); the limit counts
every address, so it tells nothing either.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from hub.accounts.mail import mail_send
from hub.accounts.models import User
from hub.accounts.sessions import sessions_revoke_others
from hub.accounts.signin import password_confirm
from hub.audit.services import audit_record
from hub.core.errors import RateLimitedError, ValidationError
from hub.core.ratelimit import rate_parse, seconds_text, window_hit


def _password_check(user: User, password: str) -> None:
    try:
        validate_password(password, user=user)
    except DjangoValidationError as exc:
        raise ValidationError(" ".join(exc.messages)) from exc


@transaction.atomic
def password_change(
    *, user: User, old_password: str, new_password: str, keep_session_key: str | None
) -> None:
    """Set a new password, proven by the old one; every other session of
    the user is signed out (the caller keeps its own with
    ``update_session_auth_hash``). ValidationError for a wrong old password
    or a new one the validators refuse; nothing changes then."""
    if not password_confirm(user=user, password=old_password):
        raise ValidationError(
            "Your current password is not right.", details={"field": "old_password"}
        )
    _password_check(user, new_password)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    sessions_revoke_others(user=user, keep_session_key=keep_session_key, record=False)
    audit_record("auth.password_change", actor=user, target=user.username)


def _limit(kind: str, ident: str, rate_text: str) -> None:
    digest = hashlib.sha256(ident.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    hit = window_hit(f"pwreset:{kind}:{digest}", rate_parse(rate_text))
    if not hit.allowed:
        raise RateLimitedError(
            "Too many password reset requests; try again in "
            f"{seconds_text(hit.retry_after)}.",
            retry_after=hit.retry_after,
        )


def password_reset_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.HUB_PUBLIC_URL + reverse(
        "password-reset-confirm", kwargs={"uidb64": uid, "token": token}
    )


@transaction.atomic
def password_reset_request(*, email: str, ip: str) -> None:
    """Mail a reset link to each active account whose verified address is
    ``email`` and that has a password (after commit). Answers the same for
    any address; records ``auth.password_reset_request`` for each account
    mailed. RateLimitedError past the per-client or per-address rate."""
    email = email.strip()
    _limit("ip", ip, str(settings.HUB_PASSWORD_RESET_RATE_PER_IP))
    _limit("address", email.lower(), str(settings.HUB_PASSWORD_RESET_RATE_PER_ADDRESS))
    users = User.objects.filter(
        email__iexact=email, is_active=True, email_verified_at__isnull=False
    )
    for user in users:
        if not user.has_usable_password():
            continue  # signs in elsewhere (single sign-on): nothing to reset
        audit_record("auth.password_reset_request", target=user.username)
        mail_send(
            to=user.email,
            template="password_reset",
            context={"user": user, "url": password_reset_link(user)},
        )


@transaction.atomic
def password_reset_complete(*, user: User, new_password: str) -> None:
    """Set the password of a user who followed a valid reset link (the face
    checked the token); every session of the user is signed out.
    ValidationError for a password the validators refuse."""
    _password_check(user, new_password)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    sessions_revoke_others(user=user, keep_session_key=None, record=False)
    audit_record("auth.password_reset", actor=user, target=user.username)
