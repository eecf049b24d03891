"""Check runs of a commit (issue 4: "the API shows each run's state live").

Clients poll these: each response carries an ETag, so an unchanged state
answers 304 to ``If-None-Match``. Runs are cursor-paginated; the summary
covers all of them.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from api.v1.etag import conditional_response
from api.v1.pagination import StandardCursorPagination
from api.v1.serializers.files import (
    CheckRunPageSerializer,
    CheckRunSerializer,
    ChecksSummarySerializer,
)
from api.v1.views.files import RevisionQuerySerializer, query_params
from api.v1.views.repo_base import RepoMixin
from hub.catalog.models import Commit
from hub.catalog.revisions import revision_resolve
from hub.jobs.selectors import checks_summary, validation_runs_of_commit


class CheckRunPagination(StandardCursorPagination):
    # The repo-level check has the empty path: it comes first, then files by
    # path. Paths are unique within a commit's runs.
    ordering = "path"


CHECKS_PAGE_PARAMETERS = [
    OpenApiParameter("cursor", str, description="The cursor from `next`."),
    OpenApiParameter("limit", int, description="Runs per page (1-100, default 20)."),
]


@extend_schema(tags=["checks"])
class CheckRunViewSet(RepoMixin, viewsets.GenericViewSet):
    """Validation runs of a commit, with a CI-style summary; clients poll these."""

    serializer_class = CheckRunSerializer
    pagination_class = CheckRunPagination
    filter_backends: list[Any] = []

    def _page(self, request: Request, commit: Commit) -> Response:
        summary = checks_summary(commit=commit)
        paginator = CheckRunPagination()
        runs = paginator.paginate_queryset(
            validation_runs_of_commit(commit=commit), request, view=self
        )
        data = {
            "commit": commit.oid,
            "summary": ChecksSummarySerializer(summary).data,
            "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
            "results": CheckRunSerializer(runs, many=True).data,
        }
        return conditional_response(request, data)

    @extend_schema(parameters=CHECKS_PAGE_PARAMETERS, responses=CheckRunPageSerializer)
    def of_commit(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Runs of a commit (repo-level check first, then files by path)."""
        commit = revision_resolve(repo=self.get_repo(), revision=kwargs["oid"])
        return self._page(request, commit)

    @extend_schema(
        parameters=[RevisionQuerySerializer, *CHECKS_PAGE_PARAMETERS],
        responses=CheckRunPageSerializer,
    )
    def of_revision(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Runs of the commit a revision points at now (default main's head)."""
        params = query_params(RevisionQuerySerializer, request)
        commit = revision_resolve(repo=self.get_repo(), revision=params["revision"])
        return self._page(request, commit)


_REPO = "models/<str:namespace>/<str:name>"

urlpatterns = [
    path(
        f"{_REPO}/commits/<str:oid>/checks",
        CheckRunViewSet.as_view({"get": "of_commit"}),
        name="api-v1-repo-commit-checks",
    ),
    path(
        f"{_REPO}/checks",
        CheckRunViewSet.as_view({"get": "of_revision"}),
        name="api-v1-repo-checks",
    ),
]
