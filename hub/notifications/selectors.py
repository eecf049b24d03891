"""Reads of in-app notifications.

A notification about a repo is shown only while the reader may see that
repo (``repo_list_visible``, with the token used, if any): losing access to
a private repo, or using a token limited to other repos, hides its
notifications, and its name with them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from hub.accounts.models import ApiToken
from hub.catalog.visibility import repo_list_visible
from hub.notifications.models import Notification


def _visible(user: Any, token: ApiToken | None) -> QuerySet[Notification]:
    repos = repo_list_visible(user=user, token=token).values("pk")
    return Notification.objects.filter(recipient=user).filter(
        Q(repo__isnull=True) | Q(repo__in=repos)
    )


def notification_unread_count(*, user: Any, token: ApiToken | None = None) -> int:
    """How many unread notifications the user has (0 when signed out); one query."""
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return _visible(user, token).filter(read_at__isnull=True).count()


def notification_list(
    *, user: Any, token: ApiToken | None = None, unread_only: bool = False
) -> QuerySet[Notification]:
    """The user's notifications, newest first, with actor, repo and discussion."""
    qs = _visible(user, token).select_related(
        "actor", "repo", "repo__namespace", "discussion"
    )
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-pk")
