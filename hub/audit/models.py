"""``AuditEvent``: one row per security-relevant act, never changed.

Append-only three times over: the model refuses ``save`` of an existing row
and ``delete``, its queryset refuses ``update`` and ``delete``, and the
database refuses UPDATE (and, on PostgreSQL, DELETE) by trigger, so not even
the admin or a raw query rewrites history. Rows hold names and ids as they
were, with no foreign key: deleting a user or a repo leaves its events.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models
from django.utils import timezone

from hub.core.errors import PermissionDeniedError

APPEND_ONLY = "The audit log is append-only: events are never changed or deleted."


def _refuse() -> NoReturn:
    raise PermissionDeniedError(APPEND_ONLY)


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        _refuse()

    def delete(self) -> tuple[int, dict[str, int]]:
        _refuse()


class AuditEvent(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    # Dotted verbs from hub.audit.events (``token.create``, ``repo.delete``).
    action = models.CharField(max_length=64, db_index=True)
    # Who: the user's id and name at the time (no FK; the log outlives them).
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_name = models.CharField(max_length=150, blank=True, db_index=True)
    # From where: the client address (hub.core.ratelimit.client_ip), agent and
    # request id of the request that did it; blank for commands and tasks.
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    request_id = models.CharField(max_length=128, blank=True)
    # What it touched: the organisation (so its admins see it), the repo
    # (``namespace/name``) and a free target (a user, a token's name).
    organization = models.CharField(max_length=96, blank=True, db_index=True)
    repo = models.CharField(max_length=200, blank=True, db_index=True)
    target = models.CharField(max_length=200, blank=True)
    details = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["organization", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name or '-'} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            _refuse()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        _refuse()
