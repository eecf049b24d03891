"""Likes, discussions and pull requests of a repo.

Who may act (hub.community.usecases.participation_require): any
active user who can read the repo opens discussions, comments and likes; a
token used for it needs write scope and must be allowed on the repo. Merging
is for maintainers (write access), and is refused with 409
``checks_failed`` while the pull request's head fails its checks.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from api.v1.etag import conditional_response
from api.v1.pagination import StandardCursorPagination
from api.v1.serializers.community import (
    CommentCreateSerializer,
    DiscussionCreateSerializer,
    DiscussionDetailSerializer,
    DiscussionEventSerializer,
    DiscussionFlagSerializer,
    DiscussionListItemSerializer,
    LikeStateSerializer,
    MergeSerializer,
    ReviewCreateSerializer,
    UserLikeSerializer,
)
from api.v1.views.repo_base import (
    CleanPathMixin,
    RepoMixin,
    TokenScopeAllowsWrite,
    caller_token,
    caller_user,
)
from hub.accounts.actors import Actor
from hub.accounts.selectors import user_get_by_username
from hub.catalog.errors import RevisionNotFoundError
from hub.catalog.models import ModelRepo
from hub.catalog.revisions import revision_resolve
from hub.community.models import Discussion
from hub.community.pull_request_selectors import (
    pull_request_merge_blockers,
    pull_request_review_summary,
)
from hub.community.selectors import (
    STATUS_FILTERS,
    TYPE_FILTERS,
    discussion_event_get,
    discussion_events,
    discussion_get,
    discussion_list,
    likes_of_user,
)
from hub.community.services.comments import comment_create
from hub.community.services.discussions import discussion_create, discussion_set_pinned
from hub.community.services.likes import like_add, like_remove
from hub.community.services.pull_requests import pull_request_merge, pull_request_review
from hub.community.usecases import participation_require
from hub.moderation.services.discussions import discussion_lock_set


class RepoCommunityMixin(RepoMixin):
    def require_participant(self, repo: ModelRepo, what: str) -> None:
        participation_require(actor=self.actor, repo=repo, what=what)


@extend_schema(tags=["likes"])
class LikeViewSet(RepoCommunityMixin, viewsets.GenericViewSet):
    """``/models/{namespace}/{name}/like``: like or unlike (idempotent)."""

    serializer_class = LikeStateSerializer
    permission_classes = [IsAuthenticatedOrReadOnly, TokenScopeAllowsWrite]
    filter_backends: list[Any] = []

    def _state(self, repo: ModelRepo, liked: bool) -> Response:
        repo.refresh_from_db(fields=["likes"])
        return Response(LikeStateSerializer({"liked": liked, "likes": repo.likes}).data)

    @extend_schema(request=None, responses=LikeStateSerializer)
    def like(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Like the repo; liking twice changes nothing."""
        repo = self.get_repo()
        self.require_participant(repo, "like models")
        like_add(user=caller_user(request), repo=repo)
        return self._state(repo, True)

    @extend_schema(request=None, responses=LikeStateSerializer)
    def unlike(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Take your like back; unliking a repo you do not like changes nothing."""
        repo = self.get_repo()
        self.require_participant(repo, "like models")
        like_remove(user=caller_user(request), repo=repo)
        return self._state(repo, False)


class LikeCursorPagination(StandardCursorPagination):
    ordering = "-pk"


@extend_schema(tags=["likes"])
class UserLikeViewSet(CleanPathMixin, viewsets.GenericViewSet):
    """``/users/{username}/likes``: repos a user likes that you may see."""

    serializer_class = UserLikeSerializer
    pagination_class = LikeCursorPagination
    filter_backends: list[Any] = []

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Newest first; likes of repos you cannot see are left out."""
        user = user_get_by_username(username=kwargs["username"])
        likes = likes_of_user(
            user=user, viewer=request.user, viewer_token=caller_token(request)
        )
        page = self.paginate_queryset(likes)
        return self.get_paginated_response(UserLikeSerializer(page, many=True).data)


class DiscussionListQuerySerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=TYPE_FILTERS, default="all")
    status = serializers.ChoiceField(
        choices=STATUS_FILTERS,
        default="all",
        help_text="open = open and draft; closed = closed and merged.",
    )
    author = serializers.CharField(
        default="", allow_blank=True, help_text="A username."
    )


class DiscussionCursorPagination(StandardCursorPagination):
    ordering = "-num"


