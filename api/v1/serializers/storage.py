"""Storage accounting: logical vs stored bytes (a repo's, or the hub's)."""

from __future__ import annotations

from rest_framework import serializers


class StorageUsageSerializer(serializers.Serializer):
    """Bytes the files of every commit name vs the bytes held for them."""

    logical_bytes = serializers.IntegerField(
        help_text="Sizes of the distinct files any commit references."
    )
    stored_bytes = serializers.IntegerField(
        help_text="Bytes held for them: a file in the blob store counts its "
        "size, a file stored through Xet the xorbs it uses, each once."
    )
