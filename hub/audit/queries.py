"""Searching the audit log: one parser of the filters every face offers (the
web pages' form, ``/api/v1/audit``'s query parameters) and one filter.

Who may search which events is not decided here but in
``hub.accounts.audit_access``; this module only narrows a queryset it is
given, and refuses a filter it cannot read with a ValidationError (400)
saying which.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from hub.audit.events import ACTIONS
from hub.audit.models import AuditEvent
from hub.core.errors import ValidationError

# The filters, each with what it matches (the API schema and the form use
# these descriptions).
FILTERS: dict[str, str] = {
    "q": "Text found in the actor's name, the target or the repository.",
    "action": "An action (repo.delete) or a group of them (repo).",
    "actor": "The acting user's name, exactly (any case).",
    "organization": "The organisation the event concerns.",
    "repo": "The repository id, namespace/name.",
    "since": "On or after this date (YYYY-MM-DD) or time (ISO 8601).",
    "until": "On or before this date (the whole day) or before this time.",
}
MAX_FILTER_LENGTH = 200
GROUPS = frozenset(action.split(".", 1)[0] for action in ACTIONS)


@dataclass(frozen=True)
class AuditQuery:
    """The filters of one search; empty strings and None filter nothing."""

    q: str = ""
    action: str = ""
    actor: str = ""
    organization: str = ""
    repo: str = ""
    since: datetime | None = None
    until: datetime | None = None

    def as_params(self) -> dict[str, str]:
        """The filters as query parameters (for links to the next page and
        to the export), without the empty ones."""
        values = {
            "q": self.q,
            "action": self.action,
            "actor": self.actor,
            "organization": self.organization,
            "repo": self.repo,
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
        }
        return {key: value for key, value in values.items() if value}


def _text(params: Mapping[str, str], name: str) -> str:
    value = (params.get(name) or "").strip()
    if len(value) > MAX_FILTER_LENGTH:
        raise ValidationError(
            f"'{name}' is too long: at most {MAX_FILTER_LENGTH} characters.",
            details={name: "too long"},
        )
    if "\x00" in value:
        raise ValidationError(
            f"'{name}' contains a NUL character; remove it.",
            details={name: "NUL character"},
        )
    return value


def _moment(params: Mapping[str, str], name: str, *, end: bool) -> datetime | None:
    """A date (its start, or for ``end`` the start of the next day) or an
    ISO 8601 time (UTC when it names no zone)."""
    value = _text(params, name)
    if not value:
        return None
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            moment = datetime.combine(day, time.min)
            if end:
                moment += timedelta(days=1)
        else:
            moment = datetime.fromisoformat(value)
    except (ValueError, OverflowError):
        raise ValidationError(
            f"'{name}' must be a date (YYYY-MM-DD) or an ISO 8601 time, "
            f"not {value[:40]!r}.",
            details={name: "not a date"},
        ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, UTC)
    return moment


def audit_query_parse(params: Mapping[str, str]) -> AuditQuery:
    """The filters in ``params`` (query parameters or form data); raises
    ValidationError naming the first one that cannot be read."""
    action = _text(params, "action")
    if action and action not in ACTIONS and action not in GROUPS:
        raise ValidationError(
            f"Unknown action {action[:64]!r}: use one of "
            f"{', '.join(sorted(ACTIONS))}, or a group ({', '.join(sorted(GROUPS))}).",
            details={"action": "unknown"},
        )
    query = AuditQuery(
        q=_text(params, "q"),
        action=action,
        actor=_text(params, "actor"),
        organization=_text(params, "organization"),
        repo=_text(params, "repo"),
        since=_moment(params, "since", end=False),
        until=_moment(params, "until", end=True),
    )
    if query.since and query.until and query.since >= query.until:
        raise ValidationError(
            "'since' must come before 'until'.", details={"since": "after until"}
        )
    return query


def audit_events_filter(
    events: QuerySet[AuditEvent], query: AuditQuery
) -> QuerySet[AuditEvent]:
    """``events`` narrowed by ``query``, newest first."""
    if query.q:
        events = events.filter(
            Q(actor_name__icontains=query.q)
            | Q(target__icontains=query.q)
            | Q(repo__icontains=query.q)
        )
    if query.action in ACTIONS:
        events = events.filter(action=query.action)
    elif query.action:
        events = events.filter(action__startswith=query.action + ".")
    if query.actor:
        events = events.filter(actor_name__iexact=query.actor)
    if query.organization:
        events = events.filter(organization__iexact=query.organization)
    if query.repo:
        events = events.filter(repo__iexact=query.repo)
    if query.since:
        events = events.filter(at__gte=query.since)
    if query.until:
        events = events.filter(at__lt=query.until)
    return events.order_by("-at", "-id")


def audit_events_page(
    events: QuerySet[AuditEvent], *, before: int | None, size: int
) -> tuple[list[AuditEvent], int | None]:
    """One page of ``events`` (newest first) older than the event ``before``
    (keyset paging: stable while new events arrive), and the id to ask for
    the next page with (None on the last). An unknown ``before`` is a
    ValidationError."""
    if before is not None:
        anchor = events.filter(pk=before).values_list("at", flat=True).first()
        if anchor is None:
            raise ValidationError(
                "'before' names no event of this log: start from the first page.",
                details={"before": "unknown"},
            )
        events = events.filter(Q(at__lt=anchor) | Q(at=anchor, pk__lt=before))
    rows = list(events[: size + 1])
    if len(rows) > size:
        return rows[:size], rows[size - 1].pk
    return rows, None
