"""Helpers of the account security tests: codes, sign-in, page checks."""

from __future__ import annotations

import time
from typing import Any

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from hub.accounts.two_factor import totp_enrol_confirm, totp_enrol_start

PASSWORD = "a long enough passphrase"


def away_from_step_end(step: int = 30, margin: float = 4.0) -> None:
    """Wait for the next time step when this one ends within ``margin`` s: a
    code computed just before a step ends and checked just after it would
    match one step back, and django-otp would then learn a drift of -1."""
    left = step - time.time() % step
    if left < margin:
        time.sleep(left + 0.05)


def totp_code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now (or ``steps_ahead`` steps of
    30 s later: a fresh code for a second sign-in within one step)."""
    device.refresh_from_db()
    away_from_step_end(device.step)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def enrol(user: Any) -> tuple[TOTPDevice, list[str]]:
    """Two-factor on for ``user`` through the service: (device, codes)."""
    device = totp_enrol_start(user=user)
    return totp_enrol_confirm(user=user, code=totp_code(device), keep_session_key=None)


def sign_in(client: Any, username: str, password: str = PASSWORD, **extra: Any) -> Any:
    return client.post("/login", {"username": username, "password": password}, **extra)


def is_signed_in(client: Any) -> bool:
    return client.get("/settings/account").status_code == 200
