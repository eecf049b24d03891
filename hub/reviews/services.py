"""Writes of reviews: submit/edit (history kept), helpful votes, the
maintainers' reply, hiding, and download records for "verified download".

Who may act: any active user who can read a repo reviews it (once; later
submissions edit that review), votes on other people's reviews and never
on their own; the repo's maintainers (``repo_can_write``) reply once per
review. The repo's ``rating_avg`` / ``rating_count`` follow every change of
its visible reviews, in the same transaction.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, F
from django.utils import timezone

from hub.accounts.models import User
from hub.catalog.models import Commit, ModelRepo
from hub.catalog.permissions import (
    repo_can_read,
    repo_can_write,
    repo_maintainer_users,
)
from hub.core.errors import ConflictError, PermissionDeniedError, ValidationError
from hub.notifications.services import notification_create, notifications_fan_out
from hub.reviews.models import (
    DownloadRecord,
    Review,
    ReviewReply,
    ReviewRevision,
    ReviewVote,
)

MAX_TEXT_LENGTH = 20_000
MAX_REPLY_LENGTH = 10_000


@dataclass(frozen=True)
class ReviewEvidence:
    """Optional facts a reviewer gives about how they used the model."""

    use_case: str = ""
    hardware: str = ""
    library_name: str = ""
    library_version: str = ""
    reproduced_eval: bool = False


_EVIDENCE_LIMITS = {
    "use_case": 200,
    "hardware": 200,
    "library_name": 64,
    "library_version": 32,
}


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def _clean_rating(rating: Any) -> int:
    if isinstance(rating, bool) or not isinstance(rating, int):
        raise ValidationError("The rating must be a whole number from 1 to 5.")
    if not 1 <= rating <= 5:
        raise ValidationError(f"The rating must be from 1 to 5, not {rating}.")
    return rating


def _clean_text(text: str, *, limit: int, what: str, required: bool) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ValidationError(f"The {what} must not be empty.")
    if len(text) > limit:
        raise ValidationError(f"The {what} is too long: at most {limit} characters.")
    return text


def _clean_evidence(evidence: ReviewEvidence | None) -> ReviewEvidence:
    evidence = evidence or ReviewEvidence()
    cleaned: dict[str, Any] = {}
    for field, limit in _EVIDENCE_LIMITS.items():
        value = " ".join(str(getattr(evidence, field) or "").split())
        if len(value) > limit:
            raise ValidationError(
                f"{field.replace('_', ' ').capitalize()} is too long: at most "
                f"{limit} characters."
            )
        cleaned[field] = value
    cleaned["reproduced_eval"] = bool(evidence.reproduced_eval)
    return ReviewEvidence(**cleaned)


def _require_reviewer(user: Any, repo: ModelRepo) -> None:
    if not _active(user):
        raise PermissionDeniedError("Sign in to review models.")
    if not repo_can_read(user=user, repo=repo):
        raise PermissionDeniedError(f"You cannot review {repo.full_name}.")


def review_rating_refresh(*, repo: ModelRepo) -> None:
    """Recompute the repo's rating average and count from its visible reviews."""
    stats = Review.objects.filter(repo=repo, is_hidden=False).aggregate(
        avg=Avg("rating"), count=Count("pk")
    )
    avg = round(float(stats["avg"] or 0), 3)
    ModelRepo.objects.filter(pk=repo.pk).update(
        rating_avg=avg, rating_count=stats["count"]
    )
    repo.rating_avg, repo.rating_count = avg, stats["count"]


@transaction.atomic
def review_submit(
    *,
    repo: ModelRepo,
    author: User,
    commit: Commit,
    rating: int,
    text: str = "",
    evidence: ReviewEvidence | None = None,
) -> tuple[Review, bool]:
    """Write the author's review of ``repo``, or edit it if they have one.

    An edit keeps the previous version as a ReviewRevision. ``commit`` is the
    revision the author used (a commit of this repo). Returns (review,
    created). Raises PermissionDeniedError for a stranger who cannot read
    the repo or an anonymous user, ValidationError for bad input.
    """
    _require_reviewer(author, repo)
    if commit.repo_id != repo.pk:
        raise ValidationError("The revision must be a commit of this model.")
    rating = _clean_rating(rating)
    text = _clean_text(text, limit=MAX_TEXT_LENGTH, what="review", required=False)
    facts = _clean_evidence(evidence)
    existing = (
        Review.objects.select_for_update().filter(repo=repo, author=author).first()
    )
    if existing is None:
        review = Review(
            repo=repo, author=author, commit=commit, rating=rating, text=text
        )
        for field, value in asdict(facts).items():
            setattr(review, field, value)
        try:
            with transaction.atomic():
                review.save()
        except IntegrityError:
            # A concurrent first submission won: this one is an edit of it.
            return review_submit(
                repo=repo,
                author=author,
                commit=commit,
                rating=rating,
                text=text,
                evidence=facts,
            )
        review_rating_refresh(repo=repo)
        _notify_maintainers(review)
        return review, True
    _review_edit(existing, commit=commit, rating=rating, text=text, facts=facts)
    review_rating_refresh(repo=repo)
    return existing, False


