"""Reviews of models: one per user per repo, tied to the commit they used.

A review keeps its earlier versions (``ReviewRevision``), collects helpful
votes from other users and may get one reply from the model's maintainers.
``DownloadRecord`` rows say which users downloaded which commit, so a
review of that commit shows "verified download".
"""

from __future__ import annotations

from django.db import models


class Review(models.Model):
    """A user's review of a model at one revision: rating, text, evidence."""

    repo = models.ForeignKey(
        "catalog.ModelRepo", on_delete=models.CASCADE, related_name="reviews"
    )
    author = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="reviews"
    )
    # The revision the author used; commits are deleted only with the repo.
    commit = models.ForeignKey(
        "catalog.Commit", on_delete=models.CASCADE, related_name="+"
    )
    rating = models.PositiveSmallIntegerField()
    # Markdown; sanitized when rendered (hub.web.markdown).
    text = models.TextField(blank=True)
    # Optional structured evidence.
    use_case = models.CharField(max_length=200, blank=True)
    hardware = models.CharField(max_length=200, blank=True)
    library_name = models.CharField(max_length=64, blank=True)
    library_version = models.CharField(max_length=32, blank=True)
    reproduced_eval = models.BooleanField(default=False)

    helpful_count = models.IntegerField(default=0)
    # Hidden by a moderator (hub.moderation): left out of lists and the
    # average; its author still sees it, with the reason.
    is_hidden = models.BooleanField(default=False)
    hidden_reason = models.TextField(blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["repo", "author"], name="review_one_per_user_per_repo"
            ),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5),
                name="review_rating_1_to_5",
            ),
        ]
        indexes = [
            models.Index(
                fields=["repo", "-helpful_count", "-created_at"],
                name="review_repo_helpful",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author_id} on {self.repo_id}: {self.rating}/5"


class ReviewRevision(models.Model):
    """An earlier version of an edited review (its history)."""

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="revisions"
    )
    commit = models.ForeignKey(
        "catalog.Commit", on_delete=models.CASCADE, related_name="+"
    )
    rating = models.PositiveSmallIntegerField()
    text = models.TextField(blank=True)
    # use_case, hardware, library_name, library_version, reproduced_eval.
    evidence = models.JSONField(default=dict, blank=True)
    # When this version was written (the review's updated_at back then).
    written_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-written_at", "-pk"]

    def __str__(self) -> str:
        return f"revision of review {self.review_id}"


class ReviewVote(models.Model):
    """A "helpful" vote: one per user per review, never on one's own."""

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="votes"
    )
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["review", "user"], name="reviewvote_one_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} found {self.review_id} helpful"


class ReviewReply(models.Model):
    """The maintainers' one reply to a review (one-to-one: once per review)."""

    review = models.OneToOneField(
        "reviews.Review", on_delete=models.CASCADE, related_name="reply"
    )
    author = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"reply to {self.review_id}"


class DownloadRecord(models.Model):
    """That a user downloaded files of a commit (token or session)."""

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="+"
    )
    repo = models.ForeignKey(
        "catalog.ModelRepo", on_delete=models.CASCADE, related_name="+"
    )
    commit = models.ForeignKey(
        "catalog.Commit", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "repo", "commit"], name="downloadrecord_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} downloaded {self.commit_id}"
