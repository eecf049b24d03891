"""Job runs: PostgreSQL rows are the truth; the broker only wakes workers."""

from __future__ import annotations

from django.db import models


class Run(models.Model):
    """The state machine shared by validation and evaluation runs.

    queued → running → succeeded | failed | errored. ``succeeded`` and
    ``failed`` are verdicts of the check; ``errored`` means the job could not
    run (infrastructure, bug, attempts exhausted) and says nothing about the
    content.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        ERRORED = "errored", "Errored"

    FINISHED = ("succeeded", "failed", "errored")

    status = models.CharField(
        max_length=9, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    celery_task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    log = models.TextField(blank=True)

    class Meta:
        abstract = True

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED


class ValidationRun(Run):
    """One check of one commit: a file's content, or the repo as a whole.

    ``verdict`` is the validator's conclusion (passed, warning, failed,
    quarantine); ``findings`` are its plain-words reasons and ``metadata``
    what it extracted (parameter counts, formats).
    """

    class Kind(models.TextChoices):
        FILE = "file", "File"
        REPO = "repo", "Repository"

    class Verdict(models.TextChoices):
        PASSED = "passed", "Passed"
        WARNING = "warning", "Passed with warnings"
        FAILED = "failed", "Failed"
        QUARANTINE = "quarantine", "Quarantined"

    commit = models.ForeignKey(
        "catalog.Commit", on_delete=models.CASCADE, related_name="validation_runs"
    )
    kind = models.CharField(max_length=4, choices=Kind.choices)
    path = models.CharField(max_length=1024, blank=True)
    blob = models.ForeignKey(
        "storage.Blob",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="validation_runs",
    )
    validator_version = models.CharField(max_length=32, blank=True)
    verdict = models.CharField(max_length=10, choices=Verdict.choices, blank=True)
    findings = models.JSONField(default=list, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    reused = models.BooleanField(
        default=False,
        help_text="Verdict taken from an earlier run on the same content.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["commit", "kind", "path"], name="validationrun_one_per_check"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="validationrun_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.path or '*'} @ {self.commit_id} ({self.status})"


class BlobVerdict(models.Model):
    """A content verdict cached by (sha256, validator version) for reuse."""

    blob = models.ForeignKey(
        "storage.Blob", on_delete=models.CASCADE, related_name="verdicts"
    )
    validator_version = models.CharField(max_length=32)
    verdict = models.CharField(max_length=10, choices=ValidationRun.Verdict.choices)
    findings = models.JSONField(default=list, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["blob", "validator_version"], name="blobverdict_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.blob_id[:12]} {self.validator_version}: {self.verdict}"


class EvalResult(models.Model):
    """Numbers of one evaluator on one exact set of input files.

    Keyed by (``inputs_digest``, ``evaluator``, ``suite_version``): identical
    weights, config and tokenizer give the same numbers, so every commit that
    holds them re-uses this row. ``environment`` (library versions, threads)
    and ``settings`` (context length, batch size, token budget, data sha256)
    say how the numbers were made.
    """

    inputs_digest = models.CharField(max_length=64)
    evaluator = models.CharField(max_length=32)
    suite_version = models.CharField(max_length=64)
    metrics = models.JSONField(default=dict)
    primary_metric = models.CharField(max_length=64)
    primary_value = models.FloatField()
    higher_is_better = models.BooleanField(default=False)
    details = models.JSONField(default=dict, blank=True)
    environment = models.JSONField(default=dict, blank=True)
    settings = models.JSONField(default=dict, blank=True)
    parameter_count = models.BigIntegerField(null=True, blank=True)
    size_tier = models.CharField(max_length=4, blank=True)
    duration_seconds = models.FloatField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["inputs_digest", "evaluator", "suite_version"],
                name="evalresult_one_per_inputs",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluator} {self.primary_metric}={self.primary_value:.6g}"


class EvalRun(Run):
    """One evaluation of one checkpoint (a folder with ``config.json``) of a commit.

    queued → running → finished | failed | timeout | skipped. Every
    non-success carries a ``reason`` code, a plain-words ``message`` and the
    last lines of the sandboxed child's log in ``log``.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Failed"
        TIMEOUT = "timeout", "Timed out"
        SKIPPED = "skipped", "Skipped"

    FINAL = ("finished", "failed", "timeout", "skipped")
    ACTIVE = ("queued", "running")

    status = models.CharField(
        max_length=9, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    commit = models.ForeignKey(
        "catalog.Commit", on_delete=models.CASCADE, related_name="eval_runs"
    )
    # Whose queue the run is in (the repo's namespace): fairness is per owner.
    owner = models.ForeignKey(
        "accounts.Namespace", on_delete=models.CASCADE, related_name="eval_runs"
    )
    requested_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    checkpoint = models.CharField(max_length=1024, blank=True)
    evaluator = models.CharField(max_length=32)
    suite_version = models.CharField(max_length=64)
    inputs_digest = models.CharField(max_length=64, blank=True)
    inputs = models.JSONField(default=list, blank=True)
    parameter_count = models.BigIntegerField(null=True, blank=True)
    size_tier = models.CharField(max_length=4, blank=True)
    reason = models.CharField(max_length=32, blank=True)
    message = models.TextField(blank=True)
    result = models.ForeignKey(
        EvalResult,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="runs",
    )
    reused = models.BooleanField(
        default=False, help_text="Result taken from an earlier run on the same files."
    )
    force = models.BooleanField(
        default=False, help_text="A re-run: evaluate even if a result exists."
    )
    # Held-out data from a dataset repo of this hub (blank: the corpus the
    # suite ships). The id and commit are recorded as requested; the foreign
    # key follows renames and decides who may see the run (issue 18).
    dataset_repo = models.ForeignKey(
        "catalog.ModelRepo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="eval_runs_on_data",
    )
    dataset_name = models.CharField(max_length=200, blank=True)
    dataset_commit = models.CharField(max_length=64, blank=True)
    dataset_split = models.CharField(max_length=100, blank=True)
    data = models.JSONField(
        default=dict,
        blank=True,
        help_text="The dataset files, column and caps the run reads.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "commit",
                    "checkpoint",
                    "evaluator",
                    "dataset_name",
                    "dataset_commit",
                    "dataset_split",
                ],
                condition=models.Q(status__in=["queued", "running"]),
                name="evalrun_one_active_per_checkpoint",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="evalrun_pending"),
            models.Index(fields=["commit", "created_at"], name="evalrun_of_commit"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.evaluator}:{self.checkpoint or '.'} @ {self.commit_id} "
            f"({self.status})"
        )

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINAL

    @property
    def is_success(self) -> bool:
        return self.status == self.Status.FINISHED

    @property
    def uses_hub_data(self) -> bool:
        """Whether the run's held-out data is a dataset repo of this hub."""
        return bool(self.dataset_name)
