"""Reads of the catalog about weights: which downloads count.

The other reads have their own modules: ``visibility`` (the one visibility
rule), ``revisions``, ``trees``, ``history``, ``repo_lists``, ``gitignore``.
"""

from __future__ import annotations

from hub.catalog.models import Commit, TreeEntry

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
