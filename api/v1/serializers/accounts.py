"""Organizations, their members, and the caller's API tokens."""

from __future__ import annotations

from rest_framework import serializers

from hub.accounts.models import ApiToken, Membership, Organization


class OrganizationSerializer(serializers.ModelSerializer):
    """An organization; counts are of what the caller may see."""

    members_count = serializers.IntegerField()
    models_count = serializers.IntegerField(
        help_text="Models of the organization the caller may see (public ones, "
        "plus private ones for members)."
    )
    viewer_role = serializers.CharField(
        allow_null=True,
        help_text="The caller's role in the organization (admin, write or read), "
        "or null.",
    )

    class Meta:
        model = Organization
        fields = [
            "name",
            "display_name",
            "description",
            "created_at",
            "members_count",
            "models_count",
            "viewer_role",
        ]


class OrganizationCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=96)
    display_name = serializers.CharField(
        max_length=150, required=False, allow_blank=True, default=""
    )


class MemberSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")
    display_name = serializers.CharField(source="user.display_name")
    joined_at = serializers.DateTimeField(source="created_at")

    class Meta:
        model = Membership
        fields = ["username", "display_name", "role", "joined_at"]


class MembershipSetSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Membership.Role.choices)


class TokenSerializer(serializers.ModelSerializer):
    """A token of the caller: never its secret nor its digest."""

    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "prefix",
            "scope",
            "repo_ids",
            "expires_at",
            "last_used_at",
            "revoked_at",
            "created_at",
            "is_active",
        ]


class TokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    scope = serializers.ChoiceField(
        choices=ApiToken.Scope.choices, default=ApiToken.Scope.READ
    )
    expires_at = serializers.DateTimeField(required=False, allow_null=True)
    repo_ids = serializers.ListField(
        child=serializers.CharField(max_length=200),
        required=False,
        default=list,
        help_text="Limit the token to these 'namespace/name' repos.",
    )


class TokenCreatedSerializer(TokenSerializer):
    """The new token, with its secret: shown in this response only."""

    token = serializers.SerializerMethodField(
        help_text="The secret to send as 'Authorization: Bearer <token>'. It is "
        "not stored and cannot be shown again."
    )

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "token"]

    def get_token(self, token: ApiToken) -> str:
        return self.context["secret"]
