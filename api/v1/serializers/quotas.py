"""A namespace's quotas: its limits, its usage, and staff's changes."""

from __future__ import annotations

from rest_framework import serializers

LIMIT_HELP = (
    "A size (bytes, or with a unit: 50GB, 1.5GiB), 'unlimited', or 'default' "
    "for the hub's default."
)


class QuotaStorageSerializer(serializers.Serializer):
    used_bytes = serializers.IntegerField(
        help_text="The sum over the namespace's repositories of the distinct "
        "files their commits reference (history included)."
    )
    limit_bytes = serializers.IntegerField(
        allow_null=True, help_text="null: unlimited."
    )
    is_default = serializers.BooleanField(
        help_text="The hub's default, not a limit staff set for this namespace."
    )


class QuotaRepoCountSerializer(serializers.Serializer):
    used = serializers.IntegerField()
    limit = serializers.IntegerField(allow_null=True, help_text="null: unlimited.")
    is_default = serializers.BooleanField()


class QuotaFileSizeSerializer(serializers.Serializer):
    limit_bytes = serializers.IntegerField(
        allow_null=True, help_text="Largest file; null: unlimited."
    )
    is_default = serializers.BooleanField()


class QuotaRepoUsageSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="namespace/name")
    private = serializers.BooleanField()
    stored_bytes = serializers.IntegerField()


class NamespaceQuotaSerializer(serializers.Serializer):
    """A namespace's limits and what it uses of them."""

    namespace = serializers.CharField()
    kind = serializers.ChoiceField(choices=["user", "org"])
    storage = QuotaStorageSerializer()
    repos = QuotaRepoCountSerializer()
    file_size = QuotaFileSizeSerializer()
    repositories = QuotaRepoUsageSerializer(
        many=True, help_text="Each repository's stored bytes, largest first."
    )


class NamespaceQuotaSetSerializer(serializers.Serializer):
    """Staff's change: only the limits given change."""

    storage = serializers.CharField(required=False, max_length=40, help_text=LIMIT_HELP)
    repos = serializers.CharField(
        required=False,
        max_length=40,
        help_text="A number of repositories, 'unlimited', or 'default'.",
    )
    file_size = serializers.CharField(
        required=False, max_length=40, help_text=LIMIT_HELP
    )
