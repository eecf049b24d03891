"""Mail settings come from the environment: the SMTP backend when a host is
set, the console (the embedded default needs no mail server) when not, and
a clear start-up error for a contradiction."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOW = (
    "from django.conf import settings as s; import django; django.setup(); "
    "print(s.EMAIL_BACKEND.rsplit('.', 2)[-2], s.EMAIL_HOST, s.EMAIL_PORT, "
    "s.EMAIL_USE_TLS, s.EMAIL_USE_SSL, s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD, "
    "s.DEFAULT_FROM_EMAIL, sep='|')"
)


def settings_with(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("HUB_SMTP")}
    clean.pop("HUB_MAIL_FROM", None)
    return subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "hub.settings",
            "HUB_VAR_DIR": str(tmp_path),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_without_a_host_mail_goes_to_the_console(tmp_path):
    result = settings_with(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("|")[0] == "console"


def test_smtp_settings_come_from_the_environment(tmp_path):
    secret = tmp_path / "smtp-password"
    secret.write_text("s3cret\n")
    result = settings_with(
        tmp_path,
        HUB_SMTP_HOST="mail.example.org",
        HUB_SMTP_PORT="2525",
        HUB_SMTP_USER="hub",
        HUB_SMTP_PASSWORD_FILE=str(secret),
        HUB_MAIL_FROM="Hub <hub@example.org>",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().split("|") == [
        "smtp",
        "mail.example.org",
        "2525",
        "True",
        "False",
        "hub",
        "s3cret",
        "Hub <hub@example.org>",
    ]


def test_implicit_tls_turns_starttls_off_and_both_at_once_is_refused(tmp_path):
    ssl = settings_with(tmp_path, HUB_SMTP_HOST="mail.example.org", HUB_SMTP_SSL="true")
    assert ssl.stdout.strip().split("|")[3:5] == ["False", "True"]
    both = settings_with(
        tmp_path,
        HUB_SMTP_HOST="mail.example.org",
        HUB_SMTP_SSL="true",
        HUB_SMTP_TLS="true",
    )
    assert both.returncode != 0
    assert "HUB_SMTP_TLS and HUB_SMTP_SSL are both true" in both.stderr
