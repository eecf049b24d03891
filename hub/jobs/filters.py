"""The jobs' conditions on the model catalog's filters (registered in
``JobsConfig.ready()``: the catalog declares the parameters, jobs own what
an evaluation result is)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from hub.catalog.filters import repo_condition_register
from hub.jobs.models import EvalRun


def repo_has_eval_results() -> Exists:
    """Repos with a finished evaluation of any of their commits."""
    return Exists(
        EvalRun.objects.filter(
            commit__repo_id=OuterRef("pk"), status=EvalRun.Status.FINISHED
        )
    )


def filters_register() -> None:
    repo_condition_register("has_eval_results", repo_has_eval_results)
