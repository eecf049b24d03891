"""The catalog lists' shared machinery: keyset cursor pagination on
(sort key, id), and one list response for every catalog (models, datasets).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import F, QuerySet
from django_filters.utils import translate_validation
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from api.v1.pagination import StandardCursorPagination
from api.v1.views.repo_base import caller_token
from hub.catalog.facets import repo_facets_visible
from hub.catalog.filters import ModelRepoFilter
from hub.catalog.keyset import RowCompare
from hub.catalog.search import DEFAULT_SORT, REPO_SORTS, sort_key_expression
from hub.core.errors import ApplicationError
from hub.core.parsing import json_parse

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


def catalog_list_response(
    *,
    view: Any,
    request: Request,
    filterset_class: type[ModelRepoFilter],
    values: tuple[str, ...],
    facets: list[str],
) -> Response:
    """One page of a catalog's visible repos (rows of ``values``), filtered
    by ``filterset_class``, with the facet counts asked for."""
    filterset = filterset_class(
        request.query_params, queryset=view.get_queryset(), request=request
    )
    if not filterset.is_valid():
        raise translate_validation(filterset.errors)
    # Rows of the shown columns only: no search document, no whole card,
    # no model instances.
    queryset = filterset.qs.values(*values)
    paginator = view.paginator
    assert isinstance(paginator, ModelRepoCursorPagination)
    page = paginator.paginate_queryset(queryset, request, view=view)
    data = view.get_serializer(page, many=True).data
    counts = repo_facets_visible(
        filterset=filterset,
        user=request.user,
        token=caller_token(request),
        facets=facets,
    )
    return paginator.get_paginated_response(data, facets=counts.facets)
