"""Models: the catalog list (search, filters, sorts, facets), detail and settings.

Reads start from ``repo_list_visible`` / ``repo_get_visible``: a private
repo the caller may not see is absent from every list and facet count and
answers 404. Each write validates its input and calls one service.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import F, QuerySet
from django.urls import path, reverse
from django_filters.utils import translate_validation
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from api.v1.etag import conditional_response
from api.v1.pagination import StandardCursorPagination
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
from hub.catalog.facets import repo_facets_visible
from hub.catalog.filters import ModelRepoFilter
from hub.catalog.keyset import RowCompare
from hub.catalog.lineage import repo_derivative_conflicts, repo_license_lineage
from hub.catalog.models import ModelRepo
from hub.catalog.revisions import repo_heads
from hub.catalog.search import DEFAULT_SORT, REPO_SORTS, sort_key_expression
from hub.catalog.storage_usage import repo_storage_usage
from hub.catalog.visibility import repo_list_visible
from hub.core.errors import ApplicationError, NotFoundError
from hub.core.parsing import json_parse
from hub.jobs.selectors import checks_summary
from hub.licenses.selectors import license_get
from hub.reviews.selectors import review_rating_summary

_DATETIME_SORTS = {"created", "updated"}


# Keyset pagination -------------------------------------------------------------


@dataclass(frozen=True)
class _Position:
    sort: str
    value: Any
    pk: int
    reverse: bool


class ModelRepoCursorPagination(StandardCursorPagination):
    """Cursors on (sort key, id), so a page is one index range scan at any depth.

    DRF's cursor keeps an offset among equal sort values; in a catalog where
    most trending scores are 0 that offset grows with every page. Here the
    cursor carries the last row's (value, id) instead: stable under inserts
    and deletes, never repeats or skips a row. ``?limit`` (max 100).
    """

    invalid_cursor_message = "Invalid cursor: use the next or previous link as given."

    def paginate_queryset(
        self, queryset: QuerySet[Any], request: Request, view: Any = None
    ) -> list[Any]:
        self.request = request
        self.base_url = request.build_absolute_uri()
        self.page_size = self.get_page_size(request) or self.page_size
        sort = request.query_params.get("sort") or DEFAULT_SORT
        self.sort = sort if sort in REPO_SORTS else DEFAULT_SORT
        key = sort_key_expression(self.sort)
        position = self._decode(request.query_params.get(self.cursor_query_param))
        queryset = queryset.annotate(_sort_value=key)
        reverse = position is not None and position.reverse
        if position is not None:
            queryset = queryset.filter(
                RowCompare(key, position.value, position.pk, op=">" if reverse else "<")
            )
        if reverse:
            ordering = [F("_sort_value").asc(), F("pk").asc()]
        else:
            ordering = [F("_sort_value").desc(), F("pk").desc()]
        rows = list(queryset.order_by(*ordering)[: self.page_size + 1])
        has_more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if reverse:
            rows.reverse()
        has_next = has_more if not reverse else True
        has_previous = position is not None and (has_more if reverse else True)
        self._next: _Position | None = None
        self._previous: _Position | None = None
        if rows:
            if has_next:
                self._next = self._position_of(rows[-1], reverse=False)
            if has_previous:
                self._previous = self._position_of(rows[0], reverse=True)
        elif position is not None:
            # An empty page (rows deleted meanwhile) still links back.
            same = _Position(self.sort, position.value, position.pk, not reverse)
            if reverse:
                self._next = same
            else:
                self._previous = same
        return rows

    def _position_of(self, row: dict[str, Any], *, reverse: bool) -> _Position:
        return _Position(self.sort, row["_sort_value"], row["id"], reverse)

    def _decode(self, encoded: str | None) -> _Position | None:
        if not encoded:
            return None
        try:
            raw = json_parse(
                base64.urlsafe_b64decode(encoded.encode("ascii")), what="cursor"
            )
            sort, value, pk, reverse = raw["s"], raw["v"], raw["i"], raw["r"]
            if sort != self.sort or not isinstance(pk, int) or abs(pk) > 2**63:
                raise ValueError(sort)
            if sort in _DATETIME_SORTS:
                value = datetime.fromisoformat(value)
                if value.tzinfo is None:
                    raise ValueError(value)
            elif sort in ("trending", "rating"):
                value = float(value)
            elif isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(value)
        except (
            ValueError,
            TypeError,
            KeyError,
            UnicodeError,
            binascii.Error,
            ApplicationError,
        ):
            raise exceptions.ValidationError(
                {self.cursor_query_param: [self.invalid_cursor_message]}
            ) from None
        return _Position(sort, value, pk, bool(reverse))

    def _link(self, position: _Position | None) -> str | None:
        if position is None:
            return None
        value = position.value
        if isinstance(value, datetime):
            value = value.isoformat()
        raw = {"s": position.sort, "v": value, "i": position.pk, "r": position.reverse}
        encoded = base64.urlsafe_b64encode(
            json.dumps(raw, separators=(",", ":")).encode()
        ).decode("ascii")
        return replace_query_param(
            self.base_url or "", self.cursor_query_param, encoded
        )

    def get_next_link(self) -> str | None:
        return self._link(self._next)

    def get_previous_link(self) -> str | None:
        return self._link(self._previous)

    def get_paginated_response(
        self, data: Any, facets: dict[str, Any] | None = None
    ) -> Response:
        return Response(
            {
                "results": data,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "facets": facets or {},
            }
        )


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
            user=self.request.user, token=caller_token(self.request)
        )

    @extend_schema(
        parameters=[ModelRepoListQuerySerializer],
        responses=ModelRepoListPageSerializer,
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Search, filter and sort the models you may see, with facet counts."""
        params = ModelRepoListQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        token = caller_token(request)
        filterset = ModelRepoFilter(
            request.query_params, queryset=self.get_queryset(), request=request
        )
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        # Rows of the shown columns only: no search document, no whole card,
        # no model instances.
        queryset = filterset.qs.values(*LIST_VALUES)
        paginator = self.paginator
        assert isinstance(paginator, ModelRepoCursorPagination)
        page = paginator.paginate_queryset(queryset, request, view=self)
        data = self.get_serializer(page, many=True).data
        counts = repo_facets_visible(
            filterset=filterset,
            user=request.user,
            token=token,
            facets=params.validated_data.get("facets") or [],
        )
        return paginator.get_paginated_response(data, facets=counts.facets)

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
