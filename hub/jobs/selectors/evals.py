"""Reads of eval runs and results: per commit, the queue, claimed results,
``model-index`` and the leaderboards."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from hub.catalog.models import Commit, ModelRepo, Ref
from hub.catalog.search import json_list_contains
from hub.catalog.visibility import repo_list_visible
from hub.jobs import evalsuite
from hub.jobs.models import EvalRun
from hub.jobs.services.eval_runs import eval_queue_ordered
from hub.jobs.services.evals import evals_enabled

MAX_QUEUE_ROWS = 200
LEADERBOARD_SORTS = ("score", "parameters", "name", "evaluated")


def eval_data_visible(*, user: Any = None, token: Any = None) -> Q:
    """Runs whose held-out data the caller may see: the shipped data, or a
    dataset repo visible to them. A run on a private dataset is hidden,
    name and all, from whoever cannot see that dataset (and a run whose
    dataset was deleted from everybody)."""
    return Q(dataset_name="") | Q(
        dataset_repo__in=repo_list_visible(user=user, token=token)
    )


def eval_run_data(run: EvalRun) -> dict[str, Any]:
    """Which data a run used: the dataset repo (its current id, the commit
    and split evaluated) or the data the suite ships."""
    if run.uses_hub_data and run.dataset_repo is not None:
        repo = run.dataset_repo
        return {
            "dataset": repo.full_name,
            "on_hub": True,
            "revision": run.dataset_commit,
            "split": run.dataset_split,
            "column": str((run.data or {}).get("column", "")),
            "url": f"/{repo.typed_id}/tree/{run.dataset_commit}",
        }
    info = evalsuite.EVALUATORS.get(run.evaluator)
    return {
        "dataset": info.dataset if info else "",
        "on_hub": False,
        "revision": run.suite_version,
        "split": "",
        "column": "",
        "url": "",
    }


_RUN_RELATED = ("result", "commit__repo__namespace", "dataset_repo__namespace")


def eval_runs_of_commit(
    *, commit: Commit, user: Any = None, token: Any = None
) -> list[EvalRun]:
    """The latest run of each (checkpoint, evaluator, data) of a commit whose
    data the caller may see (anonymous when no caller is given), root first."""
    latest: dict[tuple[str, str, str, str], EvalRun] = {}
    runs = (
        EvalRun.objects.filter(commit=commit)
        .filter(eval_data_visible(user=user, token=token))
        .select_related(*_RUN_RELATED)
        .order_by("-created_at", "-id")
    )
    for run in runs:
        key = (run.checkpoint, run.evaluator, run.dataset_name, run.dataset_split)
        latest.setdefault(key, run)
    return [latest[k] for k in sorted(latest)]


def eval_run_get_visible(*, run_id: int, user: Any, token: Any = None) -> EvalRun:
    """One run, if the caller may see its repo and its data;
    EvalRun.DoesNotExist otherwise."""
    return (
        EvalRun.objects.select_related(*_RUN_RELATED)
        .filter(eval_data_visible(user=user, token=token))
        .get(pk=run_id, commit__repo__in=repo_list_visible(user=user, token=token))
    )


def eval_queue_positions() -> dict[int, int]:
    """Position (1 = next) of every queued run in the fair order."""
    ids = eval_queue_ordered().values_list("pk", flat=True)[:10_000]
    return {run_id: i for i, run_id in enumerate(ids, start=1)}


def eval_queue_visible(*, user: Any, token: Any = None) -> list[EvalRun]:
    """Queued and running runs of the repos the caller may see, each with
    ``position`` (queued runs: place in the whole fair queue, so positions
    of runs the caller cannot see leave gaps; running runs: 0)."""
    positions = eval_queue_positions()
    runs = list(
        EvalRun.objects.filter(
            status__in=EvalRun.ACTIVE,
            commit__repo__in=repo_list_visible(user=user, token=token),
        )
        .filter(eval_data_visible(user=user, token=token))
        .select_related("commit__repo__namespace", "dataset_repo__namespace")
        .order_by("created_at", "id")[:MAX_QUEUE_ROWS]
    )
    for run in runs:
        run.position = positions.get(run.pk, 0)  # type: ignore[attr-defined]
    runs.sort(key=lambda r: (r.status != "running", r.position))  # type: ignore[attr-defined]
    return runs


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and math.isfinite(value):
        return float(value)
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


def card_claimed_results(*, card_data: dict[str, Any]) -> list[dict[str, Any]]:
    """Results a model card claims in its ``model-index``, flattened.

    Each row: task, dataset, metric type and name, value. Claimed, never
    verified: whatever ``verified`` the card says is not taken from it.
    """
    rows: list[dict[str, Any]] = []
    index = card_data.get("model-index")
    if not isinstance(index, list):
        return rows
    for model in index[:10]:
        if not isinstance(model, dict):
            continue
        for result in (model.get("results") or [])[:50]:
            if not isinstance(result, dict):
                continue
            task: dict[str, Any] = result.get("task") or {}
            dataset: dict[str, Any] = result.get("dataset") or {}
            if not isinstance(task, dict):
                task = {}
            if not isinstance(dataset, dict):
                dataset = {}
            for metric in (result.get("metrics") or [])[:50]:
                if not isinstance(metric, dict):
                    continue
                value = _number(metric.get("value"))
                if value is None:
                    continue
                rows.append(
                    {
                        "task": str(task.get("type") or task.get("name") or ""),
                        "dataset": str(
                            dataset.get("name") or dataset.get("type") or ""
                        ),
                        "metric": str(metric.get("type") or metric.get("name") or ""),
                        "name": str(metric.get("name") or metric.get("type") or ""),
                        "value": value,
                    }
                )
    return rows[:200]


# The metrics an evaluator publishes besides its primary one.
PUBLISHED_METRICS = {
    evalsuite.CAUSAL_LM: ("bits_per_byte", "token_perplexity"),
    evalsuite.SENTENCE_EMBEDDING: ("ranking_accuracy", "margin"),
    evalsuite.FORWARD_PASS: ("finite_fraction",),
}


@dataclass
class EvalPanel:
    """What the model page shows about a commit's evaluations."""

    enabled: bool
    runs: list[EvalRun] = field(default_factory=list)
    claimed: list[dict[str, Any]] = field(default_factory=list)
    positions: dict[int, int] = field(default_factory=dict)

    @property
    def has_active(self) -> bool:
        return any(r.status in EvalRun.ACTIVE for r in self.runs)


