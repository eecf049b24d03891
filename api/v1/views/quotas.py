"""A namespace's quotas: ``/api/v1/namespaces/{name}/quota``.

GET: the limits in force and the usage (the namespace's user, its
organisation's members and staff; 401 anonymous, 403 others). PATCH: staff
change limits (an organisation's admins cannot). The use cases decide
(``hub.catalog.quotas``, ``hub.accounts.quotas``).
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, views
from rest_framework.request import Request
from rest_framework.response import Response

from api.v1.serializers.quotas import (
    NamespaceQuotaSerializer,
    NamespaceQuotaSetSerializer,
)
from api.v1.views.repo_base import caller_token
from hub.accounts.actors import Actor
from hub.accounts.models import NamespaceQuota
from hub.accounts.quotas import namespace_quota_set
from hub.accounts.selectors import namespace_get
from hub.catalog.quotas import NamespaceUsage, namespace_usage_open

# Field of the request and the answer → quota kind.
_FIELDS: dict[str, str] = {
    "storage": NamespaceQuota.Kind.STORAGE,
    "repos": NamespaceQuota.Kind.REPOS,
    "file_size": NamespaceQuota.Kind.FILE,
}


def _render(usage: NamespaceUsage) -> dict[str, Any]:
    limits = usage.limits
    return {
        "namespace": usage.namespace.name,
        "kind": usage.namespace.kind,
        "storage": {
            "used_bytes": usage.stored_bytes,
            "limit_bytes": limits.storage_bytes,
            "is_default": NamespaceQuota.Kind.STORAGE not in limits.overridden,
        },
        "repos": {
            "used": usage.repo_count,
            "limit": limits.repos,
            "is_default": NamespaceQuota.Kind.REPOS not in limits.overridden,
        },
        "file_size": {
            "limit_bytes": limits.file_bytes,
            "is_default": NamespaceQuota.Kind.FILE not in limits.overridden,
        },
        "repositories": [
            {"id": r.name, "private": r.is_private, "stored_bytes": r.stored_bytes}
            for r in usage.repos
        ],
    }


@extend_schema(tags=["quotas"])
class NamespaceQuotaView(views.APIView):
    """A namespace's quota limits and usage; staff change the limits."""

    permission_classes = [permissions.AllowAny]  # the use cases decide

    def _actor(self, request: Request) -> Actor:
        return Actor.of(request.user, caller_token(request))

    @extend_schema(responses=NamespaceQuotaSerializer)
    def get(self, request: Request, name: str) -> Response:
        """Limits (null: unlimited) and usage of a user or an organisation:
        for the user themselves, the organisation's members and staff."""
        usage = namespace_usage_open(actor=self._actor(request), name=name)
        return Response(NamespaceQuotaSerializer(_render(usage)).data)

    @extend_schema(
        request=NamespaceQuotaSetSerializer, responses=NamespaceQuotaSerializer
    )
    def patch(self, request: Request, name: str) -> Response:
        """Set limits of a namespace (staff only): each given field takes a
        size or count, 'unlimited', or 'default'. Recorded in the audit log."""
        params = NamespaceQuotaSetSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        actor = self._actor(request)
        namespace = namespace_get(name=name)
        changes = {_FIELDS[f]: v for f, v in params.validated_data.items()}
        namespace_quota_set(actor=actor, namespace=namespace, changes=changes)
        usage = namespace_usage_open(actor=actor, name=namespace.name)
        return Response(NamespaceQuotaSerializer(_render(usage)).data)


def register(router: Any) -> None:
    """A single resource: an explicit ``urlpatterns`` entry."""


urlpatterns = [
    path(
        "namespaces/<str:name>/quota",
        NamespaceQuotaView.as_view(),
        name="api-v1-namespace-quota",
    ),
]
