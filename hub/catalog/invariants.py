"""The catalog's invariant checks (``hub_fsck --invariants``).

``references``: GC never deleted content a commit references. Every digest
a tree entry names has its Blob row, and its bytes are where the row says:
the object in the store (``in_store``), or, for Xet-only content, every
xorb its file is rebuilt from, row and object. Cost: two queries for the
whole hub (an anti-join for the rows, one pass over the referenced blobs
with their xorbs) and one existence probe (a stat, or a HEAD on S3) per
referenced object; bytes are not read again (the ``blobs`` check does).

``counters``: a repo's downloads and likes equal the sums of its daily
stats (what trending is computed from), and every tree entry's size its
blob's (what file lists, the HF API and storage accounting show). One
query each (``hub.storage.fsck_counters``); ``--repair`` sets a repo's
downloads to the sum (likes are repaired from Like rows by the community's
check); an entry's size is part of its commit's id and is only reported.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.db.models import Exists, OuterRef, Subquery

from hub.catalog.models import ModelRepo, RepoDailyStat, TreeEntry
from hub.storage.fsck import Check, Finding, FsckContext
from hub.storage.fsck_counters import Counter, counters_check, sum_of
from hub.storage.models import Blob, XetFileXorb, XetXorb
from hub.storage.stores import raw_store
from hub.storage.xetcas.spaces import xorb_store


def _referenced() -> Exists:
    return Exists(TreeEntry.objects.filter(blob_id=OuterRef("pk")))


def _referenced_total() -> int:
    return Blob.objects.filter(_referenced()).count()


def _rowless_findings(ctx: FsckContext) -> Iterator[Finding]:
    """Digests tree entries name that have no Blob row (one anti-join)."""
    rowless = (
        TreeEntry.objects.filter(~Exists(Blob.objects.filter(pk=OuterRef("blob_id"))))
        .values_list("blob_id", flat=True)
        .distinct()
        .order_by("blob_id")
    )
    for digest in rowless.iterator():
        ctx.tick()
        yield Finding(
            "references",
            "row_missing",
            digest,
            f"Blob {digest} is referenced by a commit but has no row.",
        )


def _reference_findings(ctx: FsckContext) -> Iterator[Finding]:
    yield from _rowless_findings(ctx)
    store, xorbs = raw_store(), xorb_store()
    xorb_rows = set(XetXorb.objects.values_list("pk", flat=True))
    uses: dict[str, list[str]] = {}
    xet_only = XetFileXorb.objects.filter(file__blobs__in_store=False).values_list(
        "file_id", "xorb_id"
    )
    for file_id, xorb_id in xet_only.iterator():
        uses.setdefault(file_id, []).append(xorb_id)
    blobs = Blob.objects.filter(_referenced()).order_by("pk")
    rows = blobs.values_list("pk", "in_store", "xet_file_id")
    for digest, in_store, xet_file_id in rows.iterator(chunk_size=500):
        ctx.tick()
        if in_store:
            if not store.exists(digest):
                yield Finding(
                    "references",
                    "object_missing",
                    digest,
                    f"Blob {digest} is referenced by a commit; "
                    "its object is not in the store.",
                )
            continue
        if xet_file_id is None:
            yield Finding(
                "references",
                "object_missing",
                digest,
                f"Blob {digest} is referenced by a commit; "
                "it is in neither the store nor Xet.",
            )
            continue
        for xorb in uses.get(xet_file_id, []):
            if xorb not in xorb_rows or not xorbs.exists(xorb):
                yield Finding(
                    "references",
                    "xorb_missing",
                    digest,
                    f"Blob {digest} is referenced by a commit; "
                    f"its Xet file needs xorb {xorb}, which is gone.",
                )


REFERENCES = Check(
    "references",
    "content commits reference is still stored (GC deleted none of it)",
    _referenced_total,
    _reference_findings,
)


def _daily(field: str) -> Any:
    return sum_of(RepoDailyStat.objects.filter(repo=OuterRef("pk")), field)


def _blob_size() -> Subquery:
    return Subquery(Blob.objects.filter(pk=OuterRef("blob_id")).values("size")[:1])


def _entry_label(names: Sequence[Any]) -> str:
    namespace, name, oid, path = names
    return f"{namespace}/{name}@{oid}: {path}"


_REPO = ("namespace__name", "name")

COUNTERS = counters_check(
    "counters",
    "repo downloads and likes equal their daily stats; file sizes their blobs'",
    [
        Counter(
            "downloads",
            ModelRepo.objects.all,
            "downloads",
            lambda: _daily("downloads"),
            "its daily download counts sum to",
            _REPO,
        ),
        Counter(
            "daily_likes",
            ModelRepo.objects.all,
            "likes",
            lambda: _daily("likes"),
            "its daily like counts sum to",
            _REPO,
            # Like rows are the truth (hub.community repairs from them); a
            # day's likes cannot be rebuilt (unlikes are not dated).
            repairable=False,
        ),
        Counter(
            "file_size",
            TreeEntry.objects.all,
            "size",
            _blob_size,
            "its blob's size is",
            (
                "commit__repo__namespace__name",
                "commit__repo__name",
                "commit__oid",
                "path",
            ),
            label=_entry_label,
            repairable=False,
        ),
    ],
)
