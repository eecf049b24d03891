"""Hub-verified eval results in the Hugging Face protocol's shapes: the
``model-index`` entries and the ``evalResults`` list that huggingface_hub
parses (model_info with ``expand``). Pure builders over the eval runs
``hub.jobs.selectors.evals`` returns."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hub.catalog.models import ModelRepo
from hub.jobs import evalsuite
from hub.jobs.models import EvalResult, EvalRun
from hub.jobs.selectors.evals import PUBLISHED_METRICS, eval_run_data


def _published(runs: list[EvalRun]) -> Iterator[tuple[EvalRun, EvalResult, Any]]:
    """Finished runs with a result, of an evaluator this hub still has: each
    with its result and its evaluator."""
    for run in runs:
        info = evalsuite.EVALUATORS.get(run.evaluator)
        result = run.result
        finished = run.status == EvalRun.Status.FINISHED
        if finished and result is not None and info is not None:
            yield run, result, info


def hub_model_index(
    *, repo: ModelRepo, runs: list[EvalRun], base_url: str = ""
) -> list[dict[str, Any]]:
    """The hub's own results as ``model-index`` entries (verified: true)."""
    results = []
    for run, result, info in _published(runs):
        metrics = [
            {
                "type": name,
                "name": name.replace("_", " "),
                "value": value,
                "verified": True,
            }
            for name, value in result.metrics.items()
            if name in PUBLISHED_METRICS.get(run.evaluator, ())
        ]
        results.append(
            {
                "task": {"type": info.task},
                "dataset": _model_index_dataset(run),
                "metrics": metrics,
                "source": {
                    "name": "Model Commons eval",
                    "url": f"{base_url}/api/v1/evals/runs/{run.pk}",
                },
            }
        )
    if not results:
        return []
    return [{"name": repo.full_name, "results": results}]


def hub_eval_result_entries(
    *, runs: list[EvalRun], base_url: str = ""
) -> list[dict[str, Any]]:
    """The hub's results in the ``evalResults`` shape huggingface_hub parses."""
    entries = []
    for run, result, _info in _published(runs):
        entries.append(
            {
                "dataset": _eval_result_dataset(run, result),
                "value": result.primary_value,
                "date": run.finished_at.isoformat().replace("+00:00", "Z")
                if run.finished_at
                else None,
                "source": {
                    "url": f"{base_url}/api/v1/evals/runs/{run.pk}",
                    "name": "Model Commons eval (verified)",
                },
                "notes": run.checkpoint or None,
            }
        )
    return entries


def _model_index_dataset(run: EvalRun) -> dict[str, Any]:
    """The data a result used, as ``model-index`` names it: a dataset repo of
    this hub with the commit and split evaluated, or the suite's data."""
    data = eval_run_data(run)
    named = {"name": data["dataset"], "type": data["dataset"]}
    if data["on_hub"]:
        return {**named, "split": data["split"], "revision": data["revision"]}
    return {**named, "revision": data["revision"]}


def _eval_result_dataset(run: EvalRun, result: EvalResult) -> dict[str, Any]:
    """The data a result used in the ``evalResults`` shape."""
    data = eval_run_data(run)
    return {
        "id": data["dataset"],
        "task_id": result.primary_metric,
        "revision": data["revision"],
        **({"split": data["split"]} if data["on_hub"] else {}),
    }
