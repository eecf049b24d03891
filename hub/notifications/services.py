"""Writes of in-app notifications.

Other apps call ``notification_create`` (one recipient) or
``notifications_fan_out`` (several) inside their own transaction; a
notification is a row, nothing is sent anywhere else.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from hub.core.errors import ValidationError
from hub.notifications.models import Notification

if TYPE_CHECKING:
    from hub.accounts.models import User
    from hub.catalog.models import ModelRepo

TEXT_MAX = 500
URL_MAX = 500


def _clean(*, kind: str, text: str, url: str) -> tuple[str, str]:
    if kind not in Notification.Kind.values:
        raise ValidationError(
            f"Unknown notification kind {kind!r}.",
            details={"kinds": list(Notification.Kind.values)},
        )
    # Only site-relative paths: a notification never links off the hub.
    if not url.startswith("/") or url.startswith("//") or "\\" in url:
        raise ValidationError("A notification's url must be a path on this hub.")
    if len(url) > URL_MAX:
        raise ValidationError(f"A notification's url is at most {URL_MAX} characters.")
    text = " ".join(text.split())
    if not text:
        raise ValidationError("A notification needs a text.")
    if len(text) > TEXT_MAX:
        text = text[: TEXT_MAX - 1] + "…"
    return text, url


def _wants(recipient: Any, actor: Any) -> bool:
    if recipient is None or not getattr(recipient, "is_active", False):
        return False
    return actor is None or recipient.pk != actor.pk


def notification_create(
    *,
    recipient: User,
    kind: str,
    actor: User | None = None,
    repo: ModelRepo | None = None,
    discussion: Any = None,
    text: str,
    url: str,
) -> Notification | None:
    """Notify one user (``discussion``: a community Discussion or None, typed
    Any because notifications sit below community). Returns None (and writes
    nothing) when the recipient is the actor or an inactive account. Raises
    ValidationError for an unknown kind, an empty text or a url that is not a
    path on this hub."""
    text, url = _clean(kind=kind, text=text, url=url)
    if not _wants(recipient, actor):
        return None
    return Notification.objects.create(
        recipient=recipient,
        kind=kind,
        actor=actor,
        repo=repo,
        discussion=discussion,
        text=text,
        url=url,
    )


def notifications_fan_out(
    *,
    recipients: Iterable[User],
    kind: str,
    actor: User | None = None,
    repo: ModelRepo | None = None,
    discussion: Any = None,
    text: str,
    url: str,
) -> list[Notification]:
    """Notify each distinct recipient once, never the actor; one INSERT."""
    text, url = _clean(kind=kind, text=text, url=url)
    seen: set[int] = set()
    rows = []
    for recipient in recipients:
        if not _wants(recipient, actor) or recipient.pk in seen:
            continue
        seen.add(recipient.pk)
        rows.append(
            Notification(
                recipient=recipient,
                kind=kind,
                actor=actor,
                repo=repo,
                discussion=discussion,
                text=text,
                url=url,
            )
        )
    return Notification.objects.bulk_create(rows)


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's unread notifications read: those with the given ids,
    or all of them when ``ids`` is None. Ids of other users' notifications
    are ignored. Idempotent; returns how many rows changed."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())
