"""Git object ids for commits, trees and blobs, computed as git does.

Ids match what ``git hash-object`` / ``git commit`` produce for the same
content (SHA-1 object format), so the huggingface_hub client's own checks
(blob ids of regular files, 40-hex commit ids) hold, and the door stays open
to serving ``git clone``. A file stored in LFS contributes its git-lfs
pointer text, exactly as git-lfs writes it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

FILE_MODE = b"100644"
TREE_MODE = b"40000"
EMPTY_TREE_OID = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"


def lfs_pointer(*, sha256: str, size: int) -> bytes:
    """The git-lfs pointer file for an object (spec v1)."""
    return (
        "version https://git-lfs.github.com/spec/v1\n"
        f"oid sha256:{sha256}\nsize {size}\n"
    ).encode()


def git_object_id(kind: bytes, body: bytes) -> str:
    header = kind + b" " + str(len(body)).encode() + b"\0"
    return hashlib.sha1(header + body, usedforsecurity=False).hexdigest()


def blob_oid_for_bytes(data: bytes) -> str:
    return git_object_id(b"blob", data)


class BlobHasher:
    """Incremental git blob id for content of a known size (streamed reads)."""

    def __init__(self, size: int) -> None:
        self._h = hashlib.sha1(usedforsecurity=False)
        self._h.update(b"blob " + str(size).encode() + b"\0")

    def update(self, chunk: bytes) -> None:
        self._h.update(chunk)

    def hexdigest(self) -> str:
        return self._h.hexdigest()


def lfs_blob_oid(*, sha256: str, size: int) -> str:
    return blob_oid_for_bytes(lfs_pointer(sha256=sha256, size=size))


def tree_oid(files: Mapping[str, str]) -> str:
    """Root tree id for ``{path: git blob oid}`` (all regular files, mode 644).

    Nested folders become subtrees. Git sorts entries by name as bytes, with
    a folder compared as if its name ended in '/'.
    """
    root: dict[str, object] = {}
    for path, oid in files.items():
        node = root
        *folders, name = path.split("/")
        for folder in folders:
            child = node.setdefault(folder, {})
            assert isinstance(child, dict), f"{path}: a file is in the way"
            node = child
        node[name] = oid
    return _tree_oid(root)


def _tree_oid(node: Mapping[str, object]) -> str:
    items: list[tuple[bytes, bytes, str]] = []
    for name, value in node.items():
        raw = name.encode("utf-8")
        if isinstance(value, dict):
            items.append((raw + b"/", TREE_MODE + b" " + raw, _tree_oid(value)))
        else:
            assert isinstance(value, str)
            items.append((raw, FILE_MODE + b" " + raw, value))
    items.sort(key=lambda item: item[0])
    body = b"".join(head + b"\0" + bytes.fromhex(oid) for _, head, oid in items)
    return git_object_id(b"tree", body)


@dataclass(frozen=True)
class Signature:
    name: str
    email: str
    when: datetime  # aware; git keeps whole seconds and the UTC offset

    def encode(self) -> bytes:
        offset = self.when.utcoffset()
        minutes = int(offset.total_seconds() // 60) if offset else 0
        sign = "+" if minutes >= 0 else "-"
        minutes = abs(minutes)
        stamp = (
            f"{int(self.when.timestamp())} {sign}{minutes // 60:02d}{minutes % 60:02d}"
        )
        # Git strips '<', '>' and newlines from identities.
        name = _clean_ident(self.name)
        email = _clean_ident(self.email)
        return f"{name} <{email}> {stamp}".encode()


def _clean_ident(value: str) -> str:
    return "".join(ch for ch in value if ch not in "<>\n").strip()


def commit_message(title: str, description: str = "") -> bytes:
    """The message as ``git commit -F`` stores it: title, blank line, body, LF."""
    title = title.strip()
    description = description.strip()
    text = f"{title}\n\n{description}\n" if description else f"{title}\n"
    return text.encode("utf-8")


def commit_oid(
    *,
    tree: str,
    parents: Iterable[str],
    author: Signature,
    committer: Signature,
    message: bytes,
) -> str:
    lines = [b"tree " + tree.encode()]
    lines += [b"parent " + parent.encode() for parent in parents]
    lines.append(b"author " + author.encode())
    lines.append(b"committer " + committer.encode())
    body = b"\n".join(lines) + b"\n\n" + message
    return git_object_id(b"commit", body)
