"""``manage.py hub_token``: print a new API token for a user, for scripts.

Usage: ``TOKEN=$(python manage.py hub_token --user NAME --scope write)``.
Only the secret goes to stdout; notes and errors go to stderr.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from hub.accounts.models import ApiToken
from hub.accounts.selectors import user_get_by_username
from hub.accounts.services import token_create, user_create
from hub.core.errors import ApplicationError, NotFoundError


class Command(BaseCommand):
    help = (
        "Create an API token for a user and print only its secret on stdout. "
        "With --create-user, create the user first if it does not exist."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="Username (any case).")
        parser.add_argument(
            "--scope",
            default=ApiToken.Scope.READ,
            help="Token scope: read (default) or write.",
        )
        parser.add_argument(
            "--create-user",
            action="store_true",
            help="Create the user (no usable password) when it does not exist.",
        )
        parser.add_argument(
            "--name", default="hub_token", help="Token name shown in token lists."
        )
        parser.add_argument(
            "--expires-days",
            type=int,
            default=None,
            help="Expire the token after this many days (default: never).",
        )
        parser.add_argument(
            "--email", default="", help="E-mail for a user created by --create-user."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        expires_days = options["expires_days"]
        if expires_days is not None and expires_days < 1:
            raise CommandError("--expires-days must be a positive number of days.")
        expires_at = (
            timezone.now() + timedelta(days=expires_days) if expires_days else None
        )
        username = options["user"]
        try:
            # One transaction, so that a refused token (say, a bad scope) does
            # not leave behind a user created for it.
            with transaction.atomic():
                created = False
                try:
                    user = user_get_by_username(username=username)
                except NotFoundError:
                    if not options["create_user"]:
                        raise CommandError(
                            f"No user is named {username!r}: "
                            "pass --create-user to create it."
                        ) from None
                    user = user_create(username=username, email=options["email"])
                    created = True
                _token, secret = token_create(
                    user=user,
                    name=options["name"],
                    scope=options["scope"],
                    expires_at=expires_at,
                )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        if created and options["verbosity"] >= 1:
            # A note, not an error: skip the red error style stderr gets.
            self.stderr.write(f"Created user {user.username!r}.", style_func=str)
        # Nothing else on stdout: callers capture it as the token.
        self.stdout.write(secret)
