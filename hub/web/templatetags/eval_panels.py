"""Data of the model page's evaluation section (issue 7): the section's
template loads it with one tag, so the model page view stays as it is."""

from __future__ import annotations

from typing import Any

from django import template

from hub.accounts.actors import Actor
from hub.community.usecases import repo_abilities
from hub.jobs import evalsuite
from hub.jobs.selectors.evals import PUBLISHED_METRICS, eval_panel

register = template.Library()


def run_row(run: Any) -> dict[str, Any]:
    """One run as the template shows it: the numbers or why there are none."""
    info = evalsuite.EVALUATORS.get(run.evaluator)
    result = run.result
    metrics = []
    if result is not None:
        # The published secondary metric first (perplexity, margin), then
        # the counts and timings.
        published = PUBLISHED_METRICS.get(run.evaluator, ())
        names = sorted(
            (n for n in result.metrics if n != result.primary_metric),
            key=lambda n: (n not in published, n),
        )
        metrics = [
            {"name": name.replace("_", " "), "value": result.metrics[name]}
            for name in names
        ]
    return {
        "run": run,
        "title": info.title if info else run.evaluator,
        "primary_title": info.primary_title if info else "",
        "higher_is_better": info.higher_is_better if info else True,
        "result": result,
        "metrics": metrics,
        "generation": (result.details or {}).get("generation") if result else None,
        "position": getattr(run, "position", 0),
    }


def evals_panel_data(
    *, request: Any, repo: Any, commit: Any, checks_state: str
) -> dict[str, Any]:
    """Runs of ``commit``, the card's claimed results, whether the visitor may
    request a re-run, and ``state``: "pending" while a run is queued or
    running, or validation (which evaluations wait for) is still going."""
    panel = eval_panel(repo=repo, commit=commit)
    pending = panel.enabled and (panel.has_active or checks_state == "pending")
    return {
        "enabled": panel.enabled,
        "commit": commit,
        "rows": [run_row(run) for run in panel.runs],
        "claimed": panel.claimed,
        "has_active": panel.has_active,
        "state": "pending" if pending else "done",
        "can_rerun": panel.enabled
        and request.user.is_authenticated
        and repo_abilities(actor=Actor.of(request.user), repo=repo).can_write,
    }


@register.simple_tag(takes_context=True)
def evals_panel(context: Any) -> dict[str, Any]:
    """The evaluation section's data for the head commit (``head`` and its
    ``checks`` in the page context)."""
    return evals_panel_data(
        request=context["request"],
        repo=context["repo"],
        commit=context["head"],
        checks_state=context["checks"].state,
    )
