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
import struct
import unicodedata
import zlib
from dataclasses import dataclass
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
    read_exact,
)
from workers.validators.sniff import looks_like_old_pickle

VALIDATOR_VERSION = "2"

MAX_MEMBERS = 200_000
MAX_CENTRAL_DIRECTORY = 64 * 1024 * 1024
# Members this validator decompresses (pickles, small files it sniffs).
MAX_READ_MEMBER = pickles.MAX_PICKLE_BYTES
# Deflate reaches ~1000:1 on zeros; above 100:1 a member of more than 1 MiB
# is a decompression bomb, not a checkpoint (torch stores, it does not
# compress). Small members are exempt: they cannot exhaust anything.
MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024
SNIFF_BYTES = 64 * 1024
# Unlisted bytes between members (padding, a self-extractor's stub) are
# searched for hidden local headers up to this size, refused above it.
MAX_GAP = 64 * 1024

_EOCD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_EOCD = b"PK\x06\x06"
_CENTRAL = b"PK\x01\x02"
_LOCAL = b"PK\x03\x04"
_DESCRIPTOR = b"PK\x07\x08"
_STORED, _DEFLATED = 0, 8
_FLAG_ENCRYPTED = 0x0001
_FLAG_DESCRIPTOR = 0x0008
_FLAG_UTF8 = 0x0800
_FLAG_STRONG_ENCRYPTION = 0x0040
_FLAG_MASKED_HEADERS = 0x2000
_S_IFMT = 0o170000
_S_IFLNK = 0o120000
_DRIVE = re.compile(r"^[A-Za-z]:")
_TORCH_DATA = re.compile(r"^(?P<root>[^/]+)/data/\d+$")


@dataclass
class Member:
    name: str
    raw_name: bytes
    flags: int
    method: int
    crc: int
    compressed_size: int
    size: int
    header_offset: int
    external_attr: int
    data_start: int = 0
    end: int = 0  # after the data and its descriptor


def _error(code: str, message: str, **details: Any) -> FormatError:
    return FormatError(Finding("unsafe", code, message, details))


def _malformed(problem: str) -> FormatError:
    return _error(
        "zip.malformed",
        f"This archive cannot be read reliably: {problem}. It is refused "
        "because different programs would see different content in it.",
    )


def _read(source: Source, offset: int, length: int, what: str) -> bytes:
    data = read_exact(source, offset, length)
    if data is None:
        raise _error(
            "zip.out_of_bounds",
            f"This archive's {what} lies outside the file, which is cut short "
            "or crafted.",
        )
    return data


def _eocd_in(tail: bytes) -> int:
    """Where the end record ending exactly at the end of ``tail`` starts."""
    end = len(tail)
    while True:
        at = tail.rfind(_EOCD, 0, end)
        if at < 0:
            return -1
        if at + 22 <= len(tail):
            (comment_len,) = struct.unpack_from("<H", tail, at + 20)
            if at + 22 + comment_len == len(tail):
                return at
        end = at + len(_EOCD) - 1  # look for an earlier candidate


def _find_end(source: Source) -> tuple[int, int, int, int]:
    """(entries, cd_size, cd_offset, cd_end_limit) from EOCD and ZIP64 records."""
    size = source.size
    # Nearly every archive has no comment: try the last 22 bytes first, and
    # search the longest possible comment's worth only when that fails.
    for tail_len in (min(size, 22), min(size, 22 + 0xFFFF)):
        tail = source.read_at(size - tail_len, tail_len)
        eocd = _eocd_in(tail)
        if eocd >= 0:
            break
    if eocd < 0:
        raise _malformed("its end-of-archive record is missing or not at the end")
    eocd_pos = size - tail_len + eocd
    (_, disk, cd_disk, disk_entries, entries, cd_size, cd_offset, _) = (
        struct.unpack_from("<4sHHHHIIH", tail, eocd)
    )
    if disk != 0 or cd_disk != 0 or disk_entries != entries:
        raise _malformed("it claims to span several disks")
    limit = eocd_pos
    locator_pos = eocd_pos - 20
    locator = read_exact(source, locator_pos, 20) if locator_pos >= 0 else None
    needs64 = 0xFFFF in (entries,) or 0xFFFFFFFF in (cd_size, cd_offset)
    if locator is not None and locator[:4] == _ZIP64_LOCATOR:
        _, disk64, z64_offset, disks = struct.unpack("<4sIQI", locator)
        if disk64 != 0 or disks not in (0, 1):
            raise _malformed("its ZIP64 records claim several disks")
        record = _read(source, z64_offset, 56, "ZIP64 end record")
        (sig, rec_size, _, _, d1, d2, n1, n2, size64, offset64) = struct.unpack(
            "<4sQHHIIQQQQ", record
        )
        if sig != _ZIP64_EOCD or z64_offset + 12 + rec_size != locator_pos:
            raise _malformed("its ZIP64 end record is not where its locator says")
        if d1 != 0 or d2 != 0 or n1 != n2:
            raise _malformed("its ZIP64 end record claims several disks")
        for small, big in ((entries, n2), (cd_size, size64), (cd_offset, offset64)):
            if small not in (0xFFFF, 0xFFFFFFFF) and small != big:
                raise _malformed("its two end-of-archive records disagree")
        entries, cd_size, cd_offset = n2, size64, offset64
        limit = z64_offset
    elif needs64:
        raise _malformed("its ZIP64 end record is missing")
    if cd_offset + cd_size != limit:
        raise _malformed(
            "its central directory does not end where the end record begins"
        )
    return entries, cd_size, cd_offset, limit


