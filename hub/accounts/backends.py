"""The local password backend while local accounts are off
(``HUB_LOCAL_ACCOUNTS=false``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend


class BreakGlassBackend(ModelBackend):
    """Local passwords for superusers only: the break-glass account an
    operator makes with ``manage.py createsuperuser`` (or resets with
    ``manage.py changepassword``) to get in while the identity provider is
    down. Everyone else signs in through single sign-on."""

    def user_can_authenticate(self, user: Any) -> bool:
        return bool(super().user_can_authenticate(user) and user.is_superuser)
