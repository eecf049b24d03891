"""Zip archives (PyTorch's checkpoint format), opened strictly, then scanned.

The archive is parsed from its own records, not through ``zipfile``, so
that every disagreement an attacker can plant between what one reader and
another sees is refused: the end-of-central-directory record (and ZIP64),
every central directory entry, and each member's local header and data
descriptor must agree on names, sizes, CRCs and places. Members must not
overlap, leave the file, escape the extraction folder, be links, be
encrypted, or be bombs.

Tensor data members (``<root>/data/<n>`` next to ``<root>/data.pkl``) are
never read or decompressed: their bounds and records are checked, which
costs a few hundred bytes per member whatever the tensor's size. Pickle
members are read, their CRC checked and both pickle scanners run on them.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from typing import Any

from hub.core.sizes import human_size
from workers.validators import npy, pickles
from workers.validators.base import (
    BytesSource,
    Finding,
    FormatError,
    SliceSource,
    Source,
    Verdict,
    make_verdict,
)
from workers.validators.sniff import looks_like_old_pickle
from workers.validators.zip_records import (
    DEFLATED,
    FLAG_ENCRYPTED,
    FLAG_MASKED_HEADERS,
    FLAG_STRONG_ENCRYPTION,
    STORED,
    Member,
    central_directory,
    check_layout,
    check_local,
    zip_error,
    zip_inconsistent,
)

VALIDATOR_VERSION = "2"

# Members this validator decompresses (pickles, small files it sniffs).
MAX_READ_MEMBER = pickles.MAX_PICKLE_BYTES
# Deflate reaches ~1000:1 on zeros; above 100:1 a member of more than 1 MiB
# is a decompression bomb, not a checkpoint (torch stores, it does not
# compress). Small members are exempt: they cannot exhaust anything.
MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024
SNIFF_BYTES = 64 * 1024

_S_IFMT = 0o170000
_S_IFLNK = 0o120000
_DRIVE = re.compile(r"^[A-Za-z]:")
_TORCH_DATA = re.compile(r"^(?P<root>[^/]+)/data/\d+$")


def _path_problem(name: str) -> str | None:
    if not name:
        return "an empty name"
    if "\x00" in name or any(unicodedata.category(ch) == "Cc" for ch in name):
        return "control characters"
    if "\\" in name:
        return "a backslash"
    if name.startswith("/"):
        return "an absolute path"
    if _DRIVE.match(name):
        return "a drive letter"
    parts = name.rstrip("/").split("/") if name != "/" else [""]
    if any(part == ".." for part in parts):
        return "'..', which points outside the extraction folder"
    if any(part in ("", ".") for part in parts):
        return "an empty or '.' path component"
    return None


def _check_members(members: list[Member]) -> list[Finding]:
    findings: list[Finding] = []
    seen: dict[str, str] = {}
    for member in members:
        findings += _name_findings(member, seen)
        storage = _storage_finding(member)
        if storage is not None:
            findings.append(storage)
    return findings


def _name_findings(member: Member, seen: dict[str, str]) -> list[Finding]:
    """Where extracting the member would write, and whether another member
    has its name (``seen``: folded names so far, updated)."""
    findings: list[Finding] = []
    problem = _path_problem(member.name)
    if problem:
        findings.append(
            Finding(
                "unsafe",
                "zip.unsafe_path",
                f"This archive's member {member.name!r} has {problem}; "
                "extracting it could write outside the target folder.",
                {"member": member.name},
            )
        )
    if (member.external_attr >> 16) & _S_IFMT == _S_IFLNK:
        findings.append(
            Finding(
                "unsafe",
                "zip.symlink",
                f"This archive's member {member.name!r} is a symbolic link, "
                "which can point at files outside the archive.",
                {"member": member.name},
            )
        )
    key = unicodedata.normalize("NFC", member.name).casefold()
    if key in seen:
        findings.append(
            Finding(
                "unsafe",
                "zip.duplicate_name",
                f"This archive has two members named {member.name!r}"
                + (f" and {seen[key]!r}" if seen[key] != member.name else "")
                + "; programs disagree on which one they read.",
                {"member": member.name},
            )
        )
    seen.setdefault(key, member.name)
    return findings


def _storage_finding(member: Member) -> Finding | None:
    """Encryption, compression method, sizes: how the member's bytes are kept."""
    if member.flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION | FLAG_MASKED_HEADERS):
        return Finding(
            "unsafe",
            "zip.encrypted",
            f"This archive's member {member.name!r} is encrypted, so its "
            "content cannot be checked.",
            {"member": member.name},
        )
    if member.method not in (STORED, DEFLATED):
        return Finding(
            "unsafe",
            "zip.unsupported_compression",
            f"This archive's member {member.name!r} uses compression "
            f"method {member.method}; only stored and deflated members "
            "can be checked.",
            {"member": member.name},
        )
    if member.method == STORED and member.size != member.compressed_size:
        return Finding(
            "unsafe",
            "zip.inconsistent",
            f"This archive's member {member.name!r} is stored "
            "uncompressed but lists two different sizes.",
            {"member": member.name},
        )
    if (
        member.method == DEFLATED
        and member.size > RATIO_FLOOR
        and member.size > MAX_RATIO * max(member.compressed_size, 1)
    ):
        return Finding(
            "unsafe",
            "zip.compression_ratio",
            f"This archive's member {member.name!r} would expand from "
            f"{human_size(member.compressed_size)} to "
            f"{human_size(member.size)}, the mark of a decompression "
            "bomb.",
            {"member": member.name},
        )
    return None


