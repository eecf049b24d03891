"""Branches, tags and pull request refs of a repo."""

from __future__ import annotations

from rest_framework import serializers

from hub.catalog.models import Ref


class RefSerializer(serializers.ModelSerializer):
    """A ref and the commit it points at."""

    target_commit = serializers.CharField(source="commit.oid")

    class Meta:
        model = Ref
        fields = ["name", "kind", "target_commit", "updated_at"]


class RefListSerializer(serializers.Serializer):
    branches = RefSerializer(many=True)
    tags = RefSerializer(many=True)
    pull_requests = RefSerializer(many=True)


class RefCreateSerializer(serializers.Serializer):
    """A new branch or tag at ``revision`` (default: the head of main)."""

    name = serializers.CharField(max_length=255)
    revision = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="A branch, tag, refs/pr/N or commit id; default main.",
    )