def eval_panel(
    *, repo: ModelRepo, commit: Commit, user: Any = None, token: Any = None
) -> EvalPanel:
    """Runs of a commit whose data the caller may see (with queue
    positions) beside the card's claims."""
    runs = eval_runs_of_commit(commit=commit, user=user, token=token)
    positions = (
        eval_queue_positions()
        if any(r.status == EvalRun.Status.QUEUED for r in runs)
        else {}
    )
    for run in runs:
        run.position = positions.get(run.pk, 0)  # type: ignore[attr-defined]
    return EvalPanel(
        enabled=evals_enabled(),
        runs=runs,
        claimed=card_claimed_results(card_data=commit.card_data or {}),
        positions=positions,
    )


# Leaderboards ---------------------------------------------------------------


@dataclass
class LeaderboardQuery:
    evaluator: str
    task: str = ""
    license: str = ""
    size_tier: str = ""
    base_model: str = ""
    dataset: str = ""  # ns/name of a dataset repo; blank: the shipped data
    split: str = ""
    sort: str = "score"
    limit: int = 50
    offset: int = 0


def leaderboard_runs(
    *,
    query: LeaderboardQuery,
    user: Any = None,
    token: Any = None,
    every_dataset: bool = False,
) -> QuerySet[EvalRun]:
    """Finished runs on the head of ``main`` of visible repos, best first.

    One row per (repo, checkpoint, data); each links to the exact commit
    evaluated. Results on different data are never ranked together: the
    board holds the shipped data's results, or with ``dataset`` those on
    that dataset repo (when the caller may see it; else none), optionally
    one ``split``; ``every_dataset`` (never a board: for counting) the
    results on any dataset repo the caller may see. ``sort``: ``score``
    (the evaluator's primary metric, in its better direction),
    ``parameters``, ``name`` or ``evaluated``.
    """
    info = evalsuite.EVALUATORS[query.evaluator]
    heads = Ref.objects.filter(kind=Ref.Kind.BRANCH, name="main").values("commit_id")
    runs = EvalRun.objects.filter(
        evaluator=query.evaluator,
        status=EvalRun.Status.FINISHED,
        result__isnull=False,
        commit_id__in=heads,
        commit__repo__in=repo_list_visible(user=user, token=token),
    )
    if every_dataset:
        runs = runs.filter(eval_data_visible(user=user, token=token)).exclude(
            dataset_name=""
        )
    else:
        runs = _on_data(runs, query, user=user, token=token)
    if query.task:
        runs = runs.filter(commit__repo__pipeline_tag=query.task)
    if query.license:
        runs = runs.filter(commit__repo__license=query.license)
    if query.size_tier:
        runs = runs.filter(size_tier=query.size_tier)
    if query.base_model:
        base = ModelRepo.objects.filter(
            json_list_contains("base_model", [query.base_model.strip()])
        )
        runs = runs.filter(commit__repo__in=base)
    # The latest run per (commit, checkpoint): re-runs must not duplicate rows.
    newer = EvalRun.objects.filter(
        commit_id=OuterRef("commit_id"),
        checkpoint=OuterRef("checkpoint"),
        evaluator=OuterRef("evaluator"),
        dataset_name=OuterRef("dataset_name"),
        dataset_split=OuterRef("dataset_split"),
        status=EvalRun.Status.FINISHED,
        created_at__gt=OuterRef("created_at"),
    )
    runs = runs.filter(~Q(Exists(newer)))
    return runs.select_related(*_RUN_RELATED).order_by(*_order(query, info))


