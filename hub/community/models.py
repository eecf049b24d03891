from __future__ import annotations

from django.db import models


class Discussion(models.Model):
    """A discussion or a pull request on a repo; numbers are shared by both.

    A pull request's commits live on the ref ``refs/pr/<num>``; it targets
    ``target_branch``. ``merge_commit`` is set once it is merged.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        MERGED = "merged", "Merged"

    repo = models.ForeignKey(
        "catalog.ModelRepo", on_delete=models.CASCADE, related_name="discussions"
    )
    num = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    author = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_pull_request = models.BooleanField(default=False)
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)
    target_branch = models.CharField(max_length=255, blank=True)
    merge_commit = models.ForeignKey(
        "catalog.Commit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Maintainers pin discussions to the top of the list and lock them: a
    # locked discussion takes comments from maintainers only.
    is_pinned = models.BooleanField(default=False)
    is_locked = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["repo", "num"], name="discussion_num_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "open", "closed", "merged"]),
                name="discussion_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["repo", "status"], name="discussion_repo_status")
        ]

    def __str__(self) -> str:
        return f"#{self.num} {self.title}"

    @property
    def git_ref(self) -> str:
        return f"refs/pr/{self.num}"


class DiscussionEvent(models.Model):
    """One entry of a discussion's timeline, in the HF protocol's event types."""

    class Type(models.TextChoices):
        COMMENT = "comment", "Comment"
        STATUS_CHANGE = "status-change", "Status change"
        COMMIT = "commit", "Commit"
        TITLE_CHANGE = "title-change", "Title change"
        # A maintainer's review of a pull request: data {"state", "oid"}
        # (the PR head reviewed), content the review's Markdown text.
        REVIEW = "review", "Review"
        # Pinned, unpinned, locked, unlocked: data {"action"}.
        MODERATION = "moderation", "Moderation"

    class ReviewState(models.TextChoices):
        APPROVED = "approved", "Approved"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        COMMENTED = "commented", "Commented"

    discussion = models.ForeignKey(
        "community.Discussion", on_delete=models.CASCADE, related_name="events"
    )
    type = models.CharField(max_length=13, choices=Type.choices)
    author = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Comments: the latest Markdown text; earlier versions are CommentRevisions.
    content = models.TextField(blank=True)
    is_hidden = models.BooleanField(default=False)
    hidden_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Status changes: {"status"}; commits: {"oid", "subject"};
    # title changes: {"from", "to"}; reviews: {"state", "oid"};
    # moderation: {"action"}.
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.type} on {self.discussion_id}"


class CommentRevision(models.Model):
    """An earlier text of an edited comment (the edit history)."""

    event = models.ForeignKey(
        "community.DiscussionEvent", on_delete=models.CASCADE, related_name="revisions"
    )
    content = models.TextField()
    edited_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"revision of {self.event_id}"


class Like(models.Model):
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="likes"
    )
    repo = models.ForeignKey(
        "catalog.ModelRepo", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "repo"], name="like_once_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ♥ {self.repo_id}"
