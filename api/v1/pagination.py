"""Pagination: cursors for long lists (stable under inserts), limit/offset else."""

from __future__ import annotations

from rest_framework.pagination import CursorPagination, LimitOffsetPagination


class StandardPagination(LimitOffsetPagination):
    default_limit = 20
    max_limit = 100


class StandardCursorPagination(CursorPagination):
    """``?limit=N&cursor=…``; ``next``/``previous`` are absolute URLs."""

    page_size = 20
    page_size_query_param = "limit"
    max_page_size = 100
    ordering = "-created_at"
