"""Reviews on the model page: write or edit one's review, vote it helpful,
the maintainers' reply, and a review's history.

The model page shows the reviews through ``web/repo/_reviews.html`` (its
data comes from the ``reviews_panel`` tag); these views take the forms'
posts, call one service each and go back to the review.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from hub.catalog.models import ModelRepo
from hub.catalog.revisions import revision_resolve
from hub.core.errors import ApplicationError
from hub.reviews.selectors import review_get, review_revisions
from hub.reviews.services import (
    ReviewEvidence,
    review_reply_create,
    review_submit,
    review_vote_add,
    review_vote_remove,
)
from hub.web.views.common import (
    current_user,
    load_repo,
    page_errors,
    repo_context,
)

LOGIN = "login"


class ReviewForm(forms.Form):
    """Parses the review form; the service checks every rule."""

    rating = forms.TypedChoiceField(
        choices=[(str(n), str(n)) for n in range(5, 0, -1)], coerce=int
    )
    text = forms.CharField(required=False, max_length=20_000)
    revision = forms.CharField(required=False, max_length=255)
    use_case = forms.CharField(required=False, max_length=200)
    hardware = forms.CharField(required=False, max_length=200)
    library_name = forms.CharField(required=False, max_length=64)
    library_version = forms.CharField(required=False, max_length=32)
    reproduced_eval = forms.BooleanField(required=False)


def _back(repo: ModelRepo, review_id: int | None = None) -> HttpResponse:
    anchor = f"#review-{review_id}" if review_id else "#reviews"
    return redirect(f"/{repo.typed_id}{anchor}")


@require_POST
@login_required(login_url=LOGIN)
@page_errors
def review_submit_view(request: HttpRequest, namespace: str, name: str) -> HttpResponse:
    """Write or edit the signed-in user's review."""
    repo = load_repo(request, namespace, name)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        first = next(iter(form.errors.items()))
        messages.error(request, f"Review not saved: {first[0]}: {first[1][0]}")
        return _back(repo)
    data = form.cleaned_data
    try:
        commit = revision_resolve(repo=repo, revision=data["revision"] or "main")
        review, created = review_submit(
            repo=repo,
            author=current_user(request),
            commit=commit,
            rating=data["rating"],
            text=data["text"],
            evidence=ReviewEvidence(
                use_case=data["use_case"],
                hardware=data["hardware"],
                library_name=data["library_name"],
                library_version=data["library_version"],
                reproduced_eval=data["reproduced_eval"],
            ),
        )
    except ApplicationError as exc:
        messages.error(request, f"Review not saved: {exc.message}")
        return _back(repo)
    messages.success(
        request, "Thank you for your review." if created else "Your review was updated."
    )
    return _back(repo, review.pk)


@require_POST
@login_required(login_url=LOGIN)
@page_errors
def review_helpful_view(
    request: HttpRequest, namespace: str, name: str, review_id: int
) -> HttpResponse:
    """Vote a review helpful, or take the vote back (``action=remove``)."""
    repo = load_repo(request, namespace, name)
    review = review_get(repo=repo, review_id=review_id, viewer=request.user)
    user = current_user(request)
    try:
        if request.POST.get("action") == "remove":
            review_vote_remove(review=review, user=user)
        else:
            review_vote_add(review=review, user=user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return _back(repo, review.pk)


@require_POST
@login_required(login_url=LOGIN)
@page_errors
def review_reply_view(
    request: HttpRequest, namespace: str, name: str, review_id: int
) -> HttpResponse:
    """The maintainers' one reply to a review."""
    repo = load_repo(request, namespace, name)
    review = review_get(repo=repo, review_id=review_id, viewer=request.user)
    try:
        review_reply_create(
            review=review,
            author=current_user(request),
            text=request.POST.get("text", "")[:10_001],
        )
    except ApplicationError as exc:
        messages.error(request, f"Reply not saved: {exc.message}")
    else:
        messages.success(request, "Your reply was published.")
    return _back(repo, review.pk)


@require_safe
@page_errors
def review_history_view(
    request: HttpRequest, namespace: str, name: str, review_id: int
) -> HttpResponse:
    """A review with its earlier versions."""
    repo = load_repo(request, namespace, name)
    review = review_get(repo=repo, review_id=review_id, viewer=request.user)
    context = {
        **repo_context(request, repo, "card"),
        "review": review,
        "revisions": review_revisions(review=review),
    }
    return render(request, "web/reviews/history.html", context)
