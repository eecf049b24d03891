"""Accounts: outgoing mail (password resets, address verification), reset
links, two-factor sign-in and the list of a user's sessions."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from hub.core.ratelimit import rate_parse
from hub.env import env_bool, env_int, env_str

# Mail goes through Django's SMTP backend to HUB_SMTP_HOST. With no host set
# (the embedded default) mail is written to the log of the process that
# sends it (Django's console backend): sign-up and resets still work on a
# laptop, and the link can be copied from the terminal.
HUB_SMTP_HOST = env_str("HUB_SMTP_HOST", "") or ""
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if HUB_SMTP_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = HUB_SMTP_HOST or "localhost"
EMAIL_PORT = env_int("HUB_SMTP_PORT", 587, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("HUB_SMTP_USER", "") or ""
EMAIL_HOST_PASSWORD = env_str("HUB_SMTP_PASSWORD", "") or ""
# STARTTLS on the submission port (587) by default; HUB_SMTP_SSL for a server
# that speaks TLS from the first byte (465). Plain SMTP only when both are off.
EMAIL_USE_SSL = env_bool("HUB_SMTP_SSL", default=False)
EMAIL_USE_TLS = env_bool("HUB_SMTP_TLS", default=not EMAIL_USE_SSL)
if EMAIL_USE_SSL and EMAIL_USE_TLS:
    raise ImproperlyConfigured(
        "HUB_SMTP_TLS and HUB_SMTP_SSL are both true: choose STARTTLS (TLS) or "
        "TLS from the first byte (SSL)"
    )
EMAIL_TIMEOUT = env_int("HUB_SMTP_TIMEOUT_SECONDS", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("HUB_MAIL_FROM", "Model Commons <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# A password reset link works once (it is bound to the password it replaces)
# and for this long; an address verification link for a day.
PASSWORD_RESET_TIMEOUT = env_int("HUB_PASSWORD_RESET_TIMEOUT_SECONDS", 3600, minimum=60)
HUB_EMAIL_VERIFY_TIMEOUT_SECONDS = env_int(
    "HUB_EMAIL_VERIFY_TIMEOUT_SECONDS", 86400, minimum=60
)
# Reset requests: per address asked for (whether or not an account has it,
# so the limit itself tells nothing) and per client address.
HUB_PASSWORD_RESET_RATE_PER_ADDRESS = env_str(
    "HUB_PASSWORD_RESET_RATE_PER_ADDRESS", "3/hour"
)
HUB_PASSWORD_RESET_RATE_PER_IP = env_str("HUB_PASSWORD_RESET_RATE_PER_IP", "20/hour")
# Verification mails per account (sign-up, address changes, "send again"):
# an account cannot be used to flood someone else's mailbox.
HUB_EMAIL_VERIFY_RATE = env_str("HUB_EMAIL_VERIFY_RATE", "5/hour")
for _reset_rate in (
    "HUB_PASSWORD_RESET_RATE_PER_ADDRESS",
    "HUB_PASSWORD_RESET_RATE_PER_IP",
    "HUB_EMAIL_VERIFY_RATE",
):
    try:
        rate_parse(globals()[_reset_rate] or "")
    except ValueError as _error:
        raise ImproperlyConfigured(f"{_reset_rate}: {_error}") from None

# Two-factor sign-in (TOTP, django-otp). Staff must have it when this is on
# (the default): staff without a device are sent to enrol before any other
# page or /admin. API tokens are not affected.
HUB_STAFF_REQUIRE_2FA = env_bool("HUB_STAFF_REQUIRE_2FA", default=True)
OTP_TOTP_ISSUER = "Model Commons"
# After a wrong code a device waits 1 s, then 2 s, 4 s, ... (django-otp).
OTP_TOTP_THROTTLE_FACTOR = 1
# The password step of a two-step sign-in is remembered this long.
HUB_2FA_PENDING_SECONDS = env_int("HUB_2FA_PENDING_SECONDS", 300, minimum=30)
# A session's "last seen" is written at most this often.
HUB_SESSION_TOUCH_SECONDS = env_int("HUB_SESSION_TOUCH_SECONDS", 300, minimum=0)
