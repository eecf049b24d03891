"""Dataset previews, cached per content: the same blob in two repos is read once."""

from __future__ import annotations

from django.db import models


class BlobPreview(models.Model):
    """Schema, first rows and row count of one blob read as one format.

    queued → running → ready | error. ``error`` carries ``message``: the
    file's own fault (a corrupt footer, a bad line, named by ``code``) or,
    with ``code`` ``infrastructure``, a computation that failed for good.
    ``parser_version`` names the worker's parser that made the row.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        READY = "ready", "Ready"
        ERROR = "error", "Error"

    PENDING = ("queued", "running")

    blob = models.ForeignKey(
        "storage.Blob", on_delete=models.CASCADE, related_name="previews"
    )
    format = models.CharField(max_length=8)
    status = models.CharField(
        max_length=7, choices=Status.choices, default=Status.QUEUED
    )
    parser_version = models.CharField(max_length=16, blank=True)
    features = models.JSONField(default=list, blank=True)
    num_columns = models.PositiveIntegerField(null=True, blank=True)
    num_rows = models.BigIntegerField(null=True, blank=True)
    num_rows_exact = models.BooleanField(default=False)
    rows = models.JSONField(default=list, blank=True)
    facts = models.JSONField(default=dict, blank=True)
    code = models.CharField(max_length=64, blank=True)
    message = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    celery_task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["blob", "format"], name="blobpreview_one_per_format"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "enqueued_at"], name="blobpreview_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.blob_id[:12]} as {self.format} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status in self.PENDING
