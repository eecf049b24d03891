"""Evaluations: a model's runs and results, re-run requests, the queue and
the leaderboards (issue 7).

Everything is read through hub.jobs.selectors.evals, which starts from the
one visibility filter; a private model's runs answer 404 like the model.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from api.v1.serializers.evals import (
    EvalQueueSerializer,
    EvalRequestSerializer,
    EvalRunSerializer,
    LeaderboardIndexItemSerializer,
    LeaderboardQuerySerializer,
    LeaderboardSerializer,
    ModelEvalsSerializer,
)
from api.v1.views.files import RevisionQuerySerializer, query_params
from api.v1.views.repo_base import (
    CleanPathMixin,
    RepoMixin,
    TokenScopeAllowsWrite,
    caller_token,
    caller_user,
)
from hub.catalog.models import Commit
from hub.catalog.revisions import revision_resolve
from hub.jobs import evalsuite
from hub.jobs.models import EvalRun
from hub.jobs.selectors.evals import (
    LeaderboardQuery,
    eval_panel,
    eval_queue_visible,
    eval_run_get_visible,
    leaderboard_counts,
    leaderboard_datasets,
    leaderboard_page,
)
from hub.jobs.services.eval_data import DataRequest
from hub.jobs.services.evals import eval_run_request, evals_enabled


def _panel_data(request: Request, repo: Any, commit: Commit) -> dict[str, Any]:
    panel = eval_panel(
        repo=repo, commit=commit, user=request.user, token=caller_token(request)
    )
    return {
        "enabled": panel.enabled,
        "commit": commit.oid,
        "runs": EvalRunSerializer(panel.runs, many=True).data,
        "claimed": panel.claimed,
    }


@extend_schema(tags=["evals"])
class ModelEvalViewSet(RepoMixin, viewsets.GenericViewSet):
    """A model's evaluations: hub-verified results beside the card's claims."""

    serializer_class = ModelEvalsSerializer
    permission_classes = [IsAuthenticatedOrReadOnly, TokenScopeAllowsWrite]
    filter_backends: list[Any] = []
    pagination_class = None

    @extend_schema(parameters=[RevisionQuerySerializer], responses=ModelEvalsSerializer)
    def of_revision(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Eval runs (latest per checkpoint) of the commit a revision points at."""
        params = query_params(RevisionQuerySerializer, request)
        repo = self.get_repo()
        commit = revision_resolve(repo=repo, revision=params["revision"])
        return Response(_panel_data(request, repo, commit))

    @extend_schema(responses=ModelEvalsSerializer)
    def of_commit(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Eval runs (latest per checkpoint) of one commit."""
        repo = self.get_repo()
        commit = revision_resolve(repo=repo, revision=kwargs["oid"])
        return Response(_panel_data(request, repo, commit))

    @extend_schema(
        request=EvalRequestSerializer,
        responses={202: EvalRunSerializer(many=True)},
    )
    def request_rerun(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Re-run a commit's evaluations, or (``dataset``) evaluate its causal
        LMs on a text split of a dataset repo the caller can read
        (maintainers; 429 past the per-user limit of waiting requests).
        Answers the runs; poll ``/api/v1/evals/runs/{id}``."""
        params = EvalRequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        values = params.validated_data
        repo = self.get_repo()
        commit = revision_resolve(repo=repo, revision=values["revision"])
        data = None
        if values["dataset"]:
            data = DataRequest(
                dataset=values["dataset"],
                revision=values["dataset_revision"],
                config=values["config"],
                split=values["split"],
                column=values["column"],
            )
        runs = eval_run_request(
            repo=repo,
            commit=commit,
            user=caller_user(request),
            token=caller_token(request),
            data=data,
        )
        return Response(
            EvalRunSerializer(runs, many=True).data, status=status.HTTP_202_ACCEPTED
        )


@extend_schema(tags=["evals"])
class EvalRunViewSet(CleanPathMixin, viewsets.GenericViewSet):
    """One eval run, and the queue of the models the caller may see."""

    serializer_class = EvalRunSerializer
    filter_backends: list[Any] = []
    pagination_class = None

    @extend_schema(responses=EvalRunSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One run with its result, reason and log tail."""
        try:
            run = eval_run_get_visible(
                run_id=int(kwargs["run_id"]),
                user=request.user,
                token=caller_token(request),
            )
        except EvalRun.DoesNotExist:
            raise exceptions.NotFound("No such eval run.") from None
        return Response(EvalRunSerializer(run).data)

    @extend_schema(responses=EvalQueueSerializer)
    def queue(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Queued and running evaluations with their place in the fair queue."""
        runs = eval_queue_visible(user=request.user, token=caller_token(request))
        return Response(
            {
                "enabled": evals_enabled(),
                "results": EvalRunSerializer(runs, many=True).data,
            }
        )


@extend_schema(tags=["evals"])
class LeaderboardViewSet(viewsets.GenericViewSet):
    """Leaderboards, one per evaluator."""

    serializer_class = LeaderboardSerializer
    filter_backends: list[Any] = []
    pagination_class = None

    @extend_schema(responses=LeaderboardIndexItemSerializer(many=True))
    def index(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Every evaluator with its number of entries on the data it ships,
        and the dataset repos (with splits) that have boards of their own."""
        token = caller_token(request)
        counts = leaderboard_counts(user=request.user, token=token)
        return Response(
            [
                {
                    "evaluator": e.name,
                    "title": e.title,
                    "primary_metric": e.primary_metric,
                    "higher_is_better": e.higher_is_better,
                    "suite_version": e.suite_version,
                    "entries": counts[e.name],
                    "url": request.build_absolute_uri(f"/api/v1/leaderboards/{e.name}"),
                    "datasets": [
                        {
                            **d,
                            "url": request.build_absolute_uri(
                                f"/api/v1/leaderboards/{e.name}?"
                                + urlencode(
                                    {"dataset": d["dataset"], "split": d["split"]}
                                )
                            ),
                        }
                        for d in leaderboard_datasets(
                            evaluator=e.name, user=request.user, token=token
                        )
                    ]
                    if e.accepts_hub_data
                    else [],
                }
                for e in evalsuite.EVALUATORS.values()
            ]
        )

    @extend_schema(
        parameters=[
            LeaderboardQuerySerializer,
            OpenApiParameter(
                "evaluator",
                str,
                OpenApiParameter.PATH,
                enum=list(evalsuite.EVALUATORS),
            ),
        ],
        responses=LeaderboardSerializer,
    )
    def board(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One leaderboard: sortable (score, parameters, name, evaluated),
        filterable by task, license, size tier and base model; every entry
        names the exact commit evaluated."""
        info = evalsuite.EVALUATORS.get(kwargs["evaluator"])
        if info is None:
            raise exceptions.NotFound(
                f"No evaluator {kwargs['evaluator']!r}; see /api/v1/leaderboards."
            )
        params = query_params(LeaderboardQuerySerializer, request)
        total, rows = leaderboard_page(
            query=LeaderboardQuery(evaluator=info.name, **params),
            user=request.user,
            token=caller_token(request),
        )
        return Response(
            {
                "evaluator": info.name,
                "title": info.title,
                "suite_version": info.suite_version,
                "primary_metric": info.primary_metric,
                "higher_is_better": info.higher_is_better,
                "count": total,
                "results": rows,
            }
        )


_REPO = "models/<str:namespace>/<str:name>"

urlpatterns = [
    path(
        f"{_REPO}/evals",
        ModelEvalViewSet.as_view({"get": "of_revision", "post": "request_rerun"}),
        name="api-v1-repo-evals",
    ),
    path(
        f"{_REPO}/commits/<str:oid>/evals",
        ModelEvalViewSet.as_view({"get": "of_commit"}),
        name="api-v1-repo-commit-evals",
    ),
    path(
        "evals/runs/<int:run_id>",
        EvalRunViewSet.as_view({"get": "retrieve"}),
        name="api-v1-eval-run",
    ),
    path(
        "evals/queue",
        EvalRunViewSet.as_view({"get": "queue"}),
        name="api-v1-eval-queue",
    ),
    path(
        "leaderboards",
        LeaderboardViewSet.as_view({"get": "index"}),
        name="api-v1-leaderboards",
    ),
    path(
        "leaderboards/<str:evaluator>",
        LeaderboardViewSet.as_view({"get": "board"}),
        name="api-v1-leaderboard",
    ),
]


def register(router: Any) -> None:
    """No router resources here: only the URL patterns above."""
