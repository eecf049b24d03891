"""``/audit``: the security audit log, read-only.

``GET /audit`` lists the events the caller may read (staff: all; an
organisation's admins: their organisations'), newest first, cursor-paginated;
``GET /audit/export`` streams the same events as JSON lines. The
organisation's own log is ``/organizations/{org}/audit`` (and ``/export``).
Who may read what is decided by ``hub.accounts.audit_access``; the filters
are parsed by ``hub.audit.queries``. There is no write route: the log is
append-only, so PUT, PATCH and DELETE answer 405.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from api.v1.pagination import StandardCursorPagination
from api.v1.serializers.audit import AuditEventSerializer, audit_filter_parameters
from api.v1.views.repo_base import CleanPathMixin, caller_token
from hub.accounts.actors import Actor
from hub.accounts.audit_access import audit_log_organization, audit_log_search
from hub.audit.export import (
    JSONL_CONTENT_TYPE,
    audit_events_jsonl,
    audit_export_filename,
)
from hub.audit.models import AuditEvent
from hub.audit.queries import audit_query_parse

FILTER_PARAMETERS = [
    OpenApiParameter(name, str, description=description)
    for name, description in audit_filter_parameters()
]
EXPORT_RESPONSE = {
    (200, JSONL_CONTENT_TYPE): OpenApiResponse(
        response=OpenApiTypes.STR,
        description="One AuditEvent as JSON per line, newest first.",
    )
}


class AuditCursorPagination(StandardCursorPagination):
    ordering = ("-at", "-id")  # type: ignore[assignment]  # DRF takes a tuple


@extend_schema(tags=["audit"])
class AuditEventViewSet(CleanPathMixin, viewsets.GenericViewSet):
    serializer_class = AuditEventSerializer
    pagination_class = AuditCursorPagination
    filter_backends: list[Any] = []
    # Who may read is audit_log_search's to decide (401 or 403 with a reason).
    permission_classes: list[Any] = []

    def _events(self) -> QuerySet[AuditEvent]:
        actor = Actor.of(self.request.user, caller_token(self.request))
        organization = None
        if "org" in self.kwargs:
            organization = audit_log_organization(actor=actor, name=self.kwargs["org"])
        query = audit_query_parse(self.request.query_params)
        return audit_log_search(actor=actor, query=query, organization=organization)

    @extend_schema(parameters=FILTER_PARAMETERS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Events you may read (staff: all; organisation admins: their
        organisations'), newest first."""
        page = self.paginate_queryset(self._events())
        return self.get_paginated_response(AuditEventSerializer(page, many=True).data)

    @extend_schema(parameters=FILTER_PARAMETERS, responses=EXPORT_RESPONSE)
    def export(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        """The same events as JSON lines, streamed (no pagination)."""
        events = self._events()
        response = StreamingHttpResponse(
            audit_events_jsonl(events), content_type=JSONL_CONTENT_TYPE
        )
        filename = audit_export_filename(kwargs.get("org", "all"))
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


urlpatterns = [
    path(
        "audit",
        AuditEventViewSet.as_view({"get": "list"}),
        name="api-v1-audit-list",
    ),
    path(
        "audit/export",
        AuditEventViewSet.as_view({"get": "export"}),
        name="api-v1-audit-export",
    ),
    path(
        "organizations/<str:org>/audit",
        AuditEventViewSet.as_view({"get": "list"}),
        name="api-v1-organization-audit-list",
    ),
    path(
        "organizations/<str:org>/audit/export",
        AuditEventViewSet.as_view({"get": "export"}),
        name="api-v1-organization-audit-export",
    ),
]


def register(router: Any) -> None:
    """No router routes: the paths above are the whole resource."""
