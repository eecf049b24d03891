"""Which readers would open a file: the name is a hint, never the proof.

A pickle renamed ``model.safetensors`` is still a pickle, and
``torch.load`` will unpickle it whatever it is called. Worse, one file can
be two things at once: a valid safetensors file whose header length spells
``PK\\x03\\x04`` and that ends with a zip is a checkpoint to ``safe_open``
and a pickle-carrying archive to ``torch.load``. So a file is not given
*a* kind: every format a common loader would read it as is listed, each
by the test that loader applies (magic bytes, the zip directory at the
end, the tar header checksum, NumPy's header, a pickle stream from byte
0), and the registry checks it as each of them.

The extension tips the balance towards the stricter check: a ``.bin``
that no reader claims is scanned as a pickle, so it fails closed.
"""

from __future__ import annotations

import io
import pickletools
import posixpath
import re
import struct
from dataclasses import dataclass

from hub.jobs.safetensors_header import MAX_HEADER_BYTES
from workers.validators import npy, pickle_reach
from workers.validators.base import Source

VALIDATOR_VERSION = "3"

# Every format a file is checked as, in the order findings are listed.
READERS = (
    "safetensors",
    "gguf",
    "onnx",
    "zip",
    "tar",
    "npy",
    "pickle",
    "parquet",
    "csv",
    "jsonl",
)
# What a file no reader claims is called.
KINDS = ("empty", "text", "unknown")

