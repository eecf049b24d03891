"""Parameter counts of safetensors files, as the content checks found them.

The safetensors validator stores the counts per dtype in its verdict
(``BlobVerdict.metadata["parameters"]``), so a page reads them from there.
A file whose checks have not finished yet has no verdict: its header is
read by byte ranges and parsed by the same parser the validator uses
(``hub.jobs.safetensors_header``), cached per blob since blobs never change.
A file that is not a readable safetensors file has no counts (None).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from hub.catalog.models import Commit, TreeEntry
from hub.jobs.models import BlobVerdict
from hub.jobs.safetensors_header import SafetensorsHeaderError, safetensors_read_header
from hub.storage.services import blob_store
from hub.storage.store import BlobStore


class _BlobRanges:
    """A stored blob read by byte ranges (only the header is ever asked for)."""

    def __init__(self, store: BlobStore, sha256: str, size: int) -> None:
        self.store = store
        self.sha256 = sha256
        self._size = size

    @property
    def size(self) -> int:
        return self._size

    def read_at(self, offset: int, length: int) -> bytes:
        if length <= 0:
            return b""
        return b"".join(self.store.iter_range(self.sha256, offset, offset + length - 1))


@lru_cache(maxsize=4096)
def _header_parameters(sha256: str, size: int) -> tuple[tuple[str, int], ...]:
    header = safetensors_read_header(_BlobRanges(blob_store(), sha256, size))
    return tuple(header.parameters.items())


def _verdict_parameters(sha256s: Iterable[str]) -> dict[str, dict[str, int] | None]:
    """Counts from the newest stored verdict of each blob that has one."""
    found: dict[str, dict[str, int] | None] = {}
    verdicts = BlobVerdict.objects.filter(blob_id__in=set(sha256s)).order_by(
        "created_at", "pk"
    )
    for blob_id, metadata in verdicts.values_list("blob_id", "metadata"):
        counts = (metadata or {}).get("parameters")
        is_safetensors = (metadata or {}).get("format") == "safetensors"
        found[blob_id] = (
            {str(dtype): int(n) for dtype, n in sorted(counts.items())}
            if is_safetensors and isinstance(counts, dict)
            else None
        )
    return found


def blobs_safetensors_parameters(
    *, blobs: Iterable[tuple[str, int]]
) -> dict[str, dict[str, int] | None]:
    """Parameters per dtype of each (sha256, size) blob, None when unreadable.

    One query for the stored verdicts; a header is read only for a blob the
    checks have not reached yet.
    """
    wanted = dict(blobs)
    answers = _verdict_parameters(wanted)
    for sha256, size in wanted.items():
        if sha256 in answers:
            continue
        try:
            answers[sha256] = dict(_header_parameters(sha256, size))
        except (SafetensorsHeaderError, OSError):
            answers[sha256] = None
    return answers


def commit_safetensors_parameters(*, commit: Commit) -> dict[str, int] | None:
    """Parameters per dtype of the root-level ``*.safetensors`` files at a commit.

    None when there is no such file or one of them is not a readable
    safetensors file: a partial count would be wrong.
    """
    entries = list(
        TreeEntry.objects.filter(commit=commit, path__endswith=".safetensors")
        .exclude(path__contains="/")
        .values_list("blob_id", "size")
    )
    if not entries:
        return None
    per_blob = blobs_safetensors_parameters(blobs=entries)
    totals: dict[str, int] = {}
    for sha256, _size in entries:
        parameters = per_blob[sha256]
        if parameters is None:
            return None
        for dtype, count in parameters.items():
            totals[dtype] = totals.get(dtype, 0) + count
    return dict(sorted(totals.items()))