def _read_member(source: Source, member: Member, limit: int) -> bytes:
    """Decompress at most ``limit`` bytes of a member (all of it when
    ``limit`` covers its size, then also checking that size)."""
    whole = limit >= member.size
    if member.method == STORED:
        want = member.compressed_size if whole else min(limit, member.compressed_size)
    else:
        # Deflate never grows data by more than a few bytes per 16 KiB.
        want = (
            member.compressed_size
            if whole
            else min(member.compressed_size, limit + limit // 8 + 1024)
        )
    raw = source.read_at(member.data_start, want)
    if len(raw) != want:
        raise zip_error(
            "zip.out_of_bounds", f"This archive's member {member.name!r} is cut short."
        )
    if member.method == STORED:
        return raw
    inflater = zlib.decompressobj(-15)
    try:
        data = inflater.decompress(raw, limit if not whole else member.size + 1)
    except zlib.error:
        raise zip_error(
            "zip.malformed",
            f"This archive's member {member.name!r} is not valid compressed data.",
            member=member.name,
        ) from None
    if whole and (len(data) != member.size or not inflater.eof or inflater.unused_data):
        raise zip_inconsistent(
            f"member {member.name!r} does not decompress to its listed size"
        )
    return data[:limit]


def _verified_member(source: Source, member: Member) -> bytes:
    data = _read_member(source, member, member.size)
    if zlib.crc32(data) != member.crc:
        raise zip_error(
            "zip.bad_crc",
            f"This archive's member {member.name!r} does not match its "
            "checksum (CRC): it was damaged or altered after packing.",
            member=member.name,
        )
    return data


def _is_pickle_head(head: bytes, *, complete: bool) -> bool:
    if len(head) >= 2 and head[0] == 0x80 and head[1] <= 5:
        return True
    return looks_like_old_pickle(head, complete=complete)


def _pickle_start(source: Source, member: Member) -> int | None:
    """Where the pickle a loader would read from this member starts: 0 for
    a pickle (by name or content), after the header for a NumPy array of
    objects (np.load of an .npz unpickles those), None if it holds none."""
    if member.name.lower().endswith((".pkl", ".pickle")):
        return 0
    head = _read_member(source, member, SNIFF_BYTES)
    complete = member.size <= SNIFF_BYTES
    if head.startswith(npy.NPY_MAGIC):
        end = npy.npy_header_end(head) or 0
        if end > len(head) and not complete:  # a header longer than the sniff
            head = _read_member(source, member, min(end, MAX_READ_MEMBER))
        return npy.npy_pickle_start(BytesSource(head), size=member.size)
    return 0 if _is_pickle_head(head, complete=complete) else None


def validate_zip(source: Source, path: str = "") -> Verdict:
    """A zip archive: strict structure, then every pickle member scanned."""
    members: list[Member] = []
    try:
        members, cd_offset = central_directory(source)
        findings = _check_members(members)
        if not findings:
            for member in members:
                check_local(source, member, cd_offset)
            findings = check_layout(source, members, cd_offset)
    except FormatError as exc:
        metadata = {"format": "zip", "members": len(members)}
        return make_verdict([exc.finding], metadata, readable=False)
    if findings:
        return make_verdict(findings, {"format": "zip", "members": len(members)})
    return _scan_members(source, members)


def _torch_roots(members: list[Member]) -> set[str]:
    names = {member.name for member in members}
    return {
        name.split("/", 1)[0]
        for name in names
        if name.count("/") == 1 and name.endswith("/data.pkl")
    }


def _scan_members(source: Source, members: list[Member]) -> Verdict:
    findings: list[Finding] = []
    roots = _torch_roots(members)
    tensors = 0
    tensor_bytes = 0
    scanned: list[str] = []
    for member in members:
        match = _TORCH_DATA.match(member.name)
        if match and match.group("root") in roots:
            # Raw tensor bytes: torch never unpickles them. Not read.
            tensors += 1
            tensor_bytes += member.size
            continue
        if member.name.endswith("/") and member.size == 0:
            continue
        root = member.name.split("/", 1)[0]
        if root in roots and member.name.startswith(f"{root}/code/"):
            if not any(f.code == "zip.torchscript" for f in findings):
                findings.append(_torchscript(member))
            continue
        found = _scan_member(source, member)
        if found is None:
            continue
        if found[0]:
            scanned.append(member.name)
        findings += found[1]
    metadata: dict[str, Any] = {
        "format": "pytorch" if roots else "zip",
        "members": len(members),
    }
    if roots:
        metadata["tensor_members"] = tensors
        metadata["tensor_bytes"] = tensor_bytes
    if scanned:
        metadata["pickles"] = scanned[:100]
        if not any(f.severity == "unsafe" for f in findings):
            findings.insert(
                0,
                pickles.pickle_format_warning(
                    f"This archive stores its structure as a Python pickle "
                    f"({', '.join(scanned[:3])}). It"
                ),
            )
    return make_verdict(findings, metadata)


def _torchscript(member: Member) -> Finding:
    return Finding(
        "unsafe",
        "zip.torchscript",
        "This is a TorchScript archive: it contains code "
        f"({member.name!r}) that runs when the model is loaded. "
        "Publish the weights as safetensors instead.",
        {"member": member.name},
    )


def _scan_member(source: Source, member: Member) -> tuple[bool, list[Finding]] | None:
    """Both pickle scanners on the pickle a loader would read from a member:
    (whether it was scanned, findings); None when it holds no pickle."""
    where = f"The archive member {member.name!r}"
    try:
        start = _pickle_start(source, member)
        if start is None:
            return None
        if max(member.size, member.compressed_size) > MAX_READ_MEMBER:
            too_large = Finding(
                "unsafe",
                "zip.member_too_large",
                f"{where} is a pickle of {human_size(member.size)}, more "
                "than this hub scans.",
                {"member": member.name},
            )
            return False, [too_large]
        data = _verified_member(source, member)
    except FormatError as exc:
        return False, [exc.finding]
    stream = SliceSource(BytesSource(data), start)
    _scan, found = pickles.pickle_findings(stream, where=where)
    return True, found
