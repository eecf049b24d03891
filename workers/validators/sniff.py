"""What a file is, from its first bytes: the name is a hint, never the proof.

A pickle renamed ``model.safetensors`` is still a pickle, and
``torch.load`` will unpickle it whatever it is called. The extension only
tips the balance towards the stricter check: a ``.bin`` that looks like
nothing known is scanned as a pickle, so it fails closed.
"""

from __future__ import annotations

import io
import pickletools
import posixpath
import re

from workers.validators.base import Source

VALIDATOR_VERSION = "1"

KINDS = (
    "safetensors",
    "zip",
    "pickle",
    "gguf",
    "onnx",
    "tar",
    "text",
    "unknown",
)

# Extensions that loaders hand to ``torch.load`` or ``pickle.load``.
PICKLE_EXTENSIONS = frozenset(
    {".bin", ".pt", ".pth", ".ckpt", ".pkl", ".pickle", ".joblib"}
)
_HEAD = 64 * 1024
_GLOBAL_ARG = re.compile(r"^[A-Za-z_][\w.]* [A-Za-z_][\w.]*$")
_TEXT_CONTROL = set(range(0, 32)) - {9, 10, 12, 13}


def extension(path: str) -> str:
    """The lower-case extension of the last path component (``''`` if none)."""
    return posixpath.splitext(posixpath.basename(path))[1].lower()


def sniff(source: Source, path: str) -> str:
    """The kind of content in ``source``: one of :data:`KINDS`."""
    head = source.read_at(0, min(source.size, _HEAD))
    ext = extension(path)
    if len(head) >= 9 and head[8:9] == b"{":
        # safetensors: u64 little-endian header length, then a JSON object.
        # Checked before anything else: no pickle starts this way (its
        # first byte would have to be an opcode and byte 8 is not one).
        return "safetensors"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith(b"GGUF"):
        return "gguf"
    if len(head) >= 2 and head[0] == 0x80 and head[1] <= 5:
        return "pickle"
    if len(head) >= 262 and head[257:262] == b"ustar":
        # torch.load tries tarfile first, and the old tar checkpoint format
        # unpickles its members.
        return "tar"
    if looks_like_old_pickle(head, complete=len(head) == source.size):
        return "pickle"
    if ext == ".onnx":
        return "onnx"
    if ext in PICKLE_EXTENSIONS:
        return "pickle"
    if _looks_like_text(head):
        return "text"
    return "unknown"


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


def _looks_like_text(head: bytes) -> bool:
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