def _order(query: LeaderboardQuery, info: evalsuite.Evaluator) -> list[str]:
    if query.sort == "parameters":
        return ["-parameter_count", "id"]
    if query.sort == "name":
        return ["commit__repo__namespace__name", "commit__repo__name", "checkpoint"]
    if query.sort == "evaluated":
        return ["-finished_at", "-id"]
    if info.higher_is_better:
        return ["-result__primary_value", "id"]
    return ["result__primary_value", "id"]


def _on_data(
    runs: QuerySet[EvalRun], query: LeaderboardQuery, *, user: Any, token: Any
) -> QuerySet[EvalRun]:
    """The runs of one board's data (see ``leaderboard_runs``)."""
    if not query.dataset:
        return runs.filter(dataset_name="")
    namespace, _, name = query.dataset.strip().partition("/")
    runs = runs.filter(
        eval_data_visible(user=user, token=token),
        dataset_repo__namespace__name__iexact=namespace,
        dataset_repo__name__iexact=name,
    )
    return runs.filter(dataset_split=query.split) if query.split else runs


def leaderboard_counts(*, user: Any = None, token: Any = None) -> dict[str, int]:
    """Entries per evaluator (for the leaderboard index)."""
    return {
        name: leaderboard_runs(
            query=LeaderboardQuery(evaluator=name), user=user, token=token
        ).count()
        for name in evalsuite.EVALUATORS
    }


def leaderboard_datasets(
    *, evaluator: str, user: Any = None, token: Any = None
) -> list[dict[str, Any]]:
    """The dataset repos (and splits) with results on this evaluator's
    boards, as the caller may see them: each with its number of entries."""
    runs = leaderboard_runs(
        query=LeaderboardQuery(evaluator=evaluator),
        user=user,
        token=token,
        every_dataset=True,
    )
    counts: dict[tuple[str, str], int] = {}
    for run in runs.order_by():
        if run.dataset_repo is not None:
            key = (run.dataset_repo.full_name, run.dataset_split)
            counts[key] = counts.get(key, 0) + 1
    return [
        {"dataset": name, "split": split, "entries": n}
        for (name, split), n in sorted(counts.items())
    ]


def leaderboard_entry(run: EvalRun, rank: int) -> dict[str, Any]:
    """A leaderboard row (the same for the API and the web page)."""
    repo = run.commit.repo
    result = run.result
    assert result is not None
    return {
        "rank": rank,
        "repo": repo.full_name,
        "checkpoint": run.checkpoint,
        "commit": run.commit.oid,
        "commit_url": f"/{repo.full_name}/commit/{run.commit.oid}",
        "run_id": run.pk,
        "score": result.primary_value,
        "metrics": {
            k: float(v)
            for k, v in result.metrics.items()
            if isinstance(v, int | float) and not isinstance(v, bool)
        },
        "parameter_count": run.parameter_count,
        "size_tier": run.size_tier,
        "task": repo.pipeline_tag,
        "license": repo.license,
        "base_model": [b for b in repo.base_model if isinstance(b, str)],
        "held_out_data": eval_run_data(run),
        "evaluated_at": run.finished_at,
    }


def leaderboard_page(
    *, query: LeaderboardQuery, user: Any = None, token: Any = None
) -> tuple[int, list[dict[str, Any]]]:
    """(total entries, the rows of one page) of a leaderboard."""
    runs = leaderboard_runs(query=query, user=user, token=token)
    total = runs.count()
    page = runs[query.offset : query.offset + query.limit]
    return total, [
        leaderboard_entry(run, rank)
        for rank, run in enumerate(page, start=query.offset + 1)
    ]
