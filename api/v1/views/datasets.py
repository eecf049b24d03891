"""Datasets: the catalog list (search, filters, sorts, facets), the detail
(card, files, viewer, the models naming it), and the file and history
resources of the models' routes under ``/datasets/{namespace}/{name}``.

The same visibility rules as the models': reads start from
``repo_list_visible(repo_type="dataset")`` / ``usecases.repo_open``; a
private dataset the caller may not see is absent and answers 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from api.v1.catalog import ModelRepoCursorPagination, catalog_list_response
from api.v1.etag import conditional_response
from api.v1.serializers.datasets import (
    DATASET_LIST_VALUES,
    DatasetRepoDetailSerializer,
    DatasetRepoListItemSerializer,
    DatasetRepoListPageSerializer,
    DatasetRepoListQuerySerializer,
)
from api.v1.views import files
from api.v1.views.repo_base import RepoMixin, caller_token
from hub.catalog.dataset_filters import DatasetRepoFilter
from hub.catalog.lineage import dataset_models
from hub.catalog.models import ModelRepo
from hub.catalog.revisions import repo_heads
from hub.catalog.trees import tree_entries
from hub.catalog.visibility import repo_list_visible
from hub.core.errors import NotFoundError
from hub.jobs.selectors import checks_summary
from hub.licenses.selectors import license_get
from hub.viewer.selectors import dataset_view_get

# Files of main's head listed in the detail (the tree resource pages on).
DETAIL_FILES = 1000


_REPO_PARAMETERS = [
    OpenApiParameter("namespace", str, OpenApiParameter.PATH),
    OpenApiParameter("name", str, OpenApiParameter.PATH),
]


@extend_schema(tags=["datasets"])
class DatasetRepoViewSet(
    RepoMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The dataset catalog; ``/datasets/{namespace}/{name}`` for one dataset."""

    repo_type = "dataset"
    serializer_class = DatasetRepoListItemSerializer
    filterset_class = DatasetRepoFilter
    pagination_class = ModelRepoCursorPagination

    def get_queryset(self) -> QuerySet[ModelRepo]:
        return repo_list_visible(
            user=self.request.user,
            token=caller_token(self.request),
            repo_type=self.repo_type,
        )

    @extend_schema(
        parameters=[DatasetRepoListQuerySerializer],
        responses=DatasetRepoListPageSerializer,
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Search, filter and sort the datasets you may see, with facet counts."""
        params = DatasetRepoListQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        return catalog_list_response(
            view=self,
            request=request,
            filterset_class=DatasetRepoFilter,
            values=DATASET_LIST_VALUES,
            facets=params.validated_data.get("facets") or [],
        )

    @extend_schema(parameters=_REPO_PARAMETERS, responses=DatasetRepoDetailSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One dataset: card, main's files and checks, its viewer (schema and
        first rows per split) and the models whose card names it."""
        repo = self.get_repo()
        return conditional_response(request, self._detail(repo))

    def _detail(self, repo: ModelRepo) -> Any:
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
            "files": list(tree_entries(commit=head)[:DETAIL_FILES])
            if head is not None
            else [],
            "viewer": dataset_view_get(actor=self.actor, repo=repo, commit=head)
            if head is not None
            else None,
            "models": dataset_models(
                repo=repo, user=self.request.user, token=caller_token(self.request)
            ),
        }
        return DatasetRepoDetailSerializer(repo, context=context).data


def register(router: Any) -> None:
    """The datasets routes are explicit ``urlpatterns``: the id has two segments."""


_REPO = "datasets/<str:namespace>/<str:name>"
_DATASET = {"repo_type": "dataset"}


urlpatterns = [
    path(
        "datasets",
        DatasetRepoViewSet.as_view({"get": "list"}),
        name="api-v1-dataset-list",
    ),
    path(
        _REPO,
        DatasetRepoViewSet.as_view({"get": "retrieve"}),
        name="api-v1-dataset-detail",
    ),
    # The models' file and history resources, on the dataset of the URL.
    path(
        f"{_REPO}/tree",
        files.TreeViewSet.as_view({"get": "list"}, **_DATASET),
        name="api-v1-dataset-tree",
    ),
    path(
        f"{_REPO}/files/<path:path>",
        files.FileViewSet.as_view({"get": "retrieve"}, **_DATASET),
        name="api-v1-dataset-file",
    ),
    path(
        f"{_REPO}/commits",
        files.CommitViewSet.as_view({"get": "list"}, **_DATASET),
        name="api-v1-dataset-commit-list",
    ),
    path(
        f"{_REPO}/commits/<str:oid>",
        files.CommitViewSet.as_view({"get": "retrieve"}, **_DATASET),
        name="api-v1-dataset-commit-detail",
    ),
]
