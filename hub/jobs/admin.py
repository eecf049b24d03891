from typing import Any

from django.contrib import admin
from django.db.models import QuerySet

from hub.catalog.models import Commit
from hub.jobs.models import BlobVerdict, EvalResult, EvalRun, ValidationRun
from hub.jobs.rescan import validation_commits_rescan


@admin.action(description="Check their commits again with the current validators")
def rescan_commits(
    modeladmin: admin.ModelAdmin, request: Any, queryset: QuerySet[ValidationRun]
) -> None:
    """What ``manage.py hub_rescan`` does, for the commits of these runs."""
    commits = Commit.objects.filter(pk__in=queryset.values("commit_id"))
    report = validation_commits_rescan(commits=commits)
    modeladmin.message_user(
        request,
        f"Queued {len(report.queued)} checks of {report.commits} commits; "
        f"{report.in_progress} were already queued or running.",
    )


@admin.register(ValidationRun)
class ValidationRunAdmin(admin.ModelAdmin):
    list_display = (
        "commit",
        "kind",
        "path",
        "status",
        "verdict",
        "attempts",
        "created_at",
    )
    list_filter = ("status", "verdict", "kind", "reused")
    search_fields = ("path", "commit__oid", "commit__repo__name")
    raw_id_fields = ("commit", "blob")
    readonly_fields = ("findings", "metadata", "log", "celery_task_id")
    list_select_related = ("commit",)
    actions = [rescan_commits]


@admin.register(BlobVerdict)
class BlobVerdictAdmin(admin.ModelAdmin):
    list_display = ("blob", "validator_version", "verdict", "created_at")
    list_filter = ("verdict",)
    search_fields = ("blob__sha256", "validator_version")
    raw_id_fields = ("blob",)


@admin.register(EvalRun)
class EvalRunAdmin(admin.ModelAdmin):
    list_display = (
        "commit",
        "checkpoint",
        "evaluator",
        "status",
        "reason",
        "attempts",
        "created_at",
    )
    list_filter = ("status", "evaluator", "reason", "reused", "force")
    search_fields = ("commit__oid", "commit__repo__name", "inputs_digest")
    raw_id_fields = ("commit", "owner", "requested_by", "result")
    readonly_fields = ("inputs", "log", "celery_task_id")
    list_select_related = ("commit",)


@admin.register(EvalResult)
class EvalResultAdmin(admin.ModelAdmin):
    list_display = ("evaluator", "primary_metric", "primary_value", "size_tier")
    list_filter = ("evaluator", "size_tier", "suite_version")
    search_fields = ("inputs_digest",)
    readonly_fields = ("metrics", "details", "environment", "settings")
