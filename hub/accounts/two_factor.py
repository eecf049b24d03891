"""Two-factor sign-in with TOTP (django-otp's TOTP device) and recovery codes.

Enrolment makes an unconfirmed device, shows its secret (QR code and text)
and confirms it with a first code; confirming gives ten recovery codes,
shown once and stored as digests. A code is accepted once: django-otp keeps
the last time step used, so the same code (or an older one) is refused
(no replay), and each wrong code makes the device wait 1 s, 2 s, 4 s, ...
before the next try (``OTP_TOTP_THROTTLE_FACTOR``).

Signing in with a device is two steps: the password step leaves only a
*pending* mark in the anonymous session (``signin_pending_start``); the
session is signed in (``django.contrib.auth.login``) only after a right
code (``signin_code_check``). API tokens are not touched by any of this.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from typing import Any

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from hub.accounts.models import RecoveryCode, User
from hub.accounts.sessions import sessions_revoke_others
from hub.audit.services import audit_record
from hub.core.errors import AuthenticationError, RateLimitedError, ValidationError

RECOVERY_CODES = 10
PENDING = "_hub_2fa_pending"
# Set on a staff session that must enrol before anything else.
ENROL_DUE = "_hub_2fa_enrol"
# Wrong codes one password step may spend before the password is asked again
# (on top of the device's own growing waits).
PENDING_MAX_FAILURES = 10
WRONG_CODE = "That code is not right. Enter the 6 digits your app shows now."


def _digest(code: str) -> str:
    plain = "".join(ch for ch in code.lower() if ch.isalnum())
    return hashlib.sha256(plain.encode()).hexdigest()


def _clean_totp(code: str) -> str:
    return "".join(ch for ch in code if not ch.isspace())


def two_factor_device(*, user: Any) -> TOTPDevice | None:
    """The user's confirmed TOTP device, or None (two-factor off)."""
    if not getattr(user, "pk", None):
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def two_factor_enabled(*, user: Any) -> bool:
    return two_factor_device(user=user) is not None


def two_factor_required(*, user: Any) -> bool:
    """Whether the hub demands a device of this user (staff, by setting)."""
    return bool(user.is_staff) and settings.HUB_STAFF_REQUIRE_2FA


def totp_enrol_start(*, user: User) -> TOTPDevice:
    """The unconfirmed device whose secret the enrolment page shows (the same
    one on every visit until confirmed). ValidationError if already on."""
    if two_factor_enabled(user=user):
        raise ValidationError("Two-factor authentication is already on.")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name="Authenticator app", confirmed=False
        )
    return device


def totp_secret_text(device: TOTPDevice) -> str:
    """The secret as an app expects it typed: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_qr_svg(device: TOTPDevice) -> str:
    """The ``otpauth://`` URI as an inline SVG QR code (no request leaves)."""
    qr = segno.make(device.config_url, error="m")
    return qr.svg_inline(scale=4, dark="#111", light="#fff", title="QR code")


def _recovery_codes_replace(user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = base64.b32encode(secrets.token_bytes(10)).decode().lower()
        codes.append("-".join(raw[i : i + 4] for i in range(0, 16, 4)))
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, digest=_digest(code)) for code in codes
    )
    return codes


def _throttle_check(device: TOTPDevice) -> None:
    allowed, info = device.verify_is_allowed()
    if not allowed:
        locked_until = (info or {}).get("locked_until")
        wait = 1
        if locked_until is not None:
            wait = max(1, int((locked_until - timezone.now()).total_seconds()) + 1)
        raise RateLimitedError(
            f"Too many wrong codes; try again in {wait} seconds.", retry_after=wait
        )


def _code_accept(user: User, device: TOTPDevice, code: str) -> bool:
    """A right TOTP code (never one used before) or an unused recovery code;
    a wrong one counts against the device's throttle."""
    _throttle_check(device)
    if device.verify_token(_clean_totp(code)):
        return True
    used = RecoveryCode.objects.filter(
        user=user, digest=_digest(code), used_at__isnull=True
    ).update(used_at=timezone.now())
    if used:
        device.throttle_reset()
        return True
    # verify_token counted the failure unless the code was malformed.
    return False


def totp_enrol_confirm(
    *, user: User, code: str, keep_session_key: str | None
) -> tuple[TOTPDevice, list[str]]:
    """Turn two-factor on with the first code of the pending device; returns
    the device and the recovery codes (their only appearance). Every other
    session of the user is signed out. ValidationError for a wrong code (it
    counts against the device's throttle: no transaction undoes that)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or two_factor_enabled(user=user):
        raise ValidationError("Start the enrolment again: reload the page.")
    _throttle_check(device)
    if not device.verify_token(_clean_totp(code)):
        raise ValidationError(WRONG_CODE)
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _recovery_codes_replace(user)
        sessions_revoke_others(
            user=user, keep_session_key=keep_session_key, record=False
        )
        audit_record("auth.totp_enable", actor=user, target=user.username)
    return device, codes


def totp_disable(*, user: User, code: str) -> None:
    """Turn two-factor off, proven by a current code or a recovery code.
    Refused for staff while HUB_STAFF_REQUIRE_2FA is on. A wrong code is
    recorded (``auth.totp_failed``) and counts against the throttle."""
    if two_factor_required(user=user):
        raise ValidationError("Staff accounts must keep two-factor authentication on.")
    device = two_factor_device(user=user)
    if device is None:
        raise ValidationError("Two-factor authentication is already off.")
    if not _code_accept(user, device, code):
        audit_record("auth.totp_failed", actor=user, target=user.username)
        raise ValidationError(WRONG_CODE)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        audit_record("auth.totp_disable", actor=user, target=user.username)


def recovery_codes_left(*, user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def signin_pending_start(session: Any, *, user: User, backend: str) -> None:
    """The password was right and a code is due: remember who, not signed in."""
    session[PENDING] = {
        "user": user.pk,
        "backend": backend,
        "at": time.time(),
        "failures": 0,
    }


def signin_pending_user(session: Any) -> User | None:
    """Who is between the password and the code in this session, if anyone
    (and the password step is not older than HUB_2FA_PENDING_SECONDS)."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    if time.time() - float(pending.get("at", 0)) > settings.HUB_2FA_PENDING_SECONDS:
        session.pop(PENDING, None)
        return None
    user_id = pending.get("user")
    if not isinstance(user_id, int):
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


def signin_code_check(session: Any, *, code: str) -> tuple[User, str, TOTPDevice]:
    """The second step: (user, backend, device) for a right code, after which
    the caller signs the session in. AuthenticationError when no password
    step is pending (or it expired, or spent its tries), ValidationError for
    a wrong code (recorded as ``auth.totp_failed``), RateLimitedError while
    the device waits after wrong codes. Not one transaction: a wrong code's
    count and record must stay."""
    user = signin_pending_user(session)
    device = two_factor_device(user=user) if user is not None else None
    if user is None or device is None:
        session.pop(PENDING, None)
        raise AuthenticationError("Sign in again: enter your username and password.")
    if _code_accept(user, device, code):
        backend = str(session[PENDING]["backend"])
        session.pop(PENDING, None)
        return user, backend, device
    audit_record("auth.totp_failed", target=user.username)
    pending = dict(session[PENDING])
    pending["failures"] = int(pending.get("failures", 0)) + 1
    if pending["failures"] >= PENDING_MAX_FAILURES:
        session.pop(PENDING, None)
        raise AuthenticationError("Too many wrong codes: sign in again.")
    session[PENDING] = pending
    raise ValidationError(WRONG_CODE)
