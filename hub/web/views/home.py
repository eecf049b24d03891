"""The home page: what this hub is, trending and recently updated models."""

from __future__ import annotations

from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from hub.catalog.visibility import repo_list_visible

SHOWN = 8


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Trending (by trending score) and recently updated visible models."""
    visible = repo_list_visible(user=request.user, repo_type="model")
    trending = list(
        visible.order_by(F("trending_score").desc(), F("likes").desc(), "-pk")[:SHOWN]
    )
    recent = list(
        visible.order_by(F("last_commit_at").desc(nulls_last=True), "-pk")[:SHOWN]
    )
    return render(
        request,
        "web/home.html",
        {"trending": trending, "recent": recent, "model_count": visible.count()},
    )
