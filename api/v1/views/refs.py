"""Refs of a repo: list them; create and delete branches and tags.

Creating or deleting a branch or a tag needs write access to the repo (as
in the HF face); the main branch cannot be deleted.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from api.v1.etag import conditional_response
from api.v1.serializers.refs import (
    RefCreateSerializer,
    RefListSerializer,
    RefSerializer,
)
from api.v1.views.repo_base import RepoMixin, TokenScopeAllowsWrite
from hub.catalog.models import Ref
from hub.catalog.revisions import ref_list
from hub.catalog.services.refs import (
    branch_create,
    branch_delete,
    tag_create,
    tag_delete,
)


def _pr_number(ref: Ref) -> int:
    tail = ref.name.rsplit("/", 1)[-1]
    return int(tail) if tail.isdigit() else 0


@extend_schema(tags=["refs"])
class RefViewSet(RepoMixin, viewsets.GenericViewSet):
    serializer_class = RefSerializer
    permission_classes = [IsAuthenticatedOrReadOnly, TokenScopeAllowsWrite]
    filter_backends: list[Any] = []

    @extend_schema(responses=RefListSerializer)
    def refs(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Branches and tags by name, pull request refs by number."""
        refs = list(ref_list(repo=self.get_repo()))
        data = RefListSerializer(
            {
                "branches": [r for r in refs if r.kind == Ref.Kind.BRANCH],
                "tags": [r for r in refs if r.kind == Ref.Kind.TAG],
                "pull_requests": sorted(
                    (r for r in refs if r.kind == Ref.Kind.PULL_REQUEST),
                    key=_pr_number,
                ),
            }
        ).data
        return conditional_response(request, data)

    def _create(self, request: Request, service: Any) -> Response:
        repo = self.get_repo()
        self.require_write(repo)
        params = RefCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        ref = service(
            repo=repo,
            name=params.validated_data["name"],
            revision=params.validated_data.get("revision") or None,
        )
        return Response(RefSerializer(ref).data, status=status.HTTP_201_CREATED)

    def _delete(self, service: Any, name: str) -> Response:
        repo = self.get_repo()
        self.require_write(repo)
        service(repo=repo, name=name)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=RefCreateSerializer, responses={201: RefSerializer})
    def create_branch(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Create a branch at a revision (write access; 409 if the name is taken)."""
        return self._create(request, branch_create)

    @extend_schema(responses={204: None})
    def delete_branch(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Delete a branch (write access); main cannot be deleted."""
        return self._delete(branch_delete, kwargs["ref"])

    @extend_schema(request=RefCreateSerializer, responses={201: RefSerializer})
    def create_tag(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Tag a revision (write access; 409 if the name is taken)."""
        return self._create(request, tag_create)

    @extend_schema(responses={204: None})
    def delete_tag(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Delete a tag (write access)."""
        return self._delete(tag_delete, kwargs["ref"])


_REPO = "models/<str:namespace>/<str:name>"

urlpatterns = [
    path(f"{_REPO}/refs", RefViewSet.as_view({"get": "refs"}), name="api-v1-repo-refs"),
    path(
        f"{_REPO}/branches",
        RefViewSet.as_view({"post": "create_branch"}),
        name="api-v1-repo-branch-list",
    ),
    path(
        f"{_REPO}/branches/<path:ref>",
        RefViewSet.as_view({"delete": "delete_branch"}),
        name="api-v1-repo-branch-detail",
    ),
    path(
        f"{_REPO}/tags",
        RefViewSet.as_view({"post": "create_tag"}),
        name="api-v1-repo-tag-list",
    ),
    path(
        f"{_REPO}/tags/<path:ref>",
        RefViewSet.as_view({"delete": "delete_tag"}),
        name="api-v1-repo-tag-detail",
    ),
]
