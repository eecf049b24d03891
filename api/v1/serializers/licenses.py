"""The license catalog with its term flags."""

from __future__ import annotations

from rest_framework import serializers

from hub.licenses.models import License


class LicenseSerializer(serializers.ModelSerializer):
    """A license id with what it permits (null: not known for this license)."""

    class Meta:
        model = License
        fields = [
            "id",
            "name",
            "url",
            "kind",
            "spdx_id",
            "allows_commercial_use",
            "allows_derivatives",
            "requires_attribution",
            "requires_share_alike",
            "has_use_restrictions",
            "requires_acceptance",
            "summary",
        ]
