"""Models: the catalog list (search, filters, sorts, facets), detail and settings.

Reads start from ``repo_list_visible`` / ``repo_get_visible``: a private
repo the caller may not see is absent from every list and facet count and
answers 404. Each write validates its input and calls one service.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import path, reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from api.v1.catalog import ModelRepoCursorPagination, catalog_list_response
from api.v1.etag import conditional_response
from api.v1.serializers.models import (
    LIST_VALUES,
    ModelRepoCreateSerializer,
    ModelRepoDetailSerializer,
    ModelRepoListItemSerializer,
    ModelRepoListPageSerializer,
    ModelRepoListQuerySerializer,
    ModelRepoUpdateSerializer,
)
from api.v1.views.repo_base import RepoMixin, caller_token
from hub.catalog import usecases
from hub.catalog.errors import RepoNotFoundError
from hub.catalog.filters import ModelRepoFilter
from hub.catalog.lineage import (
    model_datasets,
    repo_derivative_conflicts,
    repo_license_lineage,
)
from hub.catalog.models import ModelRepo
from hub.catalog.revisions import repo_heads
from hub.catalog.storage_usage import repo_storage_usage
from hub.catalog.visibility import repo_list_visible
from hub.core.errors import NotFoundError
from hub.jobs.selectors import checks_summary
from hub.licenses.selectors import license_get
from hub.reviews.selectors import review_rating_summary

# Views -------------------------------------------------------------------------

_REPO_PARAMETERS = [
    OpenApiParameter("namespace", str, OpenApiParameter.PATH),
    OpenApiParameter("name", str, OpenApiParameter.PATH),
]


class ModelRepoViewSet(
    RepoMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The model catalog; ``/models/{namespace}/{name}`` for one repo."""

    serializer_class = ModelRepoListItemSerializer
    filterset_class = ModelRepoFilter
    pagination_class = ModelRepoCursorPagination

    def get_queryset(self) -> QuerySet[ModelRepo]:
        return repo_list_visible(
            user=self.request.user,
            token=caller_token(self.request),
            repo_type=self.repo_type,
        )

    @extend_schema(
        parameters=[ModelRepoListQuerySerializer],
        responses=ModelRepoListPageSerializer,
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Search, filter and sort the models you may see, with facet counts."""
        params = ModelRepoListQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        return catalog_list_response(
            view=self,
            request=request,
            filterset_class=ModelRepoFilter,
            values=LIST_VALUES,
            facets=params.validated_data.get("facets") or [],
        )

    @extend_schema(parameters=_REPO_PARAMETERS, responses=ModelRepoDetailSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One model: card metadata, license terms, main's head and its checks."""
        repo = self.get_repo()
        return conditional_response(request, _detail_data(repo, request))

    @extend_schema(
        request=ModelRepoCreateSerializer,
        responses={201: ModelRepoDetailSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Create a model repo (in your namespace unless ``namespace`` is given)."""
        params = ModelRepoCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        repo = usecases.repo_create(
            actor=self.actor,
            namespace_name=data.get("namespace") or request.user.get_username(),
            name=data["name"],
            is_private=data["private"],
            license_id=data.get("license") or None,
        )
        location = reverse(
            "api-v1-model-detail",
            kwargs={"namespace": repo.namespace.name, "name": repo.name},
        )
        return Response(
            _detail_data(repo, request),
            status=status.HTTP_201_CREATED,
            headers={"Location": request.build_absolute_uri(location)},
        )

    @extend_schema(
        parameters=_REPO_PARAMETERS,
        request=ModelRepoUpdateSerializer,
        responses=ModelRepoDetailSerializer,
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Change visibility (``private``) or gating (``gated``). Admins only."""
        repo = self._exact_repo()
        usecases.repo_require_admin(actor=self.actor, repo=repo)
        params = ModelRepoUpdateSerializer(data=request.data, partial=True)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        repo = usecases.repo_update_settings(
            actor=self.actor,
            repo=repo,
            is_private=data.get("private"),
            gated=data.get("gated"),
        )
        return Response(_detail_data(repo, request))

    @extend_schema(parameters=_REPO_PARAMETERS, responses={204: None})
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Delete a model repo with its whole history. Admins only."""
        repo = self._exact_repo()
        usecases.repo_delete(actor=self.actor, repo=repo)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _exact_repo(self) -> ModelRepo:
        # Writes never follow a rename redirect: changing or deleting an old
        # id would otherwise act on the repo that now lives elsewhere.
        repo = self.get_repo()
        wanted = f"{self.kwargs['namespace']}/{self.kwargs['name']}"
        if repo.full_name.lower() != wanted.lower():
            raise RepoNotFoundError(f"Repository {wanted} not found.")
        return repo


def _detail_data(repo: ModelRepo, request: Request | None = None) -> Any:
    head = repo_heads(repo_ids=[repo.pk]).get(repo.pk)
    license_ = None
    if repo.license:
        try:
            license_ = license_get(license_id=repo.license)
        except NotFoundError:  # an id the catalog no longer lists
            license_ = None
    context = {
        "license": license_,
        "head": head,
        "checks": checks_summary(commit=head) if head is not None else None,
        "rating": review_rating_summary(repo=repo),
        "license_lineage": _license_lineage(repo, request),
        "storage": repo_storage_usage(repo=repo),
        "dataset_links": model_datasets(
            repo=repo,
            user=request.user if request is not None else None,
            token=caller_token(request) if request is not None else None,
        ),
    }
    return ModelRepoDetailSerializer(repo, context=context).data


def _license_lineage(repo: ModelRepo, request: Request | None) -> dict[str, Any]:
    user = request.user if request is not None else None
    token = caller_token(request) if request is not None else None
    return {
        "bases": repo_license_lineage(repo=repo, user=user, token=token),
        "derivative_conflicts": repo_derivative_conflicts(
            repo=repo, user=user, token=token
        ),
    }


def register(router: Any) -> None:
    """The models routes are explicit ``urlpatterns``: the id has two segments."""


urlpatterns = [
    path(
        "models",
        ModelRepoViewSet.as_view({"get": "list", "post": "create"}),
        name="api-v1-model-list",
    ),
    path(
        "models/<str:namespace>/<str:name>",
        ModelRepoViewSet.as_view(
            {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
        ),
        name="api-v1-model-detail",
    ),
]
