"""Record an audit event: the one writer of ``AuditEvent``.

Call it inside the transaction of the act it records, so an act that rolls
back leaves no event and an event is never missing for an act that stayed.
Where the act happened in a request, the client's address, agent and
request id come from the request context (``hub.ops.logs``); commands and
tasks leave them blank.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from hub.audit.events import ACTIONS
from hub.audit.models import AuditEvent
from hub.ops.logs import request_client_var, request_id_var


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def request_address() -> str | None:
    """The current request's client address, normalised; None outside a
    request or when it is not an IP address."""
    client = request_client_var.get()
    return _address(client[0]) if client else None


def audit_record(
    action: str,
    *,
    actor: Any = None,
    organization: str = "",
    repo: str = "",
    target: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. ``actor`` is a user (anything with ``pk`` and
    ``username``), or None/anonymous for acts with no signed-in actor (a
    failed sign-in: put the name tried in ``target``)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    signed_in = actor is not None and getattr(actor, "is_authenticated", True)
    client = request_client_var.get()
    request_id = request_id_var.get()
    return AuditEvent.objects.create(
        action=action,
        actor_id=actor.pk if signed_in else None,
        actor_name=actor.username if signed_in else "",
        ip=_address(client[0]) if client else None,
        user_agent=client[1] if client else "",
        request_id="" if request_id == "-" else request_id,
        organization=organization,
        repo=repo,
        target=target[:200],
        details=details or {},
    )
