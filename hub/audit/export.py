"""The audit log as JSON lines (``application/x-ndjson``), one event a line.

The rows are read with ``iterator()`` in chunks and each line is encoded as
it is sent, so an export of the whole log holds one chunk in memory at a
time, however long the log is.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from hub.audit.models import AuditEvent

JSONL_CONTENT_TYPE = "application/x-ndjson"
CHUNK_SIZE = 500


def audit_event_as_dict(event: AuditEvent) -> dict[str, Any]:
    """One event as the API and the export show it."""
    return {
        "id": event.pk,
        "at": event.at.isoformat(),
        "action": event.action,
        "actor": event.actor_name or None,
        "actor_id": event.actor_id,
        "ip": event.ip,
        "user_agent": event.user_agent,
        "request_id": event.request_id,
        "organization": event.organization,
        "repo": event.repo,
        "target": event.target,
        "details": event.details,
    }


def audit_events_jsonl(events: QuerySet[AuditEvent]) -> Iterator[bytes]:
    """Each event of ``events`` as one line of JSON, in the queryset's order."""
    for event in events.iterator(chunk_size=CHUNK_SIZE):
        line = json.dumps(audit_event_as_dict(event), ensure_ascii=False)
        yield (line + "\n").encode()


def audit_export_filename(scope: str) -> str:
    """``audit-<scope>.jsonl``, with only safe characters in the scope."""
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in scope)
    return f"audit-{safe or 'log'}.jsonl"
