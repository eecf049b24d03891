"""The security audit log (read-only): its events and the search filters."""

from __future__ import annotations

from rest_framework import serializers

from hub.audit.events import ACTIONS
from hub.audit.models import AuditEvent
from hub.audit.queries import FILTERS


class AuditEventSerializer(serializers.ModelSerializer):
    """One event; the same keys as a line of the JSON-lines export."""

    action = serializers.ChoiceField(
        choices=sorted(ACTIONS), help_text="What happened (hub.audit.events)."
    )
    actor = serializers.CharField(
        source="actor_name",
        allow_null=True,
        help_text="The acting user's name then (null: nobody signed in).",
    )
    actor_id = serializers.IntegerField(allow_null=True)
    ip = serializers.IPAddressField(
        allow_null=True, help_text="The client's address (null outside a request)."
    )

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "at",
            "action",
            "actor",
            "actor_id",
            "ip",
            "user_agent",
            "request_id",
            "organization",
            "repo",
            "target",
            "details",
        ]
        read_only_fields = fields

    def to_representation(self, instance: AuditEvent) -> dict[str, object]:
        data = super().to_representation(instance)
        data["actor"] = data["actor"] or None
        return data


def audit_filter_parameters() -> list[tuple[str, str]]:
    """(name, description) of each search filter, for the schema."""
    return list(FILTERS.items())