# Extensions that loaders hand to ``torch.load`` or ``pickle.load``.
PICKLE_EXTENSIONS = frozenset(
    {".bin", ".pt", ".pth", ".ckpt", ".pkl", ".pickle", ".joblib"}
)
# Extensions that make a reader claim a file whatever its content.
_NAMED = {
    ".safetensors": "safetensors",
    ".gguf": "gguf",
    ".onnx": "onnx",
    ".zip": "zip",
    ".npz": "zip",
    ".npy": "npy",
    # Dataset files (workers.validators.datasets).
    ".parquet": "parquet",
    ".csv": "csv",
    ".tsv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
NAMED_EXTENSIONS = PICKLE_EXTENSIONS | frozenset(_NAMED)
_HEAD = 64 * 1024
_GLOBAL_ARG = re.compile(r"^[A-Za-z_][\w.]* [A-Za-z_][\w.]*$")
_TEXT_CONTROL = set(range(0, 32)) - {9, 10, 12, 13}
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_EOCD, _CENTRAL = b"PK\x05\x06", b"PK\x01\x02"
# End records tried, from the last one back: readers take the last.
_MAX_EOCD_CANDIDATES = 16


def extension(path: str) -> str:
    """The lower-case extension of the last path component (``''`` if none)."""
    return posixpath.splitext(posixpath.basename(path))[1].lower()


@dataclass(frozen=True)
class Sniffed:
    """The readers that would open a file, and what to call it otherwise."""

    readers: tuple[str, ...]
    fallback: str  # one of KINDS, for a file no reader claims
    zip_found: bool = False  # a zip reader opens it (whatever else it is)

    @property
    def route(self) -> str:
        """``"safetensors"``, ``"safetensors+zip"``, …, or the fallback kind."""
        return "+".join(self.readers) or self.fallback


def sniff(source: Source, path: str) -> Sniffed:
    """Every reader that would open ``source`` (see :data:`READERS`)."""
    if source.size == 0:
        return Sniffed((), "empty")
    head = source.read_at(0, min(source.size, _HEAD))
    ext = extension(path)
    zip_found = finds_zip(source)
    claims = {
        "safetensors": looks_like_safetensors(head),
        "gguf": head.startswith(b"GGUF"),
        "onnx": False,  # no magic: by name here, by a full parse in the registry
        "zip": head.startswith(_ZIP_MAGIC) or zip_found,
        "tar": looks_like_tar(head),
        "npy": head.startswith(npy.NPY_MAGIC),
        "parquet": head.startswith(b"PAR1"),
    }
    if ext in _NAMED:
        claims[_NAMED[ext]] = True
    if any(claims.values()):
        # Another format claims the file: it is a pickle too only if an
        # unpickler reading it would get somewhere.
        claims["pickle"] = pickle_reach.reach(source) != "none"
    else:
        complete = len(head) == source.size
        claims["pickle"] = (
            ext in PICKLE_EXTENSIONS
            or has_pickle_magic(head)
            or looks_like_old_pickle(head, complete=complete)
            or pickle_reach.reach(source) != "none"
        )
    readers = tuple(name for name in READERS if claims.get(name))
    fallback = "text" if looks_like_text(head) else "unknown"
    return Sniffed(readers, fallback, zip_found)


def has_pickle_magic(head: bytes) -> bool:
    """Protocol 2 and later pickles start with PROTO and a known version."""
    return len(head) >= 2 and head[0] == 0x80 and head[1] <= 5


def looks_like_safetensors(head: bytes) -> bool:
    """A little-endian header length a reader accepts, then a JSON object."""
    if len(head) < 9 or head[8:9] != b"{":
        return False
    return int.from_bytes(head[:8], "little") <= MAX_HEADER_BYTES


def looks_like_tar(head: bytes) -> bool:
    """A first header block whose checksum holds, as ``tarfile`` checks it
    (torch.load tries tarfile first: old checkpoints were tar archives)."""
    block = head[:512]
    if len(block) < 512 or not block.strip(b"\0"):
        return False
    try:
        stored = int(block[148:156].split(b"\0", 1)[0].strip() or b"0", 8)
    except ValueError:
        return False
    # The checksum field counts as spaces; some tars sum signed bytes.
    rest = block[:148] + b" " * 8 + block[156:]
    unsigned = sum(rest)
    signed = unsigned - 256 * sum(1 for byte in rest if byte > 127)
    return stored in (unsigned, signed)


def finds_zip(source: Source) -> bool:
    """Whether a zip reader finds an archive in ``source``, wherever it starts.

    ``zipfile`` and torch's reader look for the end-of-central-directory
    record in the last 64 KiB and open the directory it points to, so a zip
    appended to any other file opens as one. Only that tail is read.
    """
    size = source.size
    tail_len = min(size, 22 + 0xFFFF)
    tail = source.read_at(size - tail_len, tail_len)
    end = len(tail) - 21  # a record must fit before the end
    for _ in range(_MAX_EOCD_CANDIDATES):
        at = tail.rfind(_EOCD, 0, max(end, 0) + 3)
        if at < 0:
            return False
        if _directory_found(source, size - tail_len + at, tail[at : at + 22]):
            return True
        end = at - 1
    return False


def _directory_found(source: Source, eocd_pos: int, record: bytes) -> bool:
    entries, cd_size, cd_offset = struct.unpack_from("<10xHII", record)
    if entries == 0xFFFF or 0xFFFFFFFF in (cd_size, cd_offset):
        return True  # ZIP64: the strict check reads the rest
    if entries == 0:
        return False  # an empty archive: nothing in it to load
    # torch's reader takes the offset as written; zipfile measures back
    # from the record, which also opens archives appended to other data.
    for start in {cd_offset, eocd_pos - cd_size}:
        if 0 <= start <= eocd_pos - 4 and source.read_at(start, 4) == _CENTRAL:
            return True
    return False


def looks_like_old_pickle(head: bytes, *, complete: bool) -> bool:
    """Protocol 0/1 pickles have no magic: try to disassemble the start.

    Text rarely survives more than a couple of opcodes. A head counts as a
    pickle when it reaches STOP, or imports something (GLOBAL/INST with
    identifier-like names) and then calls it, or parses as a long valid
    opcode sequence up to the end of the window.
    """
    if not head or head[0] == 0x80:
        return False
    stream = io.BytesIO(head)
    count = 0
    imported = False
    try:
        for opcode, arg, _pos in pickletools.genops(stream):
            count += 1
            if opcode.name in ("GLOBAL", "INST"):
                if not isinstance(arg, str) or not _GLOBAL_ARG.match(arg):
                    return False
                imported = True
            calls = ("REDUCE", "INST", "OBJ", "NEWOBJ", "BUILD")
            if opcode.name in calls and imported:
                return True
            if opcode.name == "STOP":
                return True
    except Exception:
        # A failure at the very end of a window that was cut short is not
        # evidence against a pickle; anything else is.
        at_end = stream.tell() >= len(head)
        return not complete and at_end and count >= 8
    return count >= 8


def looks_like_text(head: bytes) -> bool:
    """UTF-8 without NUL and with few control characters."""
    if not head:
        return True
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the end of the window is fine.
        if exc.start < len(head) - 3:
            return False
    controls = sum(1 for byte in head[:4096] if byte in _TEXT_CONTROL)
    return controls * 100 <= min(len(head), 4096)
