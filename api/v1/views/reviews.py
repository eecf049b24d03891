"""Reviews and ratings of a model: list, submit/edit, history, helpful votes,
the maintainers' reply.

Who may act: any active user who can read the repo, with a write-scoped
token allowed on the repo when a token is used (as for comments); a review
belongs to its author, and the repo's maintainers reply once per review.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from api.v1.pagination import StandardPagination
from api.v1.serializers.reviews import (
    ReviewHelpfulSerializer,
    ReviewReplyCreateSerializer,
    ReviewReplySerializer,
    ReviewRevisionSerializer,
    ReviewSerializer,
    ReviewSubmitSerializer,
)
from api.v1.views.repo_base import (
    RepoMixin,
    TokenScopeAllowsWrite,
    caller_user,
)
from hub.catalog.models import ModelRepo
from hub.catalog.revisions import revision_resolve
from hub.community.usecases import participation_require
from hub.reviews.selectors import review_get, review_list_visible, review_revisions
from hub.reviews.services import (
    ReviewEvidence,
    review_reply_create,
    review_submit,
    review_vote_add,
    review_vote_remove,
)


@extend_schema(tags=["reviews"])
class ReviewViewSet(RepoMixin, viewsets.GenericViewSet):
    """``/models/{namespace}/{name}/reviews``: reviews and ratings."""

    serializer_class = ReviewSerializer
    pagination_class = StandardPagination
    permission_classes = [IsAuthenticatedOrReadOnly, TokenScopeAllowsWrite]
    filter_backends: list[Any] = []

    def _require_participant(self, repo: ModelRepo) -> None:
        participation_require(actor=self.actor, repo=repo, what="review it")

    def _review(self, repo: ModelRepo, review_id: int) -> Any:
        return review_get(repo=repo, review_id=review_id, viewer=self.request.user)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Most helpful first; hidden reviews only for their author."""
        repo = self.get_repo()
        page = self.paginate_queryset(
            review_list_visible(repo=repo, viewer=request.user)
        )
        return self.get_paginated_response(ReviewSerializer(page, many=True).data)

    @extend_schema(
        request=ReviewSubmitSerializer,
        responses={201: ReviewSerializer, 200: ReviewSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Write your review (201), or edit it if you have one (200; the
        previous version is kept in its history)."""
        repo = self.get_repo()
        self._require_participant(repo)
        params = ReviewSubmitSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        commit = revision_resolve(repo=repo, revision=data["revision"])
        review, created = review_submit(
            repo=repo,
            author=caller_user(request),
            commit=commit,
            rating=data["rating"],
            text=data["text"],
            evidence=ReviewEvidence(**data.get("evidence", {})),
        )
        review = self._review(repo, review.pk)
        return Response(
            ReviewSerializer(review).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One review."""
        review = self._review(self.get_repo(), kwargs["review_id"])
        return Response(ReviewSerializer(review).data)

    @extend_schema(responses=ReviewRevisionSerializer(many=True))
    def history(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Earlier versions of an edited review, newest first."""
        review = self._review(self.get_repo(), kwargs["review_id"])
        revisions = review_revisions(review=review)
        return Response(ReviewRevisionSerializer(revisions, many=True).data)

    def _helpful_state(self, review: Any, voted: bool) -> Response:
        return Response(
            ReviewHelpfulSerializer(
                {"helpful_count": review.helpful_count, "voted": voted}
            ).data
        )

    @extend_schema(request=None, responses=ReviewHelpfulSerializer)
    def vote(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Mark a review helpful (not your own; voting twice changes nothing)."""
        repo = self.get_repo()
        self._require_participant(repo)
        review = self._review(repo, kwargs["review_id"])
        review = review_vote_add(review=review, user=caller_user(request))
        return self._helpful_state(review, True)

    @extend_schema(request=None, responses=ReviewHelpfulSerializer)
    def unvote(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Take your helpful vote back (idempotent)."""
        repo = self.get_repo()
        self._require_participant(repo)
        review = self._review(repo, kwargs["review_id"])
        review = review_vote_remove(review=review, user=caller_user(request))
        return self._helpful_state(review, False)

    @extend_schema(
        request=ReviewReplyCreateSerializer, responses={201: ReviewReplySerializer}
    )
    def reply(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The maintainers' reply (once per review; 409 for a second one)."""
        repo = self.get_repo()
        self._require_participant(repo)
        review = self._review(repo, kwargs["review_id"])
        params = ReviewReplyCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        reply = review_reply_create(
            review=review,
            author=caller_user(request),
            text=params.validated_data["text"],
        )
        return Response(
            ReviewReplySerializer(reply).data, status=status.HTTP_201_CREATED
        )


def register(router: Any) -> None:
    """Routes are explicit ``urlpatterns`` (nested under a two-segment id)."""


_REPO = "models/<str:namespace>/<str:name>"

urlpatterns = [
    path(
        f"{_REPO}/reviews",
        ReviewViewSet.as_view({"get": "list", "post": "create"}),
        name="api-v1-repo-review-list",
    ),
    path(
        f"{_REPO}/reviews/<int:review_id>",
        ReviewViewSet.as_view({"get": "retrieve"}),
        name="api-v1-repo-review-detail",
    ),
    path(
        f"{_REPO}/reviews/<int:review_id>/history",
        ReviewViewSet.as_view({"get": "history"}),
        name="api-v1-repo-review-history",
    ),
    path(
        f"{_REPO}/reviews/<int:review_id>/helpful",
        ReviewViewSet.as_view({"post": "vote", "delete": "unvote"}),
        name="api-v1-repo-review-helpful",
    ),
    path(
        f"{_REPO}/reviews/<int:review_id>/reply",
        ReviewViewSet.as_view({"post": "reply"}),
        name="api-v1-repo-review-reply",
    ),
]
