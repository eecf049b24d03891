"""A zip archive's own records, read strictly: end record, ZIP64, central
directory, local headers and data descriptors.

The archive is parsed from these records, not through ``zipfile``: every
disagreement an attacker can plant between what one reader and another
sees (names, sizes, CRCs, places, disks) raises a FormatError here, and
members that share bytes or leave unlisted bytes between them are found
(:func:`check_layout`). Tables are bounded before they are read.
``workers.validators.zips`` checks the members this returns and scans
their pickles.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Any

from hub.core.sizes import human_size
from workers.validators.base import Finding, FormatError, Source, read_exact

MAX_MEMBERS = 200_000
MAX_CENTRAL_DIRECTORY = 64 * 1024 * 1024
# Unlisted bytes between members (padding, a self-extractor's stub) are
# searched for hidden local headers up to this size, refused above it.
MAX_GAP = 64 * 1024

_EOCD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_EOCD = b"PK\x06\x06"
_CENTRAL = b"PK\x01\x02"
LOCAL_SIGNATURE = b"PK\x03\x04"
_DESCRIPTOR = b"PK\x07\x08"
STORED, DEFLATED = 0, 8
FLAG_ENCRYPTED = 0x0001
FLAG_DESCRIPTOR = 0x0008
FLAG_UTF8 = 0x0800
FLAG_STRONG_ENCRYPTION = 0x0040
FLAG_MASKED_HEADERS = 0x2000


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


def zip_error(code: str, message: str, **details: Any) -> FormatError:
    return FormatError(Finding("unsafe", code, message, details))


def zip_malformed(problem: str) -> FormatError:
    return zip_error(
        "zip.malformed",
        f"This archive cannot be read reliably: {problem}. It is refused "
        "because different programs would see different content in it.",
    )


def _read(source: Source, offset: int, length: int, what: str) -> bytes:
    data = read_exact(source, offset, length)
    if data is None:
        raise zip_error(
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
        raise zip_malformed("its end-of-archive record is missing or not at the end")
    eocd_pos = size - tail_len + eocd
    (_, disk, cd_disk, disk_entries, entries, cd_size, cd_offset, _) = (
        struct.unpack_from("<4sHHHHIIH", tail, eocd)
    )
    if disk != 0 or cd_disk != 0 or disk_entries != entries:
        raise zip_malformed("it claims to span several disks")
    limit = eocd_pos
    locator_pos = eocd_pos - 20
    locator = read_exact(source, locator_pos, 20) if locator_pos >= 0 else None
    needs64 = 0xFFFF in (entries,) or 0xFFFFFFFF in (cd_size, cd_offset)
    if locator is not None and locator[:4] == _ZIP64_LOCATOR:
        _, disk64, z64_offset, disks = struct.unpack("<4sIQI", locator)
        if disk64 != 0 or disks not in (0, 1):
            raise zip_malformed("its ZIP64 records claim several disks")
        record = _read(source, z64_offset, 56, "ZIP64 end record")
        (sig, rec_size, _, _, d1, d2, n1, n2, size64, offset64) = struct.unpack(
            "<4sQHHIIQQQQ", record
        )
        if sig != _ZIP64_EOCD or z64_offset + 12 + rec_size != locator_pos:
            raise zip_malformed("its ZIP64 end record is not where its locator says")
        if d1 != 0 or d2 != 0 or n1 != n2:
            raise zip_malformed("its ZIP64 end record claims several disks")
        for small, big in ((entries, n2), (cd_size, size64), (cd_offset, offset64)):
            if small not in (0xFFFF, 0xFFFFFFFF) and small != big:
                raise zip_malformed("its two end-of-archive records disagree")
        entries, cd_size, cd_offset = n2, size64, offset64
        limit = z64_offset
    elif needs64:
        raise zip_malformed("its ZIP64 end record is missing")
    if cd_offset + cd_size != limit:
        raise zip_malformed(
            "its central directory does not end where the end record begins"
        )
    return entries, cd_size, cd_offset, limit


def _extra_fields(extra: bytes) -> dict[int, bytes]:
    fields: dict[int, bytes] = {}
    pos = 0
    while pos < len(extra):
        if pos + 4 > len(extra):
            raise zip_malformed("an extra field is cut short")
        header_id, length = struct.unpack_from("<HH", extra, pos)
        if pos + 4 + length > len(extra):
            raise zip_malformed("an extra field is longer than its record")
        if header_id in fields:
            raise zip_malformed("an extra field appears twice in one record")
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
            raise zip_malformed("a member's ZIP64 sizes are missing")
        out[index] = int.from_bytes(data[pos : pos + width], "little")
        pos += width
    return out


def _decode_name(raw: bytes, flags: int) -> str:
    try:
        if flags & FLAG_UTF8:
            return raw.decode("utf-8")
        return raw.decode("cp437")
    except UnicodeDecodeError:
        raise zip_malformed("a member's name is not valid UTF-8") from None


def central_directory(source: Source) -> tuple[list[Member], int]:
    """Every member the table of contents lists, and where that table starts."""
    entries, cd_size, cd_offset, _limit = _find_end(source)
    if entries > MAX_MEMBERS:
        raise zip_error(
            "zip.too_many_members",
            f"This archive lists {entries} members; at most {MAX_MEMBERS} are "
            "accepted.",
        )
    if cd_size > MAX_CENTRAL_DIRECTORY:
        raise zip_error(
            "zip.too_many_members",
            f"This archive's table of contents is {human_size(cd_size)}, more "
            "than this hub reads.",
        )
    cd = _read(source, cd_offset, cd_size, "table of contents")
    members: list[Member] = []
    pos = 0
    for _ in range(entries):
        member, pos = _central_entry(cd, pos)
        members.append(member)
    if pos != len(cd):
        raise zip_malformed("its table of contents has bytes no entry accounts for")
    return members, cd_offset


def _central_entry(cd: bytes, pos: int) -> tuple[Member, int]:
    """The table of contents entry at ``pos``, and where the next one starts."""
    if pos + 46 > len(cd) or cd[pos : pos + 4] != _CENTRAL:
        raise zip_malformed("its table of contents is shorter than it claims")
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
        raise zip_malformed("a table of contents entry runs past its end")
    raw_name = cd[pos + 46 : pos + 46 + name_len]
    extra = cd[pos + 46 + name_len : pos + 46 + name_len + extra_len]
    fields = _extra_fields(extra)
    usize, csize, offset, disk = _apply_zip64(
        fields,
        [usize, csize, offset, disk],
        [0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFF],
    )
    if disk != 0:
        raise zip_malformed("a member claims to be on another disk")
    member = Member(
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
    return member, end


def check_local(source: Source, member: Member, cd_offset_limit: int) -> None:
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
    if sig != LOCAL_SIGNATURE:
        raise zip_malformed(f"member {member.name!r} does not start where listed")
    rest = _read(
        source,
        member.header_offset + 30,
        name_len + extra_len,
        f"member {member.name!r}",
    )
    where = f"member {member.name!r}"
    if rest[:name_len] != member.raw_name:
        raise zip_inconsistent(f"{where} has another name in its own header")
    if method != member.method or (flags ^ member.flags) & (
        FLAG_ENCRYPTED | FLAG_DESCRIPTOR
    ):
        raise zip_inconsistent(f"{where} is described differently in two places")
    fields = _extra_fields(rest[name_len:])
    member.data_start = member.header_offset + 30 + name_len + extra_len
    data_end = member.data_start + member.compressed_size
    if data_end > cd_offset_limit:
        raise zip_error(
            "zip.out_of_bounds",
            f"This archive's {where} runs into its table of contents or past "
            "the end of the file.",
        )
    if flags & FLAG_DESCRIPTOR:
        member.end = data_end + _descriptor_length(source, member, data_end)
        if member.end > cd_offset_limit:
            raise zip_error(
                "zip.out_of_bounds",
                f"This archive's {where} runs into its table of contents.",
            )
        # With a trailing descriptor the local sizes may be zero (streamed).
        local = _apply_zip64(fields, [usize, csize], [0xFFFFFFFF, 0xFFFFFFFF])
        if crc not in (0, member.crc) or local not in (
            [0, 0],
            [member.size, member.compressed_size],
        ):
            raise zip_inconsistent(f"{where} has two different sizes or CRCs")
        return
    member.end = data_end
    local = _apply_zip64(fields, [usize, csize], [0xFFFFFFFF, 0xFFFFFFFF])
    if crc != member.crc or local != [member.size, member.compressed_size]:
        raise zip_inconsistent(f"{where} has two different sizes or CRCs")


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
    raise zip_inconsistent(
        f"member {member.name!r} has a trailing record that disagrees with the "
        "table of contents"
    )


def zip_inconsistent(problem: str) -> FormatError:
    return zip_error(
        "zip.inconsistent",
        f"In this archive, {problem}. Different programs would read different "
        "content, so it is refused.",
    )


def check_layout(
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
        if gap > MAX_GAP or (
            gap > 0 and LOCAL_SIGNATURE in source.read_at(position, gap)
        ):
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
