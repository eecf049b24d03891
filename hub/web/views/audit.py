"""``/settings/audit`` (staff: the whole log) and
``/organizations/{name}/audit`` (that organisation's admins): the security
audit log, searchable, 50 events a page, with a JSON-lines export of what
the filters select. Who may read which events is
``hub.accounts.audit_access``'s to decide.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from hub.accounts.actors import Actor
from hub.accounts.audit_access import (
    audit_log_is_staff_reader,
    audit_log_organization,
    audit_log_search,
)
from hub.accounts.models import Organization
from hub.audit.events import ACTIONS
from hub.audit.export import (
    JSONL_CONTENT_TYPE,
    audit_events_jsonl,
    audit_export_filename,
)
from hub.audit.queries import AuditQuery, audit_events_page, audit_query_parse
from hub.core.errors import ValidationError
from hub.core.parsing import int_param
from hub.web.views.common import page_errors

LOGIN = "login"
PAGE_SIZE = 50


def _actor(request: HttpRequest) -> Actor:
    return Actor.of(request.user)


def _organization(request: HttpRequest, name: str | None) -> Organization | None:
    if name is None:
        return None
    return audit_log_organization(actor=_actor(request), name=name)


def _allowed(request: HttpRequest, name: str | None) -> Organization | None:
    """The organisation asked for (None: the whole log), once the visitor
    may read it: 403 before any filter is even read."""
    organization = _organization(request, name)
    audit_log_search(
        actor=_actor(request), query=AuditQuery(), organization=organization
    )
    return organization


def _page(request: HttpRequest, name: str | None) -> HttpResponse:
    actor = _actor(request)
    organization = _allowed(request, name)
    context: dict[str, Any] = {
        "organization": organization,
        "is_staff_reader": audit_log_is_staff_reader(actor=actor),
        "actions": sorted(ACTIONS.items()),
        "params": request.GET,
        "events": [],
        "next_before": None,
        "error": "",
    }
    status = 200
    try:
        query = audit_query_parse(request.GET)
        events = audit_log_search(actor=actor, query=query, organization=organization)
        before = int_param(request.GET.get("before"), name="before", minimum=1)
        rows, next_before = audit_events_page(events, before=before, size=PAGE_SIZE)
    except ValidationError as exc:
        context["error"], status = exc.message, 400
    else:
        filters = query.as_params()
        context.update(
            events=rows,
            filters=bool(filters),
            next_query=urlencode({**filters, "before": next_before or ""}),
            export_query=urlencode(filters),
            is_first_page=before is None,
        )
    return render(request, "web/audit/log.html", context, status=status)


def _export(request: HttpRequest, name: str | None) -> HttpResponseBase:
    actor = _actor(request)
    organization = _allowed(request, name)
    try:
        query = audit_query_parse(request.GET)
    except ValidationError as exc:
        return HttpResponse(
            exc.message + "\n", status=400, content_type="text/plain; charset=utf-8"
        )
    events = audit_log_search(actor=actor, query=query, organization=organization)
    response = StreamingHttpResponse(
        audit_events_jsonl(events), content_type=JSONL_CONTENT_TYPE
    )
    filename = audit_export_filename(organization.name if organization else "all")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required(login_url=LOGIN)
@require_safe
@page_errors
def audit_log(request: HttpRequest) -> HttpResponse:
    """The whole log (staff)."""
    return _page(request, None)


@login_required(login_url=LOGIN)
@require_safe
@page_errors
def organization_audit_log(request: HttpRequest, name: str) -> HttpResponse:
    """One organisation's events (its admins, and staff)."""
    return _page(request, name)


@login_required(login_url=LOGIN)
@require_safe
@page_errors  # type: ignore[arg-type]  # a streaming response is fine to it
def audit_log_export(request: HttpRequest) -> HttpResponseBase:
    """The filtered whole log as JSON lines (staff)."""
    return _export(request, None)


@login_required(login_url=LOGIN)
@require_safe
@page_errors  # type: ignore[arg-type]  # a streaming response is fine to it
def organization_audit_log_export(request: HttpRequest, name: str) -> HttpResponseBase:
    """The filtered organisation log as JSON lines (its admins, and staff)."""
    return _export(request, name)
