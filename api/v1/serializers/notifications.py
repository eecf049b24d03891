"""The signed-in user's in-app notifications."""

from __future__ import annotations

from rest_framework import serializers

from hub.core.parsing import MAX_INT_PARAM
from hub.notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(
        source="actor.username", allow_null=True, default=None
    )
    repo = serializers.CharField(source="repo.full_name", allow_null=True, default=None)
    discussion = serializers.IntegerField(
        source="discussion.num", allow_null=True, default=None
    )
    url = serializers.CharField(help_text="A path on this hub.")

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "actor",
            "repo",
            "discussion",
            "text",
            "url",
            "read_at",
            "created_at",
        ]


class NotificationMarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_INT_PARAM),
        required=False,
        allow_null=True,
        default=None,
        max_length=1000,
        help_text="Notifications to mark read; leave out to mark all read.",
    )


class NotificationMarkReadResultSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many were unread before.")
    unread = serializers.IntegerField(help_text="How many are unread now.")
