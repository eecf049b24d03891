"""Storage accounting: the bytes commits name (logical) vs the bytes held.

*Logical* bytes are the sizes of the distinct files any commit references
(a file kept in ten commits counts once). *Stored* bytes are what holding
those files costs: a file in the blob store counts its size; a file whose
bytes live only in Xet counts the xorbs its terms use, each xorb once, so
content shared between files (a fine-tune and its base) is paid for once.
Per repo, every xorb the repo's files use counts whole, even when other
repos share it; hub-wide each xorb counts once, which is where chunk-level
deduplication shows.

Each figure is two aggregate queries; the hub-wide one reads every blob and
is cached a few minutes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q, QuerySet, Sum

from hub.catalog.models import ModelRepo, TreeEntry
from hub.storage.models import Blob, XetFileXorb, XetXorb

HUB_USAGE_CACHE_KEY = "catalog:storage-usage:v1"
HUB_USAGE_CACHE_SECONDS = 300


@dataclass(frozen=True)
class StorageUsage:
    logical_bytes: int
    stored_bytes: int

    @property
    def dedup_percent(self) -> int:
        """Share of the logical bytes not stored (0 when nothing is saved)."""
        if self.logical_bytes <= 0 or self.stored_bytes >= self.logical_bytes:
            return 0
        return int(100 * (1 - self.stored_bytes / self.logical_bytes))


def _usage(blobs: QuerySet[Blob]) -> StorageUsage:
    """Logical and stored bytes of a set of blobs (two queries)."""
    sums = blobs.aggregate(
        logical=Sum("size"), in_store=Sum("size", filter=Q(in_store=True))
    )
    xet_only_files = blobs.filter(in_store=False).values("xet_file_id")
    used: Any = XetFileXorb.objects.filter(
        xorb=OuterRef("pk"), file_id__in=xet_only_files
    )
    xorbs = XetXorb.objects.filter(Exists(used)).aggregate(total=Sum("size"))
    return StorageUsage(
        logical_bytes=int(sums["logical"] or 0),
        stored_bytes=int(sums["in_store"] or 0) + int(xorbs["total"] or 0),
    )


def repo_storage_usage(*, repo: ModelRepo) -> StorageUsage:
    """Logical vs stored bytes of every file any commit of ``repo`` holds
    (history included: old commits keep their files). Two queries."""
    referenced = TreeEntry.objects.filter(commit__repo=repo).values("blob_id")
    return _usage(Blob.objects.filter(pk__in=referenced))


def hub_storage_usage(*, fresh: bool = False) -> StorageUsage:
    """Logical vs stored bytes of every file any commit of the hub holds,
    each xorb counted once. Cached ``HUB_USAGE_CACHE_SECONDS``; ``fresh``
    computes it now (and caches the new figure)."""
    usage = None if fresh else cache.get(HUB_USAGE_CACHE_KEY)
    if isinstance(usage, StorageUsage):
        return usage
    referenced = TreeEntry.objects.filter(blob=OuterRef("pk"))
    usage = _usage(Blob.objects.filter(Exists(referenced)))
    cache.set(HUB_USAGE_CACHE_KEY, usage, HUB_USAGE_CACHE_SECONDS)
    return usage
