from django.contrib import admin

from hub.storage.models import Blob, BlobClaim


@admin.register(Blob)
class BlobAdmin(admin.ModelAdmin):
    list_display = ("sha256", "size", "is_quarantined", "created_at")
    list_filter = ("is_quarantined", "created_at")
    search_fields = ("sha256", "quarantine_reason")
    readonly_fields = ("sha256", "size", "git_sha1", "created_at")
    date_hierarchy = "created_at"


@admin.register(BlobClaim)
class BlobClaimAdmin(admin.ModelAdmin):
    list_display = ("blob", "user", "created_at")
    search_fields = ("blob__sha256", "user__username")
    raw_id_fields = ("blob", "user")
