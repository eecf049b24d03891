"""Storage's invariant checks (``hub_fsck --invariants``).

``staging``: no staged upload is left past the grace period. Staged are:
the store's own staging (a write's ``tmp/<uuid>.part`` on local disk, which
the write removes itself unless its process died; on S3 the ``staging/``
and ``tmp/`` keys of direct uploads and the multipart uploads under way,
``BlobStore.staged_uploads``) and the multipart parts received through the
hub (``<HUB_BLOB_ROOT>/tmp/uploads/<upload id>/``). Xet xorbs and shards
are written through the same store writes, so their staging is the first
kind; a xorb or shard object without its row is an orphan of the
``objects`` check. Cost: one listing of each staging area, no query.
*Repair*: what is past the grace period is removed, as the staging
collector would.

``storage_counters``: a Blob's size equals its Xet file's (what the store
and Xet rebuild serve), and a xorb's chunk count its chunk table's length
(40 bytes a chunk: what reconstruction reads). One query each; reported
only (both are written once, from verified bytes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Length

from hub.storage.fsck import Check, Finding, FsckContext
from hub.storage.fsck_counters import Counter, counters_check
from hub.storage.models import Blob, XetFile, XetXorb
from hub.storage.store import StagedObject
from hub.storage.stores import raw_store
from hub.storage.uploads.staging import upload_staging_list, upload_staging_remove

# Where staged uploads wait: a name for the findings, the lister, the remover.
_Area = tuple[str, Callable[[], list[StagedObject]], Callable[[str], None]]


def _areas() -> list[_Area]:
    store = raw_store()
    return [
        ("store", lambda: list(store.staged_uploads()), store.staged_remove),
        ("uploads", upload_staging_list, upload_staging_remove),
    ]


def _staging_findings(ctx: FsckContext) -> Iterator[Finding]:
    for area, listed, remove in _areas():
        for staged in listed():
            ctx.tick()
            if staged.last_modified >= ctx.cutoff:
                continue  # under way, or not yet abandoned for long
            repaired = ""
            if ctx.repair:
                remove(staged.key)
                repaired = "removed"
            yield Finding(
                "staging",
                "stale",
                f"{area}/{staged.key}",
                f"The staged upload {area}/{staged.key} ({staged.size} bytes) "
                f"was last written {staged.last_modified:%Y-%m-%d %H:%M:%S} UTC, "
                f"longer than the grace period ({ctx.grace_seconds} s) ago.",
                repaired,
            )


def _staging_total() -> int:
    return sum(len(listed()) for _, listed, _ in _areas())


STAGING = Check(
    "staging",
    "no staged upload left past the grace period",
    _staging_total,
    _staging_findings,
)


def _xet_file_size() -> Subquery:
    files = XetFile.objects.filter(pk=OuterRef("xet_file_id")).values("size")
    return Subquery(files[:1])


STORAGE_COUNTERS = counters_check(
    "storage_counters",
    "blob sizes equal their Xet files'; xorb chunk counts their tables'",
    [
        Counter(
            "xet_file_size",
            lambda: Blob.objects.filter(xet_file__isnull=False),
            "size",
            _xet_file_size,
            "its Xet file's size is",
            ("sha256",),
            repairable=False,
        ),
        Counter(
            "xorb_chunk_count",
            XetXorb.objects.all,
            "chunk_count",
            lambda: Length("chunk_table") / Value(40),
            "its chunk table holds",
            ("hash",),
            repairable=False,
        ),
    ],
)
