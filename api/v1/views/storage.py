"""The hub's storage accounting: ``/api/v1/storage``."""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, views
from rest_framework.request import Request
from rest_framework.response import Response

from api.v1.serializers.storage import StorageUsageSerializer
from hub.catalog.storage_usage import hub_storage_usage


@extend_schema(tags=["storage"])
class StorageUsageView(views.APIView):
    """Hub-wide logical vs stored bytes (chunk-level deduplication at work)."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=StorageUsageSerializer)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Bytes every commit's files name vs the bytes held, each xorb counted
        once. Recomputed at most every few minutes."""
        return Response(StorageUsageSerializer(hub_storage_usage()).data)


def register(router: Any) -> None:
    """A single resource: an explicit ``urlpatterns`` entry."""


urlpatterns = [
    path("storage", StorageUsageView.as_view(), name="api-v1-storage"),
]
