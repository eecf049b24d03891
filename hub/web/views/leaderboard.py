"""Leaderboards (one per evaluator, with a score-vs-parameters chart), the
eval queue, and the re-run button of the model page (issue 7)."""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from hub.catalog.pipeline_tags import PIPELINE_TAGS
from hub.jobs import evalsuite
from hub.jobs.selectors.evals import (
    LEADERBOARD_SORTS,
    LeaderboardQuery,
    eval_queue_visible,
    leaderboard_counts,
    leaderboard_datasets,
    leaderboard_page,
)
from hub.jobs.services.evals import evals_enabled

PAGE_SIZE = 50
SORT_LABELS = {
    "score": "Score",
    "parameters": "Parameters",
    "name": "Name",
    "evaluated": "Recently evaluated",
}


class LeaderboardFilterForm(forms.Form):
    task = forms.ChoiceField(
        required=False, choices=[("", "Any task")] + [(t, t) for t in PIPELINE_TAGS]
    )
    license = forms.CharField(required=False, max_length=64)
    size_tier = forms.ChoiceField(
        required=False,
        choices=[("", "Any size")] + [(t, t) for t in evalsuite.TIER_NAMES],
    )
    base_model = forms.CharField(required=False, max_length=200)
    dataset = forms.CharField(required=False, max_length=200)
    split = forms.CharField(required=False, max_length=100)
    sort = forms.ChoiceField(
        required=False, choices=[(s, SORT_LABELS[s]) for s in LEADERBOARD_SORTS]
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)


# Chart geometry (SVG user units).
CHART_W, CHART_H = 640, 300
PAD_L, PAD_R, PAD_T, PAD_B = 64, 16, 16, 44


def _nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    if high <= low:
        return [low]
    step = (high - low) / (count - 1)
    return [low + i * step for i in range(count)]


def score_chart(rows: list[dict[str, Any]], metric: str) -> dict[str, Any] | None:
    """Points of score against parameter count (log scale), server-rendered.

    Rows without a parameter count cannot be placed and are left out.
    """
    points = [r for r in rows if r["parameter_count"]]
    if not points:
        return None
    xs = [math.log10(r["parameter_count"]) for r in points]
    ys = [r["score"] for r in points]
    x_lo, x_hi = math.floor(min(xs)), math.ceil(max(xs))
    if x_hi == x_lo:
        x_hi += 1
    y_lo, y_hi = min(ys), max(ys)
    if y_hi == y_lo:
        y_lo, y_hi = y_lo - 0.5, y_hi + 0.5
    margin = (y_hi - y_lo) * 0.08
    y_lo, y_hi = y_lo - margin, y_hi + margin
    inner_w = CHART_W - PAD_L - PAD_R
    inner_h = CHART_H - PAD_T - PAD_B

    def px(x: float) -> float:
        return PAD_L + (x - x_lo) / (x_hi - x_lo) * inner_w

    def py(y: float) -> float:
        return PAD_T + (1 - (y - y_lo) / (y_hi - y_lo)) * inner_h

    return {
        "width": CHART_W,
        "height": CHART_H,
        "left": PAD_L,
        "right": CHART_W - PAD_R,
        "top": PAD_T,
        "bottom": CHART_H - PAD_B,
        "metric": metric,
        "points": [
            {
                "cx": round(px(x), 1),
                "cy": round(py(r["score"]), 1),
                "label": r["repo"]
                + (f" ({r['checkpoint']})" if r["checkpoint"] else ""),
                "url": r["commit_url"],
                "score": r["score"],
                "parameters": r["parameter_count"],
            }
            for x, r in zip(xs, points, strict=True)
        ],
        "x_ticks": [
            {"x": round(px(e), 1), "label": _params_label(10**e)}
            for e in range(x_lo, x_hi + 1)
        ],
        "y_ticks": [
            {"y": round(py(v), 1), "label": f"{v:.3g}"} for v in _nice_ticks(y_lo, y_hi)
        ],
        "x_title_y": CHART_H - 6,
        "missing": len(rows) - len(points),
    }


def _params_label(n: float) -> str:
    for size, unit in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if n >= size:
            return f"{n / size:g}{unit}"
    return f"{n:g}"


@require_safe
def leaderboard_index(request: HttpRequest) -> HttpResponse:
    """``/leaderboard``: the first board that has entries (causal LM first)."""
    counts = leaderboard_counts(user=request.user)
    best = max(
        evalsuite.EVALUATORS,
        key=lambda name: (counts[name] > 0, -list(evalsuite.EVALUATORS).index(name)),
    )
    return redirect(f"/leaderboard/{best}")


def _board_links(query: LeaderboardQuery, page: int, total: int) -> dict[str, Any]:
    """The sort links and the previous/next page links, keeping the filters."""
    params = {
        k: v
        for k, v in {
            "task": query.task,
            "license": query.license,
            "size_tier": query.size_tier,
            "base_model": query.base_model,
            "dataset": query.dataset,
            "split": query.split,
        }.items()
        if v
    }

    def url(**extra: Any) -> str:
        return "?" + urlencode({**params, **extra})

    return {
        "sort_links": [
            {"key": key, "label": label, "url": url(sort=key), "on": key == query.sort}
            for key, label in SORT_LABELS.items()
        ],
        "next_url": url(sort=query.sort, page=page + 1)
        if query.offset + PAGE_SIZE < total
        else "",
        "prev_url": url(sort=query.sort, page=page - 1) if page > 1 else "",
    }


@require_safe
def leaderboard_board(request: HttpRequest, evaluator: str) -> HttpResponse:
    """``/leaderboard/{evaluator}``: sortable, filterable table and chart."""
    info = evalsuite.EVALUATORS.get(evaluator)
    if info is None:
        raise Http404("No such leaderboard.")
    form = LeaderboardFilterForm(request.GET, auto_id="lb-%s")
    cleaned: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    page = cleaned.get("page") or 1
    query = LeaderboardQuery(
        evaluator=evaluator,
        task=cleaned.get("task") or "",
        license=(cleaned.get("license") or "").strip(),
        size_tier=cleaned.get("size_tier") or "",
        base_model=(cleaned.get("base_model") or "").strip(),
        dataset=(cleaned.get("dataset") or "").strip(),
        split=(cleaned.get("split") or "").strip(),
        sort=cleaned.get("sort") or "score",
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
    )
    total, rows = leaderboard_page(query=query, user=request.user)
    counts = leaderboard_counts(user=request.user)
    context = {
        "nav": "leaderboard",
        "info": info,
        "boards": [
            {
                "name": e.name,
                "title": e.title,
                "count": counts[e.name],
                "on": e.name == evaluator,
            }
            for e in evalsuite.EVALUATORS.values()
        ],
        "form": form,
        "errors": None if form.is_valid() else form.errors,
        "query": query,
        "rows": rows,
        "total": total,
        "chart": score_chart(rows, info.primary_title),
        **_board_links(query, page, total),
        "enabled": evals_enabled(),
        "tiers": evalsuite.SIZE_TIERS,
        "dataset_boards": leaderboard_datasets(evaluator=evaluator, user=request.user)
        if info.accepts_hub_data
        else [],
    }
    return render(request, "web/leaderboard/board.html", context)


@require_safe
def eval_queue(request: HttpRequest) -> HttpResponse:
    """``/leaderboard/queue``: what waits and runs, with places in the queue."""
    runs = eval_queue_visible(user=request.user)
    return render(
        request,
        "web/leaderboard/queue.html",
        {"nav": "leaderboard", "runs": runs, "enabled": evals_enabled()},
    )
