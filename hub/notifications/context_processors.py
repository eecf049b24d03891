"""The header's unread-notification badge (one COUNT query, signed-in only)."""

from __future__ import annotations

import functools
from typing import Any

from django.http import HttpRequest

from hub.notifications.selectors import notification_unread_count


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    """``unread_notifications``: a callable the template resolves, so the
    count runs only on pages that show it, and once per request."""
    user = getattr(request, "user", None)

    @functools.cache
    def unread() -> int:
        return notification_unread_count(user=user)

    return {"unread_notifications": unread}