def _review_edit(
    review: Review, *, commit: Commit, rating: int, text: str, facts: ReviewEvidence
) -> None:
    """Keep the review as it was in a ReviewRevision, then change it."""
    ReviewRevision.objects.create(
        review=review,
        commit_id=review.commit_id,
        rating=review.rating,
        text=review.text,
        evidence={
            "use_case": review.use_case,
            "hardware": review.hardware,
            "library_name": review.library_name,
            "library_version": review.library_version,
            "reproduced_eval": review.reproduced_eval,
        },
        written_at=review.updated_at,
    )
    review.commit = commit
    review.rating = rating
    review.text = text
    for field, value in asdict(facts).items():
        setattr(review, field, value)
    review.save()


def _notify_maintainers(review: Review) -> None:
    repo = review.repo
    notifications_fan_out(
        recipients=repo_maintainer_users(repo=repo),
        kind="model_review",
        actor=review.author,
        repo=repo,
        text=f"{review.author.username} reviewed {repo.full_name} ({review.rating}/5).",
        url=f"/{repo.full_name}#review-{review.pk}",
    )


@transaction.atomic
def review_vote_add(*, review: Review, user: User) -> Review:
    """Mark a review helpful. Idempotent; PermissionDeniedError on one's own
    review, a hidden review or for an anonymous user."""
    if not _active(user) or not repo_can_read(user=user, repo=review.repo):
        raise PermissionDeniedError("Sign in to vote on reviews.")
    if review.author_id == user.pk:
        raise PermissionDeniedError("You cannot vote on your own review.")
    if review.is_hidden:
        raise PermissionDeniedError("This review is hidden.")
    try:
        with transaction.atomic():
            ReviewVote.objects.create(review=review, user=user)
    except IntegrityError:  # voted already: nothing changes
        return review
    Review.objects.filter(pk=review.pk).update(helpful_count=F("helpful_count") + 1)
    review.refresh_from_db(fields=["helpful_count"])
    return review


@transaction.atomic
def review_vote_remove(*, review: Review, user: User) -> Review:
    """Take a helpful vote back. Idempotent."""
    deleted, _ = ReviewVote.objects.filter(review=review, user=user).delete()
    if deleted:
        Review.objects.filter(pk=review.pk).update(helpful_count=F("helpful_count") - 1)
        review.refresh_from_db(fields=["helpful_count"])
    return review


@transaction.atomic
def review_reply_create(*, review: Review, author: User, text: str) -> ReviewReply:
    """The maintainers' reply to a review: once per review.

    PermissionDeniedError unless the author maintains the repo;
    ConflictError when the review already has its reply.
    """
    if not _active(author) or not repo_can_write(user=author, repo=review.repo):
        raise PermissionDeniedError(
            f"Only maintainers of {review.repo.full_name} may reply to reviews."
        )
    text = _clean_text(text, limit=MAX_REPLY_LENGTH, what="reply", required=True)
    try:
        with transaction.atomic():
            reply = ReviewReply.objects.create(review=review, author=author, text=text)
    except IntegrityError:
        raise ConflictError(
            "This review already has the maintainers' reply: a review gets one."
        ) from None
    notification_create(
        recipient=review.author,
        kind="model_review",
        actor=author,
        repo=review.repo,
        text=f"The maintainers of {review.repo.full_name} replied to your review.",
        url=f"/{review.repo.full_name}#review-{review.pk}",
    )
    return reply


@transaction.atomic
def review_hide(*, review: Review, actor: User, reason: str) -> Review:
    """Hide a review with the moderator's reason (callers check who may).

    Idempotent; the repo's rating leaves the hidden review out.
    """
    locked = Review.objects.select_for_update().get(pk=review.pk)
    if not locked.is_hidden:
        locked.is_hidden = True
        locked.hidden_reason = reason
        locked.hidden_by = actor
        locked.hidden_at = timezone.now()
        locked.save(
            update_fields=["is_hidden", "hidden_reason", "hidden_by", "hidden_at"]
        )
        review_rating_refresh(repo=review.repo)
    return locked


def download_record(*, user: Any, repo: ModelRepo, commit: Commit) -> None:
    """Remember that a signed-in user downloaded from ``commit`` (idempotent).

    One INSERT ... ON CONFLICT DO NOTHING; anonymous callers are ignored.
    """
    if not _active(user):
        return
    DownloadRecord.objects.bulk_create(
        [DownloadRecord(user=user, repo=repo, commit=commit)], ignore_conflicts=True
    )
