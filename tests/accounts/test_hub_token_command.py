"""``manage.py hub_token``: one token line on stdout, errors on stderr."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from hub.accounts.models import ApiToken, User
from hub.accounts.services import token_authenticate, user_create
from tests.databases import child_database_url

pytestmark = pytest.mark.django_db

MANAGE_PY = Path(settings.BASE_DIR) / "manage.py"


@pytest.fixture
def owner() -> User:
    return user_create(username="owner")


def run_hub_token(*args: str) -> tuple[str, str]:
    stdout, stderr = StringIO(), StringIO()
    call_command("hub_token", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def test_prints_only_a_token_that_authenticates(owner):
    out, err = run_hub_token("--user", "owner", "--scope", "write")

    lines = out.splitlines()
    assert len(lines) == 1
    assert out == lines[0] + "\n"
    token = token_authenticate(secret=lines[0])
    assert token.user == owner
    assert token.scope == "write"
    assert token.name == "hub_token"
    assert err == ""


def test_finds_user_whatever_the_case(owner):
    out, _err = run_hub_token("--user", "OWNER")

    assert token_authenticate(secret=out.strip()).user == owner


def test_default_scope_is_read(owner):
    out, _err = run_hub_token("--user", "owner")

    assert token_authenticate(secret=out.strip()).scope == "read"


def test_name_and_expiry_are_applied(owner):
    out, _err = run_hub_token(
        "--user", "owner", "--name", "nightly ci", "--expires-days", "7"
    )

    token = token_authenticate(secret=out.strip())
    assert token.name == "nightly ci"
    assert token.expires_at is not None
    expected = timezone.now() + timedelta(days=7)
    assert abs(token.expires_at - expected) < timedelta(minutes=1)


def test_create_user_creates_missing_user_with_namespace():
    out, err = run_hub_token(
        "--user", "newbie", "--create-user", "--email", "newbie@example.org"
    )

    user = User.objects.get(username="newbie")
    assert user.namespace.name == "newbie"
    assert user.email == "newbie@example.org"
    assert not user.has_usable_password()
    assert token_authenticate(secret=out.strip()).user == user
    assert "Created user" in err


def test_create_user_reuses_an_existing_user(owner):
    out, err = run_hub_token("--user", "owner", "--create-user")

    assert token_authenticate(secret=out.strip()).user == owner
    assert User.objects.count() == 1
    assert err == ""


def test_unknown_user_without_create_user_is_an_error():
    with pytest.raises(CommandError, match="--create-user"):
        run_hub_token("--user", "ghost")
    assert not User.objects.exists()


def test_bad_scope_is_an_error_and_creates_nothing():
    with pytest.raises(CommandError, match="scope"):
        run_hub_token("--user", "newbie", "--scope", "admin", "--create-user")
    # The user made for the token is rolled back with it.
    assert not User.objects.exists()
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("name", ["api", "Admin", "models", "a--b"])
def test_reserved_or_invalid_name_is_an_error(name):
    with pytest.raises(CommandError):
        run_hub_token("--user", name, "--create-user")
    assert not User.objects.exists()


def test_non_positive_expiry_is_an_error(owner):
    with pytest.raises(CommandError, match="expires-days"):
        run_hub_token("--user", "owner", "--expires-days", "0")


def test_inactive_user_is_an_error(owner):
    owner.is_active = False
    owner.save()

    with pytest.raises(CommandError, match="inactive"):
        run_hub_token("--user", "owner")


def _subprocess_env() -> dict[str, str]:
    """The environment for a real manage.py run against the test database."""
    env = dict(os.environ)
    env["DATABASE_URL"] = child_database_url()
    env["DJANGO_SETTINGS_MODULE"] = "hub.settings"  # what a script would use
    return env


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_real_manage_py_prints_one_token_line_usable_by_scripts():
    # transaction=True: the subprocess has its own connection and can only
    # see (and write) committed rows of the test database.
    result = subprocess.run(
        [
            sys.executable,
            str(MANAGE_PY),
            "hub_token",
            "--user",
            "scripted",
            "--scope",
            "write",
            "--create-user",
        ],
        env=_subprocess_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    token = token_authenticate(secret=lines[0])
    assert token.user.username == "scripted"
    assert token.can_write


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_real_manage_py_reports_errors_on_stderr_with_nonzero_exit():
    result = subprocess.run(
        [sys.executable, str(MANAGE_PY), "hub_token", "--user", "ghost"],
        env=_subprocess_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode != 0
    assert result.stdout == ""
    assert "--create-user" in result.stderr
