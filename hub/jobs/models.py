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
