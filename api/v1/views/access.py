"""Gated models: the caller's access, requests (accept the license terms),
and the maintainers' decisions.

A gated repo (``repo_gate_mode``: the owner's setting, or ``auto`` when its
license requires acceptance) serves files only to its members and to users
whose request was accepted; ``auto`` accepts at once, ``manual`` waits for
an admin of the repo.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from api.v1.pagination import StandardPagination
from api.v1.serializers.access import (
    AccessRequestCreateSerializer,
    AccessRequestDecideSerializer,
    AccessRequestListQuerySerializer,
    AccessRequestSerializer,
    AccessStateSerializer,
)
from api.v1.views.repo_base import (
    RepoMixin,
    TokenScopeAllowsWrite,
    caller_token,
    caller_user,
)
from hub.access.selectors import access_request_get, access_request_list
from hub.access.services import access_request_decide, license_accept
from hub.accounts.actors import Actor
from hub.accounts.selectors import user_get_by_username
from hub.catalog import usecases
from hub.catalog.models import ModelRepo
from hub.community.usecases import repo_abilities


def access_state(request: Request, repo: ModelRepo) -> dict[str, Any]:
    abilities = repo_abilities(
        actor=Actor.of(request.user, caller_token(request)), repo=repo
    )
    return {
        "gated": abilities.gate,
        "has_access": abilities.has_access,
        "request": access_request_get(repo=repo, user=request.user),
        "license": repo.license,
    }


@extend_schema(tags=["access"])
class AccessViewSet(RepoMixin, viewsets.GenericViewSet):
    """``/models/{namespace}/{name}/access``: your access to a gated model."""

    serializer_class = AccessStateSerializer
    permission_classes = [TokenScopeAllowsWrite]
    filter_backends: list[Any] = []

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Whether you may download the files, and your request's state."""
        repo = self.get_repo()
        return Response(AccessStateSerializer(access_state(request, repo)).data)

    @extend_schema(
        request=AccessRequestCreateSerializer, responses=AccessStateSerializer
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Accept the license terms: access at once (auto) or a pending
        request (manual). 403 when the maintainers rejected you."""
        repo = self.get_repo()
        user = caller_user(request)
        params = AccessRequestCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        license_accept(repo=repo, user=user, fields=params.validated_data["answers"])
        return Response(AccessStateSerializer(access_state(request, repo)).data)


@extend_schema(tags=["access"])
class AccessRequestViewSet(RepoMixin, viewsets.GenericViewSet):
    """``/models/{namespace}/{name}/access-requests``: for the repo's admins."""

    serializer_class = AccessRequestSerializer
    pagination_class = StandardPagination
    permission_classes = [TokenScopeAllowsWrite]
    filter_backends: list[Any] = []

    def _admin_repo(self) -> ModelRepo:
        # The repo first: a private repo is a 404 to everyone without access.
        repo = self.get_repo()
        caller_user(self.request)
        usecases.repo_require_admin(actor=self.actor, repo=repo)
        return repo

    @extend_schema(parameters=[AccessRequestListQuerySerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Newest first; ``?status=pending`` for the ones to decide."""
        repo = self._admin_repo()
        params = AccessRequestListQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        rows = access_request_list(
            repo=repo, status=params.validated_data.get("status")
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(
            AccessRequestSerializer(page, many=True).data
        )

    @extend_schema(
        parameters=[OpenApiParameter("username", str, OpenApiParameter.PATH)],
        request=AccessRequestDecideSerializer,
        responses=AccessRequestSerializer,
    )
    def decide(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Accept or reject a user's request (accepting grants access even
        without a request); the user is notified."""
        repo = self._admin_repo()
        params = AccessRequestDecideSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        user = user_get_by_username(username=kwargs["username"])
        acceptance = access_request_decide(
            repo=repo,
            actor=caller_user(request),
            user=user,
            status=params.validated_data["status"],
        )
        return Response(AccessRequestSerializer(acceptance).data)


def register(router: Any) -> None:
    """Routes are explicit ``urlpatterns`` (nested under a two-segment id)."""


_REPO = "models/<str:namespace>/<str:name>"

urlpatterns = [
    path(
        f"{_REPO}/access",
        AccessViewSet.as_view({"get": "retrieve", "post": "create"}),
        name="api-v1-repo-access",
    ),
    path(
        f"{_REPO}/access-requests",
        AccessRequestViewSet.as_view({"get": "list"}),
        name="api-v1-repo-access-request-list",
    ),
    path(
        f"{_REPO}/access-requests/<str:username>",
        AccessRequestViewSet.as_view({"post": "decide"}),
        name="api-v1-repo-access-request-decide",
    ),
]
