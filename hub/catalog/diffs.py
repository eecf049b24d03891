"""The one text-diff engine behind every diff the hub shows: a pull
request's patch, a commit page, the ``/api/v1`` commit and compare.

A diff of two blobs never changes (blobs are immutable and named by their
sha256), so the hunks are cached by the pair of blob ids. Files stored with
LFS, larger than MAX_DIFF_FILE_BYTES, binary or not UTF-8 are not diffed.
Who may see a file's lines is the callers' question (``content_readable``).
"""

from __future__ import annotations

import difflib

from django.core.cache import cache

from hub.catalog.history import entry_text
from hub.catalog.models import TreeEntry

# Files above this size are not diffed line by line.
MAX_DIFF_FILE_BYTES = 256 * 1024
DIFF_CACHE_SECONDS = 24 * 3600
_MISSING = object()


def diff_hunks(
    old: TreeEntry | None, new: TreeEntry | None, *, keepends: bool
) -> list[str] | None:
    """The hunks (from the first ``@@``, 3 lines of context) of the unified
    diff between two versions of a file; ``None`` for no file is empty.

    ``keepends``: lines keep their line ends (a patch, where a change of line
    end is a change) or not (a page, where lines are compared without
    them). None when a side is not diffed (LFS, too large, binary).
    """
    if any(e is not None and e.is_lfs for e in (old, new)):
        return None
    key = "diff:v1:{}:{}:{}".format(
        "k" if keepends else "l",
        old.blob_id if old is not None else "-",
        new.blob_id if new is not None else "-",
    )
    cached = cache.get(key, _MISSING)
    if cached is not _MISSING:
        return cached
    hunks = _hunks(old, new, keepends=keepends)
    cache.set(key, hunks, DIFF_CACHE_SECONDS)
    return hunks


def _hunks(
    old: TreeEntry | None, new: TreeEntry | None, *, keepends: bool
) -> list[str] | None:
    before, after = (
        entry_text(entry=old, limit=MAX_DIFF_FILE_BYTES),
        entry_text(entry=new, limit=MAX_DIFF_FILE_BYTES),
    )
    if before is None or after is None:
        return None
    lines = difflib.unified_diff(
        before.splitlines(keepends=keepends),
        after.splitlines(keepends=keepends),
        lineterm="\n" if keepends else "",
        n=3,
    )
    return list(lines)[2:]  # the ---/+++ header names the files: callers add it


def unified_patch(
    path: str, old: TreeEntry | None, new: TreeEntry | None
) -> str | None:
    """A file's change as ``git diff`` writes it below its ``diff --git``
    line: ``--- a/path``, ``+++ b/path`` and the hunks, a missing line end
    noted. "" without text changes; None when not diffed."""
    hunks = diff_hunks(old, new, keepends=True)
    if hunks is None:
        return None
    if not hunks:
        return ""
    a = f"a/{path}" if old is not None else "/dev/null"
    b = f"b/{path}" if new is not None else "/dev/null"
    lines = [f"--- {a}\n", f"+++ {b}\n", *hunks]
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
        for line in lines
    )