def _extra_fields(extra: bytes) -> dict[int, bytes]:
    fields: dict[int, bytes] = {}
    pos = 0
    while pos < len(extra):
        if pos + 4 > len(extra):
            raise _malformed("an extra field is cut short")
        header_id, length = struct.unpack_from("<HH", extra, pos)
        if pos + 4 + length > len(extra):
            raise _malformed("an extra field is longer than its record")
        if header_id in fields:
            raise _malformed("an extra field appears twice in one record")
        fields[header_id] = extra[pos + 4 : pos + 4 + length]
        pos += 4 + length
    return fields


def _apply_zip64(
    fields: dict[int, bytes], values: list[int], sentinels: list[int]
) -> list[int]:
    """Replace 0xFFFFFFFF-style values by their ZIP64 extra counterparts."""
    data = fields.get(0x0001)
    out = list(values)
    pos = 0
    for index, (value, sentinel) in enumerate(zip(values, sentinels, strict=True)):
        if value != sentinel:
            continue
        width = 8 if sentinel == 0xFFFFFFFF else 4
        if data is None or pos + width > len(data):
            raise _malformed("a member's ZIP64 sizes are missing")
        out[index] = int.from_bytes(data[pos : pos + width], "little")
        pos += width
    return out


def _decode_name(raw: bytes, flags: int) -> str:
    try:
        if flags & _FLAG_UTF8:
            return raw.decode("utf-8")
        return raw.decode("cp437")
    except UnicodeDecodeError:
        raise _malformed("a member's name is not valid UTF-8") from None


def _central_directory(source: Source) -> tuple[list[Member], int]:
    """Every member the table of contents lists, and where that table starts."""
    entries, cd_size, cd_offset, _limit = _find_end(source)
    if entries > MAX_MEMBERS:
        raise _error(
            "zip.too_many_members",
            f"This archive lists {entries} members; at most {MAX_MEMBERS} are "
            "accepted.",
        )
    if cd_size > MAX_CENTRAL_DIRECTORY:
        raise _error(
            "zip.too_many_members",
            f"This archive's table of contents is {human_size(cd_size)}, more "
            "than this hub reads.",
        )
    cd = _read(source, cd_offset, cd_size, "table of contents")
    members: list[Member] = []
    pos = 0
    for _ in range(entries):
        if pos + 46 > len(cd) or cd[pos : pos + 4] != _CENTRAL:
            raise _malformed("its table of contents is shorter than it claims")
        (
            _sig,
            _made_by,
            _needed,
            flags,
            method,
            _time,
            _date,
            crc,
            csize,
            usize,
            name_len,
            extra_len,
            comment_len,
            disk,
            _internal,
            external,
            offset,
        ) = struct.unpack_from("<4sHHHHHHIIIHHHHHII", cd, pos)
        end = pos + 46 + name_len + extra_len + comment_len
        if end > len(cd):
            raise _malformed("a table of contents entry runs past its end")
        raw_name = cd[pos + 46 : pos + 46 + name_len]
        extra = cd[pos + 46 + name_len : pos + 46 + name_len + extra_len]
        fields = _extra_fields(extra)
        usize, csize, offset, disk = _apply_zip64(
            fields,
            [usize, csize, offset, disk],
            [0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFF],
        )
        if disk != 0:
            raise _malformed("a member claims to be on another disk")
        members.append(
            Member(
                name=_decode_name(raw_name, flags),
                raw_name=raw_name,
                flags=flags,
                method=method,
                crc=crc,
                compressed_size=csize,
                size=usize,
                header_offset=offset,
                external_attr=external,
            )
        )
        pos = end
    if pos != len(cd):
        raise _malformed("its table of contents has bytes no entry accounts for")
    return members, cd_offset


