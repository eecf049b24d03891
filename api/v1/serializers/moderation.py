"""Reports, moderation actions and the audit log."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hub.core.parsing import MAX_INT_PARAM
from hub.moderation.models import ModerationAction, Report
from hub.moderation.services.actions import ACTIONS


class ReportCreateSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="model, review, comment or user.")
    target = serializers.CharField(
        max_length=200,
        help_text="model: 'namespace/name'; review or comment: its id; "
        "user: a username.",
    )
    reason = serializers.ChoiceField(choices=Report.Reason.choices)
    text = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=5000
    )

    def validate_kind(self, value: str) -> str:
        if value not in Report.Kind.values:
            raise serializers.ValidationError(
                f"Unknown kind {value!r}: use model, review, comment or user."
            )
        return value


class ReportSerializer(serializers.ModelSerializer):
    # Annotated by hub.moderation.selectors.report_list_for_moderator: the
    # reporter's username for staff, null for everyone else.
    reporter = serializers.CharField(
        source="reporter_name",
        allow_null=True,
        default=None,
        read_only=True,
        help_text="Who reported: shown to hub staff only (null otherwise).",
    )
    target = serializers.SerializerMethodField()
    repo = serializers.CharField(source="repo.full_name", allow_null=True, default=None)
    decided_by = serializers.CharField(
        source="decided_by.username", allow_null=True, default=None
    )
    kind = serializers.CharField(help_text="model, review, comment or user.")
    status = serializers.CharField(help_text="open, resolved or dismissed.")

    class Meta:
        model = Report
        fields = [
            "id",
            "kind",
            "target",
            "repo",
            "reason",
            "text",
            "status",
            "reporter",
            "created_at",
            "decided_at",
            "decided_by",
            "decision_note",
        ]

    @extend_schema_field(serializers.CharField())
    def get_target(self, report: Report) -> str:
        if report.kind == Report.Kind.MODEL:
            return report.repo.full_name if report.repo else ""
        if report.kind == Report.Kind.REVIEW:
            return str(report.review_id)
        if report.kind == Report.Kind.COMMENT:
            return str(report.comment_id)
        return report.target_user.username if report.target_user else ""


class ReportDecideSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="resolved or dismissed.")

    def validate_status(self, value: str) -> str:
        if value not in (Report.Status.RESOLVED, Report.Status.DISMISSED):
            raise serializers.ValidationError("Decide as resolved or dismissed.")
        return value

    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000
    )


class ModerationActionCreateSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=ACTIONS)
    target = serializers.CharField(
        max_length=200,
        help_text="hide_review/unhide_review: review id; hide_comment/"
        "unhide_comment: comment id; lock_discussion/unlock_discussion: "
        "'namespace/name#num'; disable_repo/enable_repo: 'namespace/name'; "
        "ban_user/unban_user: username.",
    )
    reason = serializers.CharField(max_length=2000)
    report = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_INT_PARAM,
        help_text="The report this action answers (resolved by it; staff only).",
    )


class ModerationActionSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_username")
    report = serializers.IntegerField(source="report_id", allow_null=True)

    class Meta:
        model = ModerationAction
        fields = [
            "id",
            "actor",
            "action",
            "reason",
            "target_kind",
            "target_label",
            "report",
            "created_at",
        ]
