"""Reports from users, and the append-only log of moderators' actions.

A report names one target: a model, a review, a discussion comment or a
user. ``repo`` is the repo the target lives on (none for a user), so org
admins read the reports on their org's repos (never who filed them: see
``hub.moderation.permissions``). Every moderation action is one
``ModerationAction`` row; rows are only ever inserted (the services never
update or delete them and the admin is read-only), and each keeps a text
label of its target so it still reads after the target is gone.
"""

from __future__ import annotations

from django.db import models


class Report(models.Model):
    class Kind(models.TextChoices):
        MODEL = "model", "Model"
        REVIEW = "review", "Review"
        COMMENT = "comment", "Comment"
        USER = "user", "User"

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam or advertising"
        ABUSE = "abuse", "Harassment or hateful content"
        MALWARE = "malware", "Malicious or unsafe files"
        LICENSE = "license", "License or copyright violation"
        ILLEGAL = "illegal", "Illegal content"
        MISLEADING = "misleading", "Misleading or false claims"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"
        DISMISSED = "dismissed", "Dismissed"

    reporter = models.ForeignKey(
        "accounts.User",
        null=True,
        on_delete=models.SET_NULL,
        related_name="moderation_reports",
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    # The repo the target lives on (the model itself for kind=model).
    repo = models.ForeignKey(
        "catalog.ModelRepo",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    review = models.ForeignKey(
        "reviews.Review",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    comment = models.ForeignKey(
        "community.DiscussionEvent",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    target_user = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.CharField(max_length=10, choices=Reason.choices)
    text = models.TextField(blank=True)
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        kind="model",
                        repo__isnull=False,
                        review__isnull=True,
                        comment__isnull=True,
                        target_user__isnull=True,
                    )
                    | models.Q(
                        kind="review",
                        repo__isnull=False,
                        review__isnull=False,
                        comment__isnull=True,
                        target_user__isnull=True,
                    )
                    | models.Q(
                        kind="comment",
                        repo__isnull=False,
                        review__isnull=True,
                        comment__isnull=False,
                        target_user__isnull=True,
                    )
                    | models.Q(
                        kind="user",
                        repo__isnull=True,
                        review__isnull=True,
                        comment__isnull=True,
                        target_user__isnull=False,
                    )
                ),
                name="report_target_matches_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["open", "resolved", "dismissed"]),
                name="report_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="report_queue"),
        ]

    def __str__(self) -> str:
        return f"report {self.pk} ({self.kind}, {self.status})"


class ModerationAction(models.Model):
    """One entry of the audit log: who did what to which target, why, when."""

    class Action(models.TextChoices):
        HIDE_REVIEW = "hide_review", "Hid a review"
        HIDE_COMMENT = "hide_comment", "Hid a comment"
        LOCK_DISCUSSION = "lock_discussion", "Locked a discussion"
        UNHIDE_REVIEW = "unhide_review", "Showed a review again"
        UNHIDE_COMMENT = "unhide_comment", "Showed a comment again"
        UNLOCK_DISCUSSION = "unlock_discussion", "Unlocked a discussion"
        DISABLE_REPO = "disable_repo", "Disabled a model"
        ENABLE_REPO = "enable_repo", "Re-enabled a model"
        BAN_USER = "ban_user", "Banned a user"
        UNBAN_USER = "unban_user", "Lifted a ban"
        RESOLVE_REPORT = "resolve_report", "Resolved a report"
        DISMISS_REPORT = "dismiss_report", "Dismissed a report"

    actor = models.ForeignKey(
        "accounts.User",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text: the log must still say who acted after an account goes.
    actor_username = models.CharField(max_length=96)
    action = models.CharField(max_length=20, choices=Action.choices)
    reason = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    target_kind = models.CharField(max_length=10)
    # "maya/tiny-model", "review 12 by jun on maya/tiny-model", "@jun"...
    target_label = models.CharField(max_length=300)
    repo = models.ForeignKey(
        "catalog.ModelRepo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review = models.ForeignKey(
        "reviews.Review",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.ForeignKey(
        "community.DiscussionEvent",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    discussion = models.ForeignKey(
        "community.Discussion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_user = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    report = models.ForeignKey(
        "moderation.Report",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.actor_username} {self.action} {self.target_label}"
