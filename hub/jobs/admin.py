from django.contrib import admin

from hub.jobs.models import BlobVerdict, ValidationRun


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


@admin.register(BlobVerdict)
class BlobVerdictAdmin(admin.ModelAdmin):
    list_display = ("blob", "validator_version", "verdict", "created_at")
    list_filter = ("verdict",)
    search_fields = ("blob__sha256", "validator_version")
    raw_id_fields = ("blob",)
