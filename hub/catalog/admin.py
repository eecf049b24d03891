"""Admin for the catalog. History is immutable: commits and trees are read-only.

A repo's visibility and gating are changed, and a repo deleted, through the
catalog's services, so the audit log records who did it; disabling a repo
is a moderation action (/moderation), not a field to edit here.
"""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from hub.catalog.models import (
    Commit,
    ModelRepo,
    Ref,
    RepoDailyStat,
    RepoRedirect,
    TreeEntry,
)
from hub.catalog.services.repos import repo_delete, repo_update_settings


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RefInline(admin.TabularInline):
    model = Ref
    fields = ("name", "kind", "commit", "updated_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(ModelRepo)
class ModelRepoAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "is_private",
        "gated",
        "license",
        "pipeline_tag",
        "library_name",
        "downloads",
        "likes",
        "last_commit_at",
    )
    list_filter = ("is_private", "gated", "pipeline_tag", "library_name", "license")
    search_fields = ("name", "namespace__name", "license", "pipeline_tag")
    list_select_related = ("namespace",)
    readonly_fields = (
        "namespace",
        "name",
        "created_by",
        "created_at",
        "updated_at",
        "last_commit_at",
        "license",
        "license_name",
        "tags",
        "pipeline_tag",
        "library_name",
        "base_model",
        "datasets",
        "language",
        "card_data",
        "disabled_at",
        "disabled_reason",
    )
    inlines = [RefInline]

    def save_model(
        self, request: HttpRequest, obj: ModelRepo, form: Any, change: bool
    ) -> None:
        settings = {
            field: getattr(obj, field)
            for field in ("is_private", "gated")
            if change and field in form.changed_data
        }
        for field in settings:  # back to the stored value: the service changes it
            setattr(obj, field, form.initial[field])
        if settings:
            repo_update_settings(repo=obj, by=request.user, **settings)  # type: ignore[arg-type]
        super().save_model(request, obj, form, change)

    def delete_model(self, request: HttpRequest, obj: ModelRepo) -> None:
        repo_delete(repo=obj, by=request.user)  # type: ignore[arg-type]

    def delete_queryset(
        self, request: HttpRequest, queryset: QuerySet[ModelRepo]
    ) -> None:
        for repo in queryset.select_related("namespace"):
            repo_delete(repo=repo, by=request.user)  # type: ignore[arg-type]


@admin.register(Commit)
class CommitAdmin(ReadOnlyAdmin):
    list_display = ("oid", "repo", "title", "author_name", "created_at")
    list_filter = ("created_at",)
    search_fields = (
        "oid",
        "title",
        "repo__name",
        "repo__namespace__name",
        "author_name",
    )
    list_select_related = ("repo__namespace",)
    raw_id_fields = ("repo", "parent", "merge_parent", "author")
    date_hierarchy = "created_at"


@admin.register(TreeEntry)
class TreeEntryAdmin(ReadOnlyAdmin):
    list_display = ("path", "commit", "size", "is_lfs", "blob")
    list_filter = ("is_lfs",)
    search_fields = ("path", "blob__sha256", "commit__oid")
    raw_id_fields = ("commit", "blob")
    list_select_related = ("commit",)


@admin.register(Ref)
class RefAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "repo", "commit", "updated_at")
    list_filter = ("kind",)
    search_fields = ("name", "repo__name", "repo__namespace__name")
    list_select_related = ("repo__namespace", "commit")


@admin.register(RepoRedirect)
class RepoRedirectAdmin(admin.ModelAdmin):
    list_display = ("old_full_name", "repo", "created_at")
    search_fields = ("old_full_name", "repo__name")
    raw_id_fields = ("repo",)


@admin.register(RepoDailyStat)
class RepoDailyStatAdmin(ReadOnlyAdmin):
    list_display = ("repo", "day", "downloads", "likes")
    list_filter = ("day",)
    search_fields = ("repo__name", "repo__namespace__name")
    list_select_related = ("repo__namespace",)
    date_hierarchy = "day"
