"""Admin for the catalog. History is immutable: commits and trees are read-only."""

from django.contrib import admin

from hub.catalog.models import (
    Commit,
    ModelRepo,
    Ref,
    RepoDailyStat,
    RepoRedirect,
    TreeEntry,
)


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
    )
    inlines = [RefInline]


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
