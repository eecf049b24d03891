from __future__ import annotations

from django.db import models


class Notification(models.Model):
    """Something that happened which one user should hear about (in-app only)."""

    class Kind(models.TextChoices):
        PULL_REQUEST = "pull_request", "Pull request"
        DISCUSSION = "discussion", "Discussion"
        REVIEW = "review", "Pull request review"
        COMMENT = "comment", "Comment"
        MERGE = "merge", "Merge"
        ACCESS_REQUEST = "access_request", "Access request"
        MODEL_REVIEW = "model_review", "Model review"
        MODERATION = "moderation", "Moderation"

    recipient = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    repo = models.ForeignKey(
        "catalog.ModelRepo",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    discussion = models.ForeignKey(
        "community.Discussion",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # A site-relative path ("/maya/tiny/discussions/3"), never an outside URL.
    url = models.CharField(max_length=500)
    text = models.CharField(max_length=500)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=[
                        "pull_request",
                        "discussion",
                        "review",
                        "comment",
                        "merge",
                        "access_request",
                        "model_review",
                        "moderation",
                    ]
                ),
                name="notification_kind_valid",
            ),
        ]
        indexes = [
            # The header badge counts a user's unread rows on every page.
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(
                fields=["recipient", "-created_at"], name="notification_recent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}: {self.text}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
