"""One garbage collection of everything storage holds, or its dry run.

Blobs no commit references, then the Xet files, xorbs and shards nothing
uses any more (a Xet-only blob deleted frees its file), then abandoned
multipart staging; each past its grace period. The periodic task and the
``hub_gc`` command both run it through here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import Sum

from hub.storage.services import blob_collect_garbage, blob_garbage
from hub.storage.uploads import upload_staging_collect
from hub.storage.xetcas.gc import xet_collect_garbage, xet_garbage_find

# Told after each step: its name and how many objects it removed (or found).
Progress = Callable[[str, int], None]


@dataclass
class GarbageReport:
    applied: bool
    blobs: list[str] = field(default_factory=list)
    blob_bytes: int = 0
    xet_files: list[str] = field(default_factory=list)
    xorbs: list[str] = field(default_factory=list)
    xorb_bytes: int = 0
    shards: list[str] = field(default_factory=list)
    staging: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def count(self) -> int:
        return sum(
            len(part)
            for part in (
                self.blobs,
                self.xet_files,
                self.xorbs,
                self.shards,
                self.staging,
            )
        )


def _quiet(step: str, count: int) -> None:
    pass


def garbage_find(*, grace_seconds: int | None = None) -> GarbageReport:
    """What a collection would remove now; nothing is removed."""
    blobs = blob_garbage(grace_seconds=grace_seconds)
    xet = xet_garbage_find(grace_seconds=grace_seconds)
    return GarbageReport(
        applied=False,
        blobs=list(blobs.values_list("sha256", flat=True)),
        blob_bytes=blobs.filter(in_store=True).aggregate(n=Sum("size"))["n"] or 0,
        xet_files=xet.files,
        xorbs=xet.xorbs,
        xorb_bytes=xet.xorb_bytes,
        shards=xet.shards,
    )


def garbage_collect(
    *, grace_seconds: int | None = None, progress: Progress = _quiet
) -> GarbageReport:
    """Collect everything past its grace period; what was removed."""
    report = GarbageReport(applied=True)
    sizes = dict(
        blob_garbage(grace_seconds=grace_seconds).values_list("sha256", "size")
    )
    report.blobs = blob_collect_garbage(grace_seconds=grace_seconds)
    report.blob_bytes = sum(sizes.get(sha, 0) for sha in report.blobs)
    progress("blobs", len(report.blobs))
    xet = xet_collect_garbage(grace_seconds=grace_seconds)
    report.xet_files, report.xorbs, report.shards = xet.files, xet.xorbs, xet.shards
    report.xorb_bytes = xet.xorb_bytes
    progress("xet", len(xet.files) + len(xet.xorbs) + len(xet.shards))
    report.staging = upload_staging_collect()
    progress("staging", len(report.staging))
    return report