@extend_schema(tags=["discussions"])
class DiscussionViewSet(RepoCommunityMixin, viewsets.GenericViewSet):
    """``/models/{namespace}/{name}/discussions``: discussions and pull requests."""

    serializer_class = DiscussionListItemSerializer
    pagination_class = DiscussionCursorPagination
    permission_classes = [IsAuthenticatedOrReadOnly, TokenScopeAllowsWrite]
    filter_backends: list[Any] = []

    def _detail(self, discussion: Discussion) -> Any:
        head = None
        if discussion.is_pull_request:
            try:
                head = revision_resolve(
                    repo=discussion.repo, revision=discussion.git_ref
                )
            except RevisionNotFoundError:
                head = None
        events = list(discussion_events(discussion=discussion))
        context: dict[str, Any] = {
            "events": events,
            "head_commit": head.oid if head is not None else None,
        }
        if discussion.is_pull_request:
            context["review"] = pull_request_review_summary(
                discussion=discussion, events=events
            )
            context["blockers"] = (
                pull_request_merge_blockers(discussion=discussion, head=head)
                if head is not None
                else []
            )
        return DiscussionDetailSerializer(discussion, context=context).data

    @extend_schema(parameters=[DiscussionListQuerySerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Newest first (by number), cursor-paginated; filter by type and status."""
        params = DiscussionListQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        discussions = discussion_list(
            repo=self.get_repo(),
            type=params.validated_data["type"],
            status=params.validated_data["status"],
            author=params.validated_data["author"],
        )
        page = self.paginate_queryset(discussions)
        data = DiscussionListItemSerializer(page, many=True).data
        return self.get_paginated_response(data)

    @extend_schema(responses=DiscussionDetailSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One discussion or pull request with its timeline."""
        discussion = discussion_get(repo=self.get_repo(), num=kwargs["num"])
        return conditional_response(request, self._detail(discussion))

    @extend_schema(
        request=DiscussionCreateSerializer, responses={201: DiscussionDetailSerializer}
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Open a discussion (or a draft pull request)."""
        repo = self.get_repo()
        self.require_participant(repo, "open discussions")
        params = DiscussionCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        discussion = discussion_create(
            repo=repo, author=caller_user(request), **params.validated_data
        )
        discussion = discussion_get(repo=repo, num=discussion.num)
        return Response(self._detail(discussion), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=CommentCreateSerializer, responses={201: DiscussionEventSerializer}
    )
    def comment(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Comment on a discussion or pull request."""
        repo = self.get_repo()
        discussion = discussion_get(repo=repo, num=kwargs["num"])
        self.require_participant(repo, "comment")
        params = CommentCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        event = comment_create(
            discussion=discussion,
            author=caller_user(request),
            content=params.validated_data["content"],
        )
        event = discussion_event_get(discussion=discussion, event_id=str(event.pk))
        return Response(
            DiscussionEventSerializer(event).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=MergeSerializer, responses=DiscussionDetailSerializer)
    def merge(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Merge an open pull request (maintainers); 409 while its checks fail."""
        repo = self.get_repo()
        discussion = discussion_get(repo=repo, num=kwargs["num"])
        self.require_write(repo)
        params = MergeSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        pull_request_merge(
            discussion=discussion,
            actor=caller_user(request),
            comment=params.validated_data["comment"],
        )
        discussion = discussion_get(repo=repo, num=discussion.num)
        return Response(self._detail(discussion))

    @extend_schema(
        request=ReviewCreateSerializer, responses={201: DiscussionEventSerializer}
    )
    def review(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Review an open pull request (maintainers): approve, request
        changes or comment. The PR's ``review`` field sums the verdicts up."""
        repo = self.get_repo()
        discussion = discussion_get(repo=repo, num=kwargs["num"])
        self.require_write(repo)
        params = ReviewCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        event = pull_request_review(
            discussion=discussion, actor=caller_user(request), **params.validated_data
        )
        event = discussion_event_get(discussion=discussion, event_id=str(event.pk))
        return Response(
            DiscussionEventSerializer(event).data, status=status.HTTP_201_CREATED
        )

    def _flag(self, request: Request, num: int, service: Any, key: str) -> Response:
        repo = self.get_repo()
        discussion = discussion_get(repo=repo, num=num)
        self.require_participant(repo, "moderate discussions")
        params = DiscussionFlagSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        service(
            discussion=discussion,
            actor=caller_user(request),
            **{key: params.validated_data["value"]},
        )
        return Response(self._detail(discussion_get(repo=repo, num=num)))

    @extend_schema(
        request=DiscussionFlagSerializer, responses=DiscussionDetailSerializer
    )
    def pin(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Pin (``{"value": true}``) or unpin; maintainers."""
        return self._flag(request, kwargs["num"], discussion_set_pinned, "pinned")

    @extend_schema(
        request=DiscussionFlagSerializer, responses=DiscussionDetailSerializer
    )
    def lock(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Lock (only maintainers may comment) or unlock; maintainers. A lock
        hub staff applied is lifted by staff only."""
        repo = self.get_repo()
        discussion = discussion_get(repo=repo, num=kwargs["num"])
        params = DiscussionFlagSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        discussion_lock_set(
            actor=Actor.of(request.user, caller_token(request)),
            discussion=discussion,
            locked=params.validated_data["value"],
        )
        return Response(self._detail(discussion_get(repo=repo, num=discussion.num)))


_REPO = "models/<str:namespace>/<str:name>"

urlpatterns = [
    path(
        f"{_REPO}/like",
        LikeViewSet.as_view({"post": "like", "delete": "unlike"}),
        name="api-v1-repo-like",
    ),
    path(
        "users/<str:username>/likes",
        UserLikeViewSet.as_view({"get": "list"}),
        name="api-v1-user-like-list",
    ),
    path(
        f"{_REPO}/discussions",
        DiscussionViewSet.as_view({"get": "list", "post": "create"}),
        name="api-v1-repo-discussion-list",
    ),
    path(
        f"{_REPO}/discussions/<int:num>",
        DiscussionViewSet.as_view({"get": "retrieve"}),
        name="api-v1-repo-discussion-detail",
    ),
    path(
        f"{_REPO}/discussions/<int:num>/comments",
        DiscussionViewSet.as_view({"post": "comment"}),
        name="api-v1-repo-discussion-comments",
    ),
    path(
        f"{_REPO}/discussions/<int:num>/merge",
        DiscussionViewSet.as_view({"post": "merge"}),
        name="api-v1-repo-discussion-merge",
    ),
    path(
        f"{_REPO}/discussions/<int:num>/reviews",
        DiscussionViewSet.as_view({"post": "review"}),
        name="api-v1-repo-discussion-reviews",
    ),
    path(
        f"{_REPO}/discussions/<int:num>/pin",
        DiscussionViewSet.as_view({"post": "pin"}),
        name="api-v1-repo-discussion-pin",
    ),
    path(
        f"{_REPO}/discussions/<int:num>/lock",
        DiscussionViewSet.as_view({"post": "lock"}),
        name="api-v1-repo-discussion-lock",
    ),
]