def _check_local(source: Source, member: Member, cd_offset_limit: int) -> None:
    header = _read(source, member.header_offset, 30, f"member {member.name!r}")
    (
        sig,
        _needed,
        flags,
        method,
        _time,
        _date,
        crc,
        csize,
        usize,
        name_len,
        extra_len,
    ) = struct.unpack("<4sHHHHHIIIHH", header)
    if sig != _LOCAL:
        raise _malformed(f"member {member.name!r} does not start where listed")
    rest = _read(
        source,
        member.header_offset + 30,
        name_len + extra_len,
        f"member {member.name!r}",
    )
    where = f"member {member.name!r}"
    if rest[:name_len] != member.raw_name:
        raise _inconsistent(f"{where} has another name in its own header")
    if method != member.method or (flags ^ member.flags) & (
        _FLAG_ENCRYPTED | _FLAG_DESCRIPTOR
    ):
        raise _inconsistent(f"{where} is described differently in two places")
    fields = _extra_fields(rest[name_len:])
    member.data_start = member.header_offset + 30 + name_len + extra_len
    data_end = member.data_start + member.compressed_size
    if data_end > cd_offset_limit:
        raise _error(
            "zip.out_of_bounds",
            f"This archive's {where} runs into its table of contents or past "
            "the end of the file.",
        )
    if flags & _FLAG_DESCRIPTOR:
        member.end = data_end + _descriptor_length(source, member, data_end)
        if member.end > cd_offset_limit:
            raise _error(
                "zip.out_of_bounds",
                f"This archive's {where} runs into its table of contents.",
            )
        # With a trailing descriptor the local sizes may be zero (streamed).
        local = _apply_zip64(fields, [usize, csize], [0xFFFFFFFF, 0xFFFFFFFF])
        if crc not in (0, member.crc) or local not in (
            [0, 0],
            [member.size, member.compressed_size],
        ):
            raise _inconsistent(f"{where} has two different sizes or CRCs")
        return
    member.end = data_end
    local = _apply_zip64(fields, [usize, csize], [0xFFFFFFFF, 0xFFFFFFFF])
    if crc != member.crc or local != [member.size, member.compressed_size]:
        raise _inconsistent(f"{where} has two different sizes or CRCs")


def _descriptor_length(source: Source, member: Member, at: int) -> int:
    """Check the data descriptor after a member against the directory."""
    head = source.read_at(at, 24)
    signed = head[:4] == _DESCRIPTOR
    body = head[4:] if signed else head
    for width in (4, 8):
        needed = 4 + 2 * width
        if len(body) < needed:
            continue
        crc = int.from_bytes(body[0:4], "little")
        csize = int.from_bytes(body[4 : 4 + width], "little")
        usize = int.from_bytes(body[4 + width : 4 + 2 * width], "little")
        if (crc, csize, usize) == (member.crc, member.compressed_size, member.size):
            return needed + (4 if signed else 0)
    raise _inconsistent(
        f"member {member.name!r} has a trailing record that disagrees with the "
        "table of contents"
    )


def _inconsistent(problem: str) -> FormatError:
    return _error(
        "zip.inconsistent",
        f"In this archive, {problem}. Different programs would read different "
        "content, so it is refused.",
    )


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
        if member.flags & (
            _FLAG_ENCRYPTED | _FLAG_STRONG_ENCRYPTION | _FLAG_MASKED_HEADERS
        ):
            findings.append(
                Finding(
                    "unsafe",
                    "zip.encrypted",
                    f"This archive's member {member.name!r} is encrypted, so its "
                    "content cannot be checked.",
                    {"member": member.name},
                )
            )
        elif member.method not in (_STORED, _DEFLATED):
            findings.append(
                Finding(
                    "unsafe",
                    "zip.unsupported_compression",
                    f"This archive's member {member.name!r} uses compression "
                    f"method {member.method}; only stored and deflated members "
                    "can be checked.",
                    {"member": member.name},
                )
            )
        elif member.method == _STORED and member.size != member.compressed_size:
            findings.append(
                Finding(
                    "unsafe",
                    "zip.inconsistent",
                    f"This archive's member {member.name!r} is stored "
                    "uncompressed but lists two different sizes.",
                    {"member": member.name},
                )
            )
        elif (
            member.method == _DEFLATED
            and member.size > RATIO_FLOOR
            and member.size > MAX_RATIO * max(member.compressed_size, 1)
        ):
            findings.append(
                Finding(
                    "unsafe",
                    "zip.compression_ratio",
                    f"This archive's member {member.name!r} would expand from "
                    f"{human_size(member.compressed_size)} to "
                    f"{human_size(member.size)}, the mark of a decompression "
                    "bomb.",
                    {"member": member.name},
                )
            )
    return findings


