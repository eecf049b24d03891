"""Organizations, their members, and the caller's API tokens.

- An organization's page is public; its ``models_count`` counts only the
  models the caller may see, so private repos stay invisible.
- The member list is visible to members only (any role): 401 for anonymous
  callers, 403 for others. Adding, changing and removing members is for the
  organization's admins.
- Tokens are managed by their user only: with a signed-in session, or with
  a write-scoped token that is not limited to repos (a read token or a
  repo-limited token cannot mint a broader one). A token made with a token
  cannot outlive it. Another user's token answers 404.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.permissions import (
    BasePermission,
    IsAuthenticated,
    IsAuthenticatedOrReadOnly,
)
from rest_framework.request import Request
from rest_framework.response import Response

from api.v1.etag import conditional_response
from api.v1.serializers.accounts import (
    MemberSerializer,
    MembershipSetSerializer,
    OrganizationCreateSerializer,
    OrganizationSerializer,
    TokenCreatedSerializer,
    TokenCreateSerializer,
    TokenSerializer,
)
from api.v1.views.repo_base import (
    CleanPathMixin,
    TokenNotRepoRestricted,
    TokenScopeAllowsWrite,
    caller_token,
    caller_user,
)
from hub.accounts.actors import Actor
from hub.accounts.models import ApiToken, Membership, Namespace, Organization
from hub.accounts.selectors import (
    membership_list,
    namespace_get,
    token_list,
)
from hub.accounts.services import (
    organization_create,
    token_create,
    token_revoke,
)
from hub.accounts.usecases import (
    organization_member_remove,
    organization_member_set,
    organization_members,
    organization_viewer_role,
)
from hub.catalog.visibility import repo_list_visible
from hub.core.errors import NotFoundError, ValidationError


def _organization(name: str) -> tuple[Organization, Namespace]:
    namespace = namespace_get(name=name)
    if namespace.kind != Namespace.Kind.ORGANIZATION or namespace.organization is None:
        raise NotFoundError(f"No organization is named {name!r}.")
    return namespace.organization, namespace


@extend_schema(tags=["organizations"])
class OrganizationViewSet(CleanPathMixin, viewsets.GenericViewSet):
    """``/organizations``: create one; read one."""

    serializer_class = OrganizationSerializer
    permission_classes = [
        IsAuthenticatedOrReadOnly,
        TokenScopeAllowsWrite,
        TokenNotRepoRestricted,
    ]
    filter_backends: list[Any] = []
    lookup_field = "name"
    lookup_value_regex = "[^/]+"

    def get_permissions(self) -> Sequence[Any]:
        if self.action == "retrieve":
            # Reading an organization's page is for any caller, including a
            # token limited to repos.
            return [IsAuthenticatedOrReadOnly()]
        return super().get_permissions()

    def _render(self, organization: Organization, namespace: Namespace) -> Any:
        request = self.request
        models_count = (
            repo_list_visible(
                user=request.user, token=caller_token(request), repo_type="model"
            )
            .filter(namespace=namespace)
            .count()
        )
        data = {
            "name": organization.name,
            "display_name": organization.display_name,
            "description": organization.description,
            "created_at": organization.created_at,
            "members_count": membership_list(organization=organization).count(),
            "models_count": models_count,
            "viewer_role": organization_viewer_role(
                actor=Actor.of(request.user, caller_token(request)),
                organization=organization,
            ),
        }
        return OrganizationSerializer(data).data

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """An organization with its member count and the models you can see."""
        organization, namespace = _organization(kwargs["name"])
        return conditional_response(request, self._render(organization, namespace))

    @extend_schema(
        request=OrganizationCreateSerializer, responses={201: OrganizationSerializer}
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Create an organization; you become its admin (409 if the name is taken)."""
        params = OrganizationCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        organization = organization_create(
            creator=caller_user(request), **params.validated_data
        )
        organization, namespace = _organization(organization.name)
        return Response(
            self._render(organization, namespace), status=status.HTTP_201_CREATED
        )


