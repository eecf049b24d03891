"""Reports and moderation.

``POST /reports``: anyone signed in reports a model, review, comment or
user. Moderators (staff everywhere, organization admins for their
organization's repos) read the queue (``/moderation/reports``) and the audit
log (``/moderation/log``) and take actions (``/moderation/actions``); only
staff decide reports, undo moderation and see who reported. Every rule is in
``hub.moderation`` (the services take the caller as an ``Actor``); these
views parse input, call one service and render.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from api.v1.pagination import StandardCursorPagination, StandardPagination
from api.v1.serializers.moderation import (
    ModerationActionCreateSerializer,
    ModerationActionSerializer,
    ReportCreateSerializer,
    ReportDecideSerializer,
    ReportSerializer,
)
from api.v1.views.repo_base import CleanPathMixin, caller_token
from hub.accounts.actors import Actor
from hub.moderation.models import Report
from hub.moderation.selectors import (
    moderation_log,
    report_list_for_moderator,
    report_target_resolve,
)
from hub.moderation.services.commands import moderation_act
from hub.moderation.services.reports import report_create, report_decide


class ReportListQuerySerializer(serializers.Serializer):
    status = serializers.CharField(
        default=Report.Status.OPEN,
        help_text="open (default), resolved, dismissed or all.",
    )

    def validate_status(self, value: str) -> str:
        if value not in (*Report.Status.values, "all"):
            raise serializers.ValidationError("Use open, resolved, dismissed or all.")
        return value


def _actor(request: Request) -> Actor:
    return Actor.of(request.user, caller_token(request))


@extend_schema(tags=["moderation"])
class ReportViewSet(CleanPathMixin, viewsets.GenericViewSet):
    """``POST /reports``: report something to the moderators."""

    serializer_class = ReportSerializer
    permission_classes: list[Any] = []
    filter_backends: list[Any] = []

    @extend_schema(request=ReportCreateSerializer, responses={201: ReportSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Report a model, review, comment or user with a reason; reporting
        the same target again while your report is open returns it."""
        params = ReportCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        actor = _actor(request)
        target = report_target_resolve(
            viewer=actor.user, kind=data["kind"], target=data["target"]
        )
        report = report_create(
            actor=actor, reason=data["reason"], text=data["text"], **target
        )
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)


class ModerationLogPagination(StandardCursorPagination):
    ordering = "-pk"


@extend_schema(tags=["moderation"])
class ModerationViewSet(CleanPathMixin, viewsets.GenericViewSet):
    """The moderators' queue, decisions, actions and audit log."""

    serializer_class = ReportSerializer
    pagination_class = StandardPagination
    permission_classes: list[Any] = []
    filter_backends: list[Any] = []

    @extend_schema(parameters=[ReportListQuerySerializer])
    def reports(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Reports you moderate, newest first (default: the open ones)."""
        params = ReportListQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        wanted = params.validated_data["status"]
        rows = report_list_for_moderator(
            actor=_actor(request), status=None if wanted == "all" else wanted
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(ReportSerializer(page, many=True).data)

    @extend_schema(request=ReportDecideSerializer, responses=ReportSerializer)
    def decide(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Resolve or dismiss a report (staff only, logged); 409 when decided
        already."""
        params = ReportDecideSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        report = report_decide(
            actor=_actor(request),
            report_id=kwargs["report_id"],
            status=params.validated_data["status"],
            note=params.validated_data["note"],
        )
        return Response(ReportSerializer(report).data)

    @extend_schema(
        request=ModerationActionCreateSerializer,
        responses={201: ModerationActionSerializer},
    )
    def act(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Hide a review or comment, lock a discussion (staff, or the repo's
        admins); unhide, unlock, disable or re-enable a model, ban or unban
        a user (staff). Answers the audit log entry."""
        params = ModerationActionCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        entry = moderation_act(
            actor=_actor(request),
            action=data["action"],
            target=data["target"],
            reason=data["reason"],
            report_id=data.get("report"),
        )
        return Response(
            ModerationActionSerializer(entry).data, status=status.HTTP_201_CREATED
        )


@extend_schema(tags=["moderation"])
class ModerationLogViewSet(CleanPathMixin, viewsets.GenericViewSet):
    """``/moderation/log``: the append-only audit log."""

    serializer_class = ModerationActionSerializer
    pagination_class = ModerationLogPagination
    permission_classes: list[Any] = []
    filter_backends: list[Any] = []

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The audit log of the content you moderate, newest first."""
        page = self.paginate_queryset(moderation_log(actor=_actor(request)))
        return self.get_paginated_response(
            ModerationActionSerializer(page, many=True).data
        )


def register(router: Any) -> None:
    """Routes are explicit ``urlpatterns``."""


urlpatterns = [
    path(
        "reports", ReportViewSet.as_view({"post": "create"}), name="api-v1-report-list"
    ),
    path(
        "moderation/reports",
        ModerationViewSet.as_view({"get": "reports"}),
        name="api-v1-moderation-report-list",
    ),
    path(
        "moderation/reports/<int:report_id>",
        ModerationViewSet.as_view({"post": "decide"}),
        name="api-v1-moderation-report-decide",
    ),
    path(
        "moderation/actions",
        ModerationViewSet.as_view({"post": "act"}),
        name="api-v1-moderation-action-list",
    ),
    path(
        "moderation/log",
        ModerationLogViewSet.as_view({"get": "list"}),
        name="api-v1-moderation-log",
    ),
]
