"""Reads of the catalog about weights: safetensors parameter counts and
which downloads count.

The other reads have their own modules: ``visibility`` (the one visibility
rule), ``revisions``, ``trees``, ``history``, ``repo_lists``, ``gitignore``.
"""

from __future__ import annotations

from functools import lru_cache

from hub.catalog.models import Commit, TreeEntry


@lru_cache(maxsize=4096)
def _blob_safetensors_parameters(sha256: str, size: int) -> tuple[tuple[str, int], ...]:
    # Blobs are immutable (addressed by content), so a parsed header can be
    # cached for the life of the process.
    from hub.catalog.safetensors_meta import safetensors_read_header
    from hub.storage.services import blob_store

    store = blob_store()

    def read(offset: int, length: int) -> bytes:
        if length <= 0:
            return b""
        return b"".join(store.iter_range(sha256, offset, offset + length - 1))

    header = safetensors_read_header(read=read, size=size)
    return tuple(sorted(header.parameters.items()))


def commit_safetensors_parameters(*, commit: Commit) -> dict[str, int] | None:
    """Parameters per dtype of the root-level ``*.safetensors`` files at a commit.

    Read from the files' headers (cached per blob). None when there is no
    such file or one of them is not a readable safetensors file: a partial
    count would be wrong.
    """
    from hub.catalog.safetensors_meta import SafetensorsHeaderError

    entries = TreeEntry.objects.filter(
        commit=commit, path__endswith=".safetensors"
    ).exclude(path__contains="/")
    totals: dict[str, int] = {}
    found = False
    for sha256, size in entries.values_list("blob_id", "size"):
        found = True
        try:
            parameters = _blob_safetensors_parameters(sha256, size)
        except (SafetensorsHeaderError, OSError):
            return None
        for dtype, count in parameters:
            totals[dtype] = totals.get(dtype, 0) + count
    return totals if found else None


WEIGHT_SUFFIXES = (
    ".safetensors",
    ".bin",
    ".pt",
    ".pth",
    ".ckpt",
    ".gguf",
    ".onnx",
    ".h5",
    ".msgpack",
    ".pkl",
)


def download_is_counted(*, commit: Commit, path: str) -> bool:
    """Whether a full download of ``path`` counts as one download of the repo.

    As on the HF Hub: the root ``config.json`` counts, or, in a repo without
    one, a root-level weights file. Every other file, and partial or HEAD
    requests (the caller checks those), do not, so one ``snapshot_download``
    or ``from_pretrained`` counts once.
    """
    if path == "config.json":
        return True
    if "/" in path or not path.endswith(WEIGHT_SUFFIXES):
        return False
    return not TreeEntry.objects.filter(commit=commit, path="config.json").exists()