@extend_schema(tags=["organizations"])
class MemberViewSet(CleanPathMixin, viewsets.GenericViewSet):
    """``/organizations/{name}/members``: members only; admins change them."""

    serializer_class = MemberSerializer
    permission_classes = [
        IsAuthenticated,
        TokenScopeAllowsWrite,
        TokenNotRepoRestricted,
    ]
    filter_backends: list[Any] = []

    def get_permissions(self) -> Sequence[Any]:
        if self.action == "list":
            return [IsAuthenticated()]
        return super().get_permissions()

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Membership.objects.none()
        organization, _ = _organization(self.kwargs["org"])
        return organization_members(actor=self._actor(), organization=organization)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Members with their roles, by username (visible to members only)."""
        page = self.paginate_queryset(self.get_queryset())
        data = MemberSerializer(page, many=True).data
        return self.get_paginated_response(data)

    def _actor(self) -> Actor:
        return Actor.of(self.request.user, caller_token(self.request))

    @extend_schema(request=MembershipSetSerializer, responses=MemberSerializer)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Add a user with a role, or change their role (organization admins)."""
        organization, _ = _organization(self.kwargs["org"])
        params = MembershipSetSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        membership = organization_member_set(
            actor=self._actor(),
            organization=organization,
            username=self.kwargs["username"],
            role=params.validated_data["role"],
        )
        return Response(MemberSerializer(membership).data)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Remove a member (organization admins; not the last admin)."""
        organization, _ = _organization(self.kwargs["org"])
        organization_member_remove(
            actor=self._actor(),
            organization=organization,
            username=self.kwargs["username"],
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenMayManageTokens(BasePermission):
    """Sessions, or write-scoped tokens without a repo limit."""

    message = (
        "Managing tokens needs a signed-in session or a write token that is not "
        "limited to repositories."
    )

    def has_permission(self, request: Request, view: Any) -> bool:
        token = caller_token(request)
        return token is None or (token.can_write and not token.repo_ids)


@extend_schema(tags=["tokens"])
class TokenViewSet(
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's own API tokens (never their secrets).

    Managing tokens needs a signed-in session or a write-scoped token that is
    not limited to repos; a token made with an expiring token cannot outlive
    it.
    """

    serializer_class = TokenSerializer
    permission_classes = [IsAuthenticated, TokenMayManageTokens]
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return ApiToken.objects.none()
        return token_list(user=caller_user(self.request))

    @extend_schema(
        request=TokenCreateSerializer, responses={201: TokenCreatedSerializer}
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Create a token; the response carries its secret, shown only this once."""
        params = TokenCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        expires_at = params.validated_data.get("expires_at")
        current = caller_token(request)
        limit = current.expires_at if current is not None else None
        if limit is not None and (expires_at is None or expires_at > limit):
            raise ValidationError(
                "A token created with a token cannot outlive it: set "
                f"expires_at to {limit.isoformat()} or earlier."
            )
        token, secret = token_create(
            user=caller_user(request),
            name=params.validated_data["name"],
            scope=params.validated_data["scope"],
            expires_at=expires_at,
            repo_ids=params.validated_data["repo_ids"],
            by=caller_user(request),
        )
        data = TokenCreatedSerializer(token, context={"secret": secret}).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Revoke one of your tokens (idempotent); another user's token is 404."""
        token_revoke(token=self.get_object(), by=caller_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


def register(router: Any) -> None:
    router.register(
        "organizations", OrganizationViewSet, basename="api-v1-organization"
    )
    router.register("tokens", TokenViewSet, basename="api-v1-token")


urlpatterns = [
    path(
        "organizations/<str:org>/members",
        MemberViewSet.as_view({"get": "list"}),
        name="api-v1-organization-member-list",
    ),
    path(
        "organizations/<str:org>/members/<str:username>",
        MemberViewSet.as_view({"put": "update", "delete": "destroy"}),
        name="api-v1-organization-member-detail",
    ),
]
