"""``/notifications``: the caller's in-app notifications (signed in only)."""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from api.v1.pagination import StandardCursorPagination
from api.v1.serializers.notifications import (
    NotificationMarkReadResultSerializer,
    NotificationMarkReadSerializer,
    NotificationSerializer,
)
from api.v1.views.repo_base import TokenScopeAllowsWrite, caller_token, caller_user
from hub.notifications.selectors import notification_list, notification_unread_count
from hub.notifications.services import notifications_mark_read


class NotificationCursorPagination(StandardCursorPagination):
    ordering = "-pk"  # ids grow with creation time


@extend_schema(tags=["notifications"])
class NotificationViewSet(viewsets.GenericViewSet):
    serializer_class = NotificationSerializer
    pagination_class = NotificationCursorPagination
    permission_classes = [IsAuthenticated, TokenScopeAllowsWrite]
    filter_backends: list[Any] = []

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "unread", bool, description="true: only unread notifications."
            )
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Newest first, cursor-paginated; the ``X-Unread-Count`` header
        carries the unread count."""
        unread_only = request.query_params.get("unread") in ("1", "true")
        user, token = caller_user(request), caller_token(request)
        rows = notification_list(user=user, token=token, unread_only=unread_only)
        page = self.paginate_queryset(rows)
        response = self.get_paginated_response(
            NotificationSerializer(page, many=True).data
        )
        response["X-Unread-Count"] = str(
            notification_unread_count(user=user, token=token)
        )
        return response

    @extend_schema(
        request=NotificationMarkReadSerializer,
        responses=NotificationMarkReadResultSerializer,
    )
    def mark_read(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Mark the given notifications (or all) read; ids of others' are ignored."""
        params = NotificationMarkReadSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        user, token = caller_user(request), caller_token(request)
        ids = params.validated_data["ids"]
        if ids is None:  # "all" means all this token may see
            ids = list(
                notification_list(user=user, token=token, unread_only=True).values_list(
                    "pk", flat=True
                )
            )
        else:
            ids = list(
                notification_list(user=user, token=token)
                .filter(pk__in=ids)
                .values_list("pk", flat=True)
            )
        marked = notifications_mark_read(user=user, ids=ids)
        unread = notification_unread_count(user=user, token=token)
        return Response(
            NotificationMarkReadResultSerializer(
                {"marked": marked, "unread": unread}
            ).data
        )


def register(router: Any) -> None:
    """No router routes: the paths below are explicit."""


urlpatterns = [
    path(
        "notifications",
        NotificationViewSet.as_view({"get": "list"}),
        name="api-v1-notification-list",
    ),
    path(
        "notifications/read",
        NotificationViewSet.as_view({"post": "mark_read"}),
        name="api-v1-notification-read",
    ),
]
