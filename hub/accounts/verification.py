"""E-mail addresses: changing one, and proving it is the user's.

A verification link carries the user and the address, signed with the
site's secret and timed (HUB_EMAIL_VERIFY_TIMEOUT_SECONDS). It verifies the
address only while it is still the account's address: after a change, links
sent to the old one are void. What an unverified address may not do: receive
a password reset (hub/accounts/recovery.py). A reset link is the account
itself, and an address nobody proved may be a typo or someone else's.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from hub.accounts.mail import mail_send
from hub.accounts.models import User
from hub.accounts.signin import password_confirm
from hub.audit.services import audit_record
from hub.core.errors import RateLimitedError, ValidationError
from hub.core.ratelimit import rate_parse, seconds_text, window_hit

SALT = "hub.accounts.email-verify"
BAD_LINK = (
    "This verification link is not valid any more (expired, or for an address "
    "the account no longer has). Send a new one from your account settings."
)


def email_is_verified(*, user: User) -> bool:
    return bool(user.email) and user.email_verified_at is not None


def email_verification_send(*, user: User) -> bool:
    """Mail a link that verifies the user's current address (after commit).
    False, and nothing sent, when there is no address or it is verified.
    RateLimitedError past HUB_EMAIL_VERIFY_RATE mails for this account."""
    if not user.email or user.email_verified_at is not None:
        return False
    hit = window_hit(
        f"email-verify:{user.pk}", rate_parse(str(settings.HUB_EMAIL_VERIFY_RATE))
    )
    if not hit.allowed:
        raise RateLimitedError(
            "Too many verification mails; try again in "
            f"{seconds_text(hit.retry_after)}.",
            retry_after=hit.retry_after,
        )
    token = signing.dumps({"u": user.pk, "e": user.email.lower()}, salt=SALT)
    url = settings.HUB_PUBLIC_URL + reverse("email-verify", args=[token])
    mail_send(
        to=user.email, template="email_verify", context={"user": user, "url": url}
    )
    return True


@transaction.atomic
def email_verify(*, token: str) -> User:
    """Mark the address of a valid link verified (again: harmless) and record
    ``auth.email_verify``. ValidationError for a tampered or expired link or
    an address the account no longer has."""
    try:
        data = signing.loads(
            token, salt=SALT, max_age=settings.HUB_EMAIL_VERIFY_TIMEOUT_SECONDS
        )
    except signing.BadSignature:  # SignatureExpired is one too
        raise ValidationError(BAD_LINK) from None
    if not isinstance(data, dict):
        raise ValidationError(BAD_LINK)
    user_id = data.get("u")
    if not isinstance(user_id, int):
        raise ValidationError(BAD_LINK)
    user = User.objects.select_for_update().filter(pk=user_id).first()
    if user is None or not user.email or user.email.lower() != data.get("e"):
        raise ValidationError(BAD_LINK)
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
        audit_record("auth.email_verify", actor=user, target=user.email)
    return user


@transaction.atomic
def email_change(*, user: User, email: str, password: str) -> bool:
    """Give the account a new address, proven by the current password; the
    new address is unverified until its link is followed (mailed now).
    Returns False when the address is the one it has. ValidationError for a
    wrong password or a malformed address."""
    if not password_confirm(user=user, password=password):
        raise ValidationError(
            "The password is not right.", details={"field": "password"}
        )
    email = User.objects.normalize_email(email.strip())
    if email.lower() == (user.email or "").lower():
        return False
    user.email = email
    user.email_verified_at = None
    try:
        user.full_clean(validate_unique=False, exclude=["password", "username"])
    except Exception as exc:  # Django's ValidationError: the address is malformed
        raise ValidationError("Enter a valid e-mail address.") from exc
    user.save(update_fields=["email", "email_verified_at"])
    audit_record("user.email_change", actor=user, target=email)
    email_verification_send(user=user)
    return True
