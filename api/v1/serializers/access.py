"""Gated access (license acceptance requests) and license lineage."""

from __future__ import annotations

from rest_framework import serializers

from hub.licenses.models import LicenseAcceptance


class AccessRequestSerializer(serializers.ModelSerializer):
    """A user's request to access a gated model."""

    user = serializers.CharField(source="user.username")
    status = serializers.CharField(help_text="pending, accepted or rejected.")
    decided_by = serializers.CharField(
        source="decided_by.username", allow_null=True, default=None
    )
    license = serializers.CharField(source="license_id")

    class Meta:
        model = LicenseAcceptance
        fields = [
            "user",
            "status",
            "license",
            "fields",
            "created_at",
            "decided_at",
            "decided_by",
        ]


class AccessStateSerializer(serializers.Serializer):
    """Whether the caller may download the model's files, and why."""

    gated = serializers.CharField(
        help_text="The gate in force (off, auto or manual): the owner's "
        "setting, or auto when the license requires accepting its terms.",
    )
    has_access = serializers.BooleanField()
    request = AccessRequestSerializer(allow_null=True)
    license = serializers.CharField(allow_blank=True)


class AccessRequestCreateSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.CharField(max_length=500, allow_blank=True),
        required=False,
        default=dict,
        help_text="Answers to the maintainers' questions, if any (shown to "
        "them with the request).",
    )
    accept_license = serializers.BooleanField(
        help_text="Must be true: you accept the model's license terms."
    )

    def validate_accept_license(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError(
                "Accept the license terms (accept_license: true) to get access."
            )
        return value


def _status(value: str) -> str:
    if value not in LicenseAcceptance.Status.values:
        raise serializers.ValidationError(
            f"Unknown status {value!r}: use accepted, rejected or pending."
        )
    return value


class AccessRequestDecideSerializer(serializers.Serializer):
    status = serializers.CharField(
        help_text="accepted, rejected, or pending (undecided again)."
    )

    def validate_status(self, value: str) -> str:
        return _status(value)


class AccessRequestListQuerySerializer(serializers.Serializer):
    status = serializers.CharField(
        required=False,
        help_text="Only requests in this state: pending, accepted or rejected.",
    )

    def validate_status(self, value: str) -> str:
        return _status(value)


class LicenseLineageEntrySerializer(serializers.Serializer):
    """One base model (or derivative) and the license verdict for the pair."""

    repo_id = serializers.CharField()
    found = serializers.BooleanField(help_text="The repo is on this hub.")
    license = serializers.CharField(allow_blank=True)
    status = serializers.CharField(help_text="ok, conflict or unknown.")
    reasons = serializers.ListField(child=serializers.CharField())


class LicenseLineageSerializer(serializers.Serializer):
    bases = LicenseLineageEntrySerializer(
        many=True, help_text="The card's base_model repos and their verdicts."
    )
    derivative_conflicts = LicenseLineageEntrySerializer(
        many=True,
        help_text="Models on this hub built on this one whose license conflicts "
        "with its terms.",
    )
