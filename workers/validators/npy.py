"""NumPy ``.npy`` arrays: an array of Python objects is a pickle, scanned.

``numpy.load(allow_pickle=True)`` unpickles what follows the header of an
array whose dtype holds objects; this finds where that starts and hands it
to both pickle scanners.
"""

from __future__ import annotations

import ast
from typing import Any

from workers.validators.base import SliceSource, Source, Verdict, make_verdict
from workers.validators.pickles import pickle_findings, pickle_format_warning

NPY_MAGIC = b"\x93NUMPY"
# numpy refuses longer headers unless allow_pickle is set, when it reads any.
_MAX_NPY_HEADER = 1024 * 1024


def npy_header_end(head: bytes) -> int | None:
    """Where a ``.npy`` header ends, from the file's first 12 bytes."""
    if len(head) < 10 or not head.startswith(NPY_MAGIC):
        return None
    if head[6] == 1:
        return 10 + int.from_bytes(head[8:10], "little")
    if head[6] in (2, 3) and len(head) >= 12:
        return 12 + int.from_bytes(head[8:12], "little")
    return None  # a version numpy does not read


def npy_pickle_start(source: Source, size: int | None = None) -> int | None:
    """Where ``numpy.load(allow_pickle=True)`` starts unpickling a ``.npy``
    file of ``size`` bytes (``source`` may hold only its header): right
    after the header of an array of Python objects. None for an array of
    numbers (nothing is unpickled) or a file numpy refuses.

    A header this cannot read counts as one of objects, so that whatever
    follows it is scanned: fail-closed.
    """
    size = source.size if size is None else size
    end = npy_header_end(source.read_at(0, 12))
    if end is None or end > size:
        return None
    start = 10 if source.read_at(6, 1) == b"\x01" else 12
    if end - start > _MAX_NPY_HEADER:
        return end
    text = source.read_at(start, end - start).decode("latin-1")
    try:
        header = ast.literal_eval(text)  # what numpy does; evaluates literals only
        descr = header["descr"] if isinstance(header, dict) else None
    except (ValueError, SyntaxError, MemoryError, RecursionError, KeyError):
        descr = None
    if descr is not None and not _has_objects(descr):
        return None
    return end


def _has_objects(descr: Any, depth: int = 0) -> bool:
    """Whether a dtype description holds Python objects ('O'), in any field."""
    if isinstance(descr, str):
        return descr.lstrip("<>|=").startswith("O")
    if isinstance(descr, list) and depth < 32:
        return any(
            not isinstance(field, tuple)
            or len(field) < 2
            or _has_objects(field[1], depth + 1)
            for field in descr
        )
    return True  # a description this does not understand: assume objects


def validate_npy(source: Source, path: str = "") -> Verdict:
    """A ``.npy`` array: an array of Python objects is a pickle, scanned."""
    start = npy_pickle_start(source)
    if start is None:
        readable = source.read_at(0, 6) == NPY_MAGIC
        return make_verdict([], {"format": "npy"}, readable=readable)
    where = "This array's objects"
    _scan, findings = pickle_findings(SliceSource(source, start), where=where)
    if not any(f.severity == "unsafe" for f in findings):
        findings.insert(
            0,
            pickle_format_warning(
                "This NumPy array holds Python objects, stored as a pickle "
                "that numpy.load(allow_pickle=True) unpickles. It"
            ),
        )
    return make_verdict(findings, {"format": "npy", "objects": True})
