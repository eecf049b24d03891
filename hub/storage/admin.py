from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet

from hub.storage.fsck_checks import blobs_verify
from hub.storage.models import (
    Blob,
    BlobClaim,
    XetDedupChunk,
    XetFile,
    XetFileXorb,
    XetShard,
    XetXorb,
    XorbClaim,
)


@admin.action(description="Verify their bytes (quarantine those that fail)")
def verify_blobs(
    modeladmin: admin.ModelAdmin, request: Any, queryset: QuerySet[Blob]
) -> None:
    """What ``manage.py hub_fsck --repair`` does to blobs, for these."""
    report = blobs_verify(blobs=queryset, repair=True)
    modeladmin.message_user(
        request,
        f"{report.examined['blobs']} verified, {len(report.findings)} failed"
        + "".join(f"; {finding.message}" for finding in report.findings[:5])
        + (f"; {len(report.restored)} restored" if report.restored else ""),
        level="warning" if report.findings else "info",
    )


@admin.register(Blob)
class BlobAdmin(admin.ModelAdmin):
    actions = [verify_blobs]
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


class _ReadOnly(admin.ModelAdmin):
    """Xet rows are written by the CAS only: staff look, never edit."""

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class XetFileXorbInline(admin.TabularInline):
    model = XetFileXorb
    extra = 0
    raw_id_fields = ("xorb",)
    can_delete = False

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(XetXorb)
class XetXorbAdmin(_ReadOnly):
    list_display = ("hash", "size", "unpacked_size", "chunk_count", "created_at")
    search_fields = ("hash",)
    exclude = ("chunk_table",)
    date_hierarchy = "created_at"


@admin.register(XetFile)
class XetFileAdmin(_ReadOnly):
    list_display = ("hash", "sha256", "size", "verified_at", "created_at")
    list_filter = ("verified_at",)
    search_fields = ("hash", "sha256", "verify_error")
    exclude = ("terms",)
    raw_id_fields = ("uploaded_by",)
    inlines = [XetFileXorbInline]


@admin.register(XetShard)
class XetShardAdmin(_ReadOnly):
    list_display = ("hash", "size", "uploaded_by", "created_at")
    search_fields = ("hash",)
    raw_id_fields = ("uploaded_by", "files")


@admin.register(XorbClaim)
class XorbClaimAdmin(_ReadOnly):
    list_display = ("xorb", "user", "created_at")
    search_fields = ("xorb__hash", "user__username")
    raw_id_fields = ("xorb", "user")


@admin.register(XetDedupChunk)
class XetDedupChunkAdmin(_ReadOnly):
    list_display = ("chunk_hash", "xorb")
    search_fields = ("chunk_hash", "xorb__hash")
    raw_id_fields = ("xorb",)