def _check_layout(
    source: Source, members: list[Member], cd_offset: int
) -> list[Finding]:
    """Members must not share bytes, and the bytes between them must not hide
    a member that only a reader walking local headers would find."""
    ordered = sorted(members, key=lambda m: (m.header_offset, m.end))
    position = 0
    previous: Member | None = None
    for member in [*ordered, None]:
        start = cd_offset if member is None else member.header_offset
        if start < position and member is not None and previous is not None:
            return [
                Finding(
                    "unsafe",
                    "zip.overlap",
                    f"This archive's members {previous.name!r} and "
                    f"{member.name!r} share bytes, a trick used by "
                    "decompression bombs and to show different content to "
                    "different programs.",
                    {"members": [previous.name, member.name]},
                )
            ]
        gap = start - position
        if gap > MAX_GAP or (gap > 0 and _LOCAL in source.read_at(position, gap)):
            return [
                Finding(
                    "unsafe",
                    "zip.hidden_data",
                    f"This archive has {human_size(gap)} at byte {position} "
                    "that its table of contents does not list; a member can "
                    "hide there from some programs and not others.",
                    {"offset": position},
                )
            ]
        if member is not None:
            position = max(position, member.end)
            previous = member
    return []


def _read_member(source: Source, member: Member, limit: int) -> bytes:
    """Decompress at most ``limit`` bytes of a member (all of it when
    ``limit`` covers its size, then also checking that size)."""
    whole = limit >= member.size
    if member.method == _STORED:
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
        raise _error(
            "zip.out_of_bounds", f"This archive's member {member.name!r} is cut short."
        )
    if member.method == _STORED:
        return raw
    inflater = zlib.decompressobj(-15)
    try:
        data = inflater.decompress(raw, limit if not whole else member.size + 1)
    except zlib.error:
        raise _error(
            "zip.malformed",
            f"This archive's member {member.name!r} is not valid compressed data.",
            member=member.name,
        ) from None
    if whole and (len(data) != member.size or not inflater.eof or inflater.unused_data):
        raise _inconsistent(
            f"member {member.name!r} does not decompress to its listed size"
        )
    return data[:limit]


def _verified_member(source: Source, member: Member) -> bytes:
    data = _read_member(source, member, member.size)
    if zlib.crc32(data) != member.crc:
        raise _error(
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
        members, cd_offset = _central_directory(source)
        findings = _check_members(members)
        if not findings:
            for member in members:
                _check_local(source, member, cd_offset)
            findings = _check_layout(source, members, cd_offset)
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
            if any(f.code == "zip.torchscript" for f in findings):
                continue
            findings.append(
                Finding(
                    "unsafe",
                    "zip.torchscript",
                    "This is a TorchScript archive: it contains code "
                    f"({member.name!r}) that runs when the model is loaded. "
                    "Publish the weights as safetensors instead.",
                    {"member": member.name},
                )
            )
            continue
        where = f"The archive member {member.name!r}"
        try:
            start = _pickle_start(source, member)
            if start is None:
                continue
            if max(member.size, member.compressed_size) > MAX_READ_MEMBER:
                findings.append(
                    Finding(
                        "unsafe",
                        "zip.member_too_large",
                        f"{where} is a pickle of {human_size(member.size)}, more "
                        "than this hub scans.",
                        {"member": member.name},
                    )
                )
                continue
            data = _verified_member(source, member)
        except FormatError as exc:
            findings.append(exc.finding)
            continue
        scanned.append(member.name)
        stream = SliceSource(BytesSource(data), start)
        _scan, found = pickles.pickle_findings(stream, where=where)
        findings += found
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
