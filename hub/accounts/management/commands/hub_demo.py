"""Create the demo account of an embedded hub and print a fresh write token.

Run by scripts/run-hub.sh at every start: the user ``demo`` (password
``demo-password``, for the web UI) is created once; its previous "demo"
tokens are revoked and a new one is printed, since secrets are never stored.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from hub.accounts.models import User
from hub.accounts.selectors import token_list
from hub.accounts.services import token_create, token_revoke, user_create

DEMO_USER = "demo"
DEMO_PASSWORD = "demo-password"  # noqa: S105 - a documented demo credential
TOKEN_NAME = "demo"


class Command(BaseCommand):
    help = "Create the demo user if needed and print a new write token for it."

    def handle(self, *args: object, **options: object) -> None:
        user = User.objects.filter(username=DEMO_USER).first()
        if user is None:
            user = user_create(username=DEMO_USER, password=DEMO_PASSWORD)
        for old in token_list(user=user).filter(
            name=TOKEN_NAME, revoked_at__isnull=True
        ):
            token_revoke(token=old)
        _, secret = token_create(user=user, name=TOKEN_NAME, scope="write")
        self.stdout.write(
            f"Demo account: user {DEMO_USER!r}, password {DEMO_PASSWORD!r}\n"
            f"Write token (shown once): {secret}\n"
            "Use it with huggingface_hub / transformers:\n"
            f"  export HF_ENDPOINT=http://127.0.0.1:8000 HF_TOKEN={secret}"
        )
