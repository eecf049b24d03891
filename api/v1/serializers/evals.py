"""Eval runs, results, the queue and leaderboards (issue 7)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hub.jobs import evalsuite
from hub.jobs.models import EvalResult, EvalRun
from hub.jobs.selectors.evals import LEADERBOARD_SORTS, eval_run_data


class EvalResultSerializer(serializers.ModelSerializer):
    """Numbers of one evaluator on one exact set of files, and how they were made."""

    verified = serializers.SerializerMethodField(
        help_text="Always true: computed by this hub's sandboxed eval workers."
    )

    class Meta:
        model = EvalResult
        fields = [
            "evaluator",
            "suite_version",
            "inputs_digest",
            "primary_metric",
            "primary_value",
            "higher_is_better",
            "metrics",
            "details",
            "environment",
            "settings",
            "parameter_count",
            "size_tier",
            "duration_seconds",
            "created_at",
            "updated_at",
            "verified",
        ]

    def get_verified(self, result: EvalResult) -> bool:
        return True


class EvalDataSerializer(serializers.Serializer):
    """The held-out data a run used: a dataset repo of this hub at a commit
    and split, or the data the eval suite ships."""

    dataset = serializers.CharField(help_text="namespace/name")
    on_hub = serializers.BooleanField(
        help_text="True: a dataset repo of this hub; false: the suite's data."
    )
    revision = serializers.CharField(
        help_text="The dataset commit evaluated (the suite version when shipped)."
    )
    split = serializers.CharField()
    column = serializers.CharField()
    url = serializers.CharField(help_text="The dataset's files at that commit.")


class EvalRunSerializer(serializers.ModelSerializer):
    """One eval run of one checkpoint of a commit; ``result`` when finished."""

    repo = serializers.SerializerMethodField(help_text="namespace/name")
    commit = serializers.CharField(source="commit.oid", help_text="The commit id.")
    result = EvalResultSerializer(allow_null=True)
    position = serializers.SerializerMethodField(
        help_text="Place in the fair queue (1 = next) while queued, else null."
    )
    log_tail = serializers.SerializerMethodField(
        help_text="Last lines of the sandboxed child's log (non-successes only)."
    )
    held_out_data = serializers.SerializerMethodField(
        help_text="The held-out data used."
    )

    class Meta:
        model = EvalRun
        fields = [
            "id",
            "repo",
            "commit",
            "checkpoint",
            "evaluator",
            "suite_version",
            "status",
            "reason",
            "message",
            "log_tail",
            "reused",
            "force",
            "attempts",
            "parameter_count",
            "size_tier",
            "inputs_digest",
            "inputs",
            "position",
            "held_out_data",
            "result",
            "created_at",
            "started_at",
            "finished_at",
        ]

    def get_repo(self, run: EvalRun) -> str:
        return run.commit.repo.full_name

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_position(self, run: EvalRun) -> int | None:
        position = getattr(run, "position", 0)
        return position or None

    @extend_schema_field(EvalDataSerializer)
    def get_held_out_data(self, run: EvalRun) -> dict:
        return eval_run_data(run)

    def get_log_tail(self, run: EvalRun) -> str:
        return "" if run.status == EvalRun.Status.FINISHED else run.log


class ClaimedResultSerializer(serializers.Serializer):
    """A result the model card claims in its ``model-index`` (not verified)."""

    task = serializers.CharField()
    dataset = serializers.CharField()
    metric = serializers.CharField()
    name = serializers.CharField()
    value = serializers.FloatField()


class ModelEvalsSerializer(serializers.Serializer):
    """A commit's evaluations: hub-verified runs beside the card's claims."""

    enabled = serializers.BooleanField(
        help_text="False when this hub does not run evaluations (no eval stack)."
    )
    commit = serializers.CharField()
    runs = EvalRunSerializer(many=True)
    claimed = ClaimedResultSerializer(many=True)


class EvalRequestSerializer(serializers.Serializer):
    revision = serializers.CharField(
        default="main",
        help_text="Branch, tag, refs/pr/N or commit id whose evaluations re-run.",
    )
    dataset = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=200,
        help_text="namespace/name of a dataset repo of this hub whose text split "
        "is the held-out data (causal LMs); blank: re-run on the shipped data.",
    )
    dataset_revision = serializers.CharField(
        default="main",
        max_length=255,
        help_text="Branch, tag or commit id of the dataset (pinned to its commit).",
    )
    config = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=100,
        help_text="The dataset config (blank: its default config).",
    )
    split = serializers.CharField(default="test", max_length=100)
    column = serializers.CharField(default="text", max_length=200)


class EvalQueueSerializer(serializers.Serializer):
    """Queued and running runs of the models the caller may see."""

    enabled = serializers.BooleanField()
    results = EvalRunSerializer(many=True)


class LeaderboardEntrySerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    repo = serializers.CharField()
    checkpoint = serializers.CharField()
    commit = serializers.CharField(help_text="The exact commit evaluated.")
    commit_url = serializers.CharField()
    run_id = serializers.IntegerField()
    score = serializers.FloatField()
    metrics = serializers.DictField(child=serializers.FloatField())
    parameter_count = serializers.IntegerField(allow_null=True)
    size_tier = serializers.CharField()
    task = serializers.CharField()
    license = serializers.CharField()
    base_model = serializers.ListField(child=serializers.CharField())
    held_out_data = EvalDataSerializer(help_text="The held-out data this result used.")
    evaluated_at = serializers.DateTimeField(allow_null=True)


class LeaderboardSerializer(serializers.Serializer):
    evaluator = serializers.CharField()
    title = serializers.CharField()
    suite_version = serializers.CharField()
    primary_metric = serializers.CharField()
    higher_is_better = serializers.BooleanField()
    count = serializers.IntegerField()
    results = LeaderboardEntrySerializer(many=True)


class LeaderboardQuerySerializer(serializers.Serializer):
    task = serializers.CharField(required=False, default="", allow_blank=True)
    license = serializers.CharField(required=False, default="", allow_blank=True)
    # Blank (any tier) by allow_blank, not as a choice: a "" choice made the
    # schema say enum [""…] with minLength 1, which openapi-spec-validator
    # rejects (issue 13).
    size_tier = serializers.ChoiceField(
        choices=list(evalsuite.TIER_NAMES),
        required=False,
        allow_blank=True,
        default="",
    )
    base_model = serializers.CharField(required=False, default="", allow_blank=True)
    dataset = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=200,
        help_text="Results on this dataset repo (namespace/name); blank: on the "
        "data the suite ships. Results on different data are never ranked "
        "together.",
    )
    split = serializers.CharField(
        required=False, default="", allow_blank=True, max_length=100
    )
    sort = serializers.ChoiceField(
        choices=list(LEADERBOARD_SORTS), required=False, default="score"
    )
    limit = serializers.IntegerField(min_value=1, max_value=100, default=50)
    # Bounded: PostgreSQL's OFFSET is a bigint, and no leaderboard is that long.
    offset = serializers.IntegerField(min_value=0, max_value=1_000_000_000, default=0)


class LeaderboardDatasetSerializer(serializers.Serializer):
    """A dataset repo (and split) whose results form a board of their own."""

    dataset = serializers.CharField(help_text="namespace/name")
    split = serializers.CharField()
    entries = serializers.IntegerField()
    url = serializers.CharField()


class LeaderboardIndexItemSerializer(serializers.Serializer):
    evaluator = serializers.CharField()
    title = serializers.CharField()
    primary_metric = serializers.CharField()
    higher_is_better = serializers.BooleanField()
    suite_version = serializers.CharField()
    entries = serializers.IntegerField(help_text="Entries on the data the suite ships.")
    url = serializers.CharField()
    datasets = LeaderboardDatasetSerializer(
        many=True, help_text="Boards on dataset repos the caller may see."
    )
