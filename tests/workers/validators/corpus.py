"""The bad-input corpus, built in Python: no binary fixture comes from elsewhere.

Malicious pickles are written opcode by opcode (nothing dangerous is ever
pickled, and nothing here loads them). Each payload, if some program did
unpickle it, would create ``canary``: the tests scan the whole corpus and
then check that the canary file does not exist.
"""

from __future__ import annotations

import io
import json
import pickle
import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

# --- pickle opcode helpers ---------------------------------------------------


def proto(n: int) -> bytes:
    return b"\x80" + bytes([n])


def unicode(text: str) -> bytes:
    """BINUNICODE: a string any protocol >= 1 reads."""
    data = text.encode()
    return b"X" + struct.pack("<I", len(data)) + data


def short_unicode(text: str) -> bytes:
    """SHORT_BINUNICODE (protocol 4)."""
    data = text.encode()
    return b"\x8c" + bytes([len(data)]) + data


def global_op(module: str, name: str) -> bytes:
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"


MARK, TUPLE, TUPLE1, TUPLE2 = b"(", b"t", b"\x85", b"\x86"
REDUCE, STOP, MEMOIZE, STACK_GLOBAL, POP = b"R", b".", b"\x94", b"\x93", b"0"
EMPTY_LIST, APPENDS, EMPTY_DICT, BUILD, EMPTY_TUPLE = b"]", b"e", b"}", b"b", b")"


def binget(index: int) -> bytes:
    return b"h" + bytes([index])


@dataclass(frozen=True)
class PickleCase:
    """A hostile pickle, the verdict it must get and whether it really runs."""

    name: str
    data: bytes
    codes: frozenset[str]
    # True when pickle.load (called until the end of the file) would create
    # the canary: proved by test_payloads_are_live_when_unpickled.
    is_live: bool = True
    status: str = "quarantine"


def touch_command(canary: str) -> str:
    return f"touch {canary}"


def os_system_protocol0(canary: str) -> bytes:
    """The classic: protocol 0 text, ``os.system('touch …')``."""
    return (
        global_op("os", "system")
        + MARK
        + b"V"
        + touch_command(canary).encode()
        + b"\n"
        + TUPLE
        + REDUCE
        + STOP
    )


def posix_system(canary: str) -> bytes:
    """``GLOBAL posix system`` as pickle writes os.system on Linux."""
    return (
        proto(2)
        + global_op("posix", "system")
        + unicode(touch_command(canary))
        + TUPLE1
        + REDUCE
        + STOP
    )


def builtins_eval(canary: str) -> bytes:
    return (
        proto(2)
        + global_op("builtins", "eval")
        + unicode(f"open({canary!r}, 'w').close()")
        + TUPLE1
        + REDUCE
        + STOP
    )


def subprocess_call(canary: str) -> bytes:
    return (
        proto(2)
        + global_op("subprocess", "check_call")
        + EMPTY_LIST
        + MARK
        + unicode("touch")
        + unicode(canary)
        + APPENDS
        + TUPLE1
        + REDUCE
        + STOP
    )


def getattr_importlib(canary: str) -> bytes:
    """``getattr(importlib.import_module('os'), 'system')('touch …')``."""
    return (
        proto(4)
        + short_unicode("builtins")
        + short_unicode("getattr")
        + STACK_GLOBAL
        + short_unicode("importlib")
        + short_unicode("import_module")
        + STACK_GLOBAL
        + short_unicode("os")
        + TUPLE1
        + REDUCE
        + short_unicode("system")
        + TUPLE2
        + REDUCE
        + short_unicode(touch_command(canary))
        + TUPLE1
        + REDUCE
        + STOP
    )


def memo_stack_global(canary: str) -> bytes:
    """STACK_GLOBAL whose operands come back from the memo (BINGET)."""
    return (
        proto(4)
        + short_unicode("posix")
        + MEMOIZE
        + POP
        + short_unicode("system")
        + MEMOIZE
        + POP
        + binget(0)
        + binget(1)
        + STACK_GLOBAL
        + short_unicode(touch_command(canary))
        + TUPLE1
        + REDUCE
        + STOP
    )


def computed_stack_global(canary: str) -> bytes:
    """The module name is produced at load time: str(b'posix', 'ascii')."""
    return (
        proto(4)
        + short_unicode("builtins")
        + short_unicode("str")
        + STACK_GLOBAL
        + b"C\x05posix"
        + short_unicode("ascii")
        + TUPLE2
        + REDUCE
        + short_unicode("system")
        + STACK_GLOBAL
        + short_unicode(touch_command(canary))
        + TUPLE1
        + REDUCE
        + STOP
    )


def stacked_streams(canary: str) -> bytes:
    """A harmless first pickle, the payload in a second one behind it."""
    return pickle.dumps({"weights": [1.0, 2.0]}, protocol=2) + posix_system(canary)


def truncated_after_payload(canary: str) -> bytes:
    """The payload runs, then the stream ends without STOP (load then fails)."""
    return posix_system(canary)[:-1]


def trailing_garbage() -> bytes:
    return pickle.dumps({"a": 1}, protocol=2) + b"\x00\x00\x00\xff"


def extension_code() -> bytes:
    """EXT1: a callable from copyreg's registry, invisible by name."""
    return proto(2) + b"\x82\x01" + EMPTY_TUPLE + REDUCE + STOP


def build_on_global() -> bytes:
    """BUILD applied to a class: sets attributes on collections.OrderedDict."""
    return (
        proto(2) + global_op("collections", "OrderedDict") + EMPTY_DICT + BUILD + STOP
    )


def not_allowlisted() -> bytes:
    """Harmless in itself, but not something a checkpoint needs."""
    return proto(2) + global_op("argparse", "Namespace") + EMPTY_TUPLE + REDUCE + STOP


def scanner_disagreement() -> bytes:
    """A pickle the two scanners read differently (picklescan's memo keeps
    BINGET's index, the unpickler keeps the value): loads OrderedDict()."""
    return (
        proto(4)
        + short_unicode("collections")
        + MEMOIZE
        + short_unicode("OrderedDict")
        + MEMOIZE
        + binget(0)
        + MEMOIZE
        + binget(1)
        + MEMOIZE
        + POP * 4
        + binget(2)
        + binget(3)
        + STACK_GLOBAL
        + EMPTY_TUPLE
        + REDUCE
        + STOP
    )


def safetensors_lookalike_pickle(canary: str) -> bytes:
    """A pickle whose 9th byte is '{', so it starts like a safetensors file."""
    prefix = proto(2) + unicode("x{") + POP
    assert prefix[8:9] == b"{"
    return prefix + posix_system(canary)[2:]


def protocol0_brace_at_8(canary: str) -> bytes:
    """Protocol 0, whose 9th byte is '{' as in a safetensors file."""
    prefix = b"Vabcdefg{\n" + POP  # a string, dropped again
    assert prefix[8:9] == b"{"
    return prefix + os_system_protocol0(canary)


def gguf_binfloat(canary: str) -> bytes:
    """A pickle that starts with GGUF's magic: 'G' is BINFLOAT, whose 8-byte
    argument eats the rest of the magic and a version of 3."""
    prefix = b"GGUF" + struct.pack("<I", 3) + b"\x00" + POP
    return prefix + posix_system(canary)[2:]


def npy_of_objects(payload: bytes) -> bytes:
    """A .npy header for an array of Python objects, then ``payload``: what
    numpy.load(allow_pickle=True) unpickles."""
    header = b"{'descr': '|O', 'fortran_order': False, 'shape': (2,), }"
    header += b" " * (-(10 + len(header) + 1) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header + payload


def hostile_pickles(canary: str) -> list[PickleCase]:
    dangerous = frozenset({"pickle.dangerous_import", "picklescan.dangerous"})
    return [
        PickleCase("os_system_protocol0", os_system_protocol0(canary), dangerous),
        PickleCase("posix_system", posix_system(canary), dangerous),
        PickleCase("builtins_eval", builtins_eval(canary), dangerous),
        PickleCase("subprocess_call", subprocess_call(canary), dangerous),
        PickleCase(
            "getattr_importlib",
            getattr_importlib(canary),
            dangerous | {"pickle.indirect_call"},
        ),
        PickleCase("memo_stack_global", memo_stack_global(canary), dangerous),
        PickleCase(
            "computed_stack_global",
            computed_stack_global(canary),
            frozenset(
                {
                    "pickle.global_not_allowed",
                    "pickle.dynamic_global",
                    "pickle.indirect_call",
                    "picklescan.dangerous",
                }
            ),
        ),
        PickleCase("stacked_streams", stacked_streams(canary), dangerous),
        PickleCase("protocol0_brace_at_8", protocol0_brace_at_8(canary), dangerous),
        PickleCase(
            "gguf_binfloat",
            gguf_binfloat(canary),
            # Read as GGUF too, its "tensor count" is the pickle's opcodes.
            dangerous | {"gguf.count_out_of_bounds"},
        ),
        PickleCase(
            "truncated_after_payload",
            truncated_after_payload(canary),
            dangerous | {"pickle.truncated", "picklescan.error"},
        ),
        PickleCase(
            "trailing_garbage",
            trailing_garbage(),
            frozenset({"pickle.trailing_data"}),
            is_live=False,
        ),
        PickleCase(
            "extension_code",
            extension_code(),
            frozenset({"pickle.extension_code", "pickle.indirect_call"}),
            is_live=False,
        ),
        PickleCase(
            "build_on_global",
            build_on_global(),
            frozenset({"pickle.modifies_global"}),
            is_live=False,
        ),
        PickleCase(
            "not_allowlisted",
            not_allowlisted(),
            frozenset({"pickle.global_not_allowed"}),
            is_live=False,
        ),
        PickleCase(
            "scanner_disagreement",
            scanner_disagreement(),
            frozenset({"picklescan.disagreement"}),
            is_live=False,
        ),
    ]


# --- zips ---------------------------------------------------------------------


@dataclass
class Entry:
    """One member of a hand-built zip, with every field open to tampering."""

    name: str
    data: bytes
    method: int = 0  # 0 stored, 8 deflated
    flags: int = 0x0800
    crc: int | None = None  # None: the real CRC
    external_attr: int = 0
    made_by: int = 0x031E  # unix, 3.0
    local_name: str | None = None
    offset: int | None = None  # override the central directory's offset


def build_zip(
    entries: list[Entry], *, comment: bytes = b"", tail: bytes = b""
) -> bytes:
    """A zip written record by record (no zipfile involved)."""
    out = io.BytesIO()
    central = []
    for entry in entries:
        payload = (
            zlib.compress(entry.data, 9)[2:-4] if entry.method == 8 else entry.data
        )
        crc = zlib.crc32(entry.data) if entry.crc is None else entry.crc
        name = entry.name.encode()
        local_name = (entry.local_name or entry.name).encode()
        offset = out.tell()
        out.write(
            struct.pack(
                "<4sHHHHHIIIHH",
                b"PK\x03\x04",
                20,
                entry.flags,
                entry.method,
                0,
                0x21,
                crc,
                len(payload),
                len(entry.data),
                len(local_name),
                0,
            )
        )
        out.write(local_name)
        out.write(payload)
        central.append(
            struct.pack(
                "<4sHHHHHHIIIHHHHHII",
                b"PK\x01\x02",
                entry.made_by,
                20,
                entry.flags,
                entry.method,
                0,
                0x21,
                crc,
                len(payload),
                len(entry.data),
                len(name),
                0,
                0,
                0,
                0,
                entry.external_attr,
                offset if entry.offset is None else entry.offset,
            )
            + name
        )
    cd_offset = out.tell()
    for record in central:
        out.write(record)
    cd_size = out.tell() - cd_offset
    out.write(
        struct.pack(
            "<4sHHHHIIH",
            b"PK\x05\x06",
            0,
            0,
            len(entries),
            len(entries),
            cd_size,
            cd_offset,
            len(comment),
        )
        + comment
    )
    return out.getvalue() + tail


def overlapping_zip() -> bytes:
    """Member 'outer' stores bytes that are themselves member 'inner'."""
    inner = build_zip([Entry("inner.txt", b"hello")])
    inner_local = inner[: inner.index(b"PK\x01\x02")]
    outer_name = b"outer.bin"
    crc = zlib.crc32(inner_local)
    local = (
        struct.pack(
            "<4sHHHHHIIIHH",
            b"PK\x03\x04",
            20,
            0x0800,
            0,
            0,
            0x21,
            crc,
            len(inner_local),
            len(inner_local),
            len(outer_name),
            0,
        )
        + outer_name
    )
    body = local + inner_local
    inner_offset = len(local)

    def cd(name: bytes, crc: int, size: int, offset: int) -> bytes:
        return (
            struct.pack(
                "<4sHHHHHHIIIHHHHHII",
                b"PK\x01\x02",
                0x031E,
                20,
                0x0800,
                0,
                0,
                0x21,
                crc,
                size,
                size,
                len(name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + name
        )

    records = cd(outer_name, crc, len(inner_local), 0) + cd(
        b"inner.txt", zlib.crc32(b"hello"), 5, inner_offset
    )
    eocd = struct.pack(
        "<4sHHHHIIH", b"PK\x05\x06", 0, 0, 2, 2, len(records), len(body), 0
    )
    return body + records + eocd


def replace_member(archive: bytes, member: str, data: bytes) -> bytes:
    """A copy of a (torch) zip with one member's content swapped, via zipfile."""
    source = zipfile.ZipFile(io.BytesIO(archive))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        for info in source.infolist():
            content = data if info.filename == member else source.read(info)
            target.writestr(info.filename, content)
    return out.getvalue()


def corrupt_crc(archive: bytes, member: str) -> bytes:
    """Flip the CRC of ``member`` in both its local header and the directory,
    so the records agree with each other but not with the bytes."""
    data = bytearray(archive)
    source = zipfile.ZipFile(io.BytesIO(archive))
    info = source.getinfo(member)
    wrong = struct.pack("<I", (info.CRC ^ 0xDEADBEEF) & 0xFFFFFFFF)
    local = info.header_offset
    data[local + 14 : local + 18] = wrong
    # Find this member's central record by its name.
    pos = archive.index(b"PK\x01\x02")
    while True:
        pos = archive.index(b"PK\x01\x02", pos)
        name_len = struct.unpack_from("<H", archive, pos + 28)[0]
        if archive[pos + 46 : pos + 46 + name_len] == member.encode():
            data[pos + 16 : pos + 20] = wrong
            break
        pos += 4
    return bytes(data)


def relocate_zip(archive: bytes, start: int) -> bytes:
    """A copy of ``archive`` (no ZIP64, no comment) whose offsets count from
    ``start``: what it must say to be read where it is, after ``start``
    bytes of something else (torch's reader takes offsets as written)."""
    data = bytearray(archive)
    eocd = len(data) - 22
    entries, _cd_size, cd_offset = struct.unpack_from("<10xHII", data, eocd)
    pos = cd_offset
    for _ in range(entries):
        assert data[pos : pos + 4] == b"PK\x01\x02"
        lengths = struct.unpack_from("<HHH", data, pos + 28)
        (offset,) = struct.unpack_from("<I", data, pos + 42)
        struct.pack_into("<I", data, pos + 42, offset + start)
        pos += 46 + sum(lengths)
    struct.pack_into("<I", data, eocd + 16, cd_offset + start)
    return bytes(data)


# A safetensors header length whose 8 little-endian bytes are a zip's local
# header signature: torch.load takes such a file for a zip checkpoint.
PK_HEADER_LENGTH = int.from_bytes(b"PK\x03\x04\x00\x00\x00\x00", "little")


def safetensors_around_zip(
    archive: bytes, *, header_length: int | None = None, relocate: bool = True
) -> bytes:
    """A valid safetensors file whose one U8 tensor is ``archive``: safetensors
    readers see weights, zip readers find the archive by its end record."""
    size = len(archive)
    header = json.dumps({"blob": tensor("U8", [size], 0, size)}).encode()
    length = len(header) + (-len(header) % 8)
    if header_length is not None:
        length = header_length
    header += b" " * (length - len(header))  # JSON allows trailing spaces
    head = struct.pack("<Q", length) + header
    return head + (relocate_zip(archive, len(head)) if relocate else archive)


# --- safetensors ----------------------------------------------------------------


def safetensors_bytes(
    header: dict[str, Any] | bytes, data: bytes = b"", *, length: int | None = None
) -> bytes:
    raw = header if isinstance(header, bytes) else json.dumps(header).encode()
    declared = len(raw) if length is None else length
    return struct.pack("<Q", declared) + raw + data


def tensor(dtype: str, shape: list[int], begin: int, end: int) -> dict[str, Any]:
    return {"dtype": dtype, "shape": shape, "data_offsets": [begin, end]}


# --- GGUF -----------------------------------------------------------------------

GGUF_U32, GGUF_STRING, GGUF_ARRAY, GGUF_U64 = 4, 8, 9, 10


def gguf_string(text: str | bytes) -> bytes:
    data = text.encode() if isinstance(text, str) else text
    return struct.pack("<Q", len(data)) + data


def gguf_kv(key: str, kind: int, value: Any) -> bytes:
    out = gguf_string(key) + struct.pack("<I", kind)
    if kind == GGUF_STRING:
        return out + gguf_string(value)
    if kind == GGUF_U32:
        return out + struct.pack("<I", value)
    if kind == GGUF_U64:
        return out + struct.pack("<Q", value)
    if kind == GGUF_ARRAY:
        element, items = value
        body = struct.pack("<IQ", element, len(items))
        for item in items:
            body += (
                gguf_string(item) if element == GGUF_STRING else struct.pack("<I", item)
            )
        return out + body
    raise ValueError(kind)


# (block size, bytes per block) for the types the corpus uses.
_GGUF_SIZES = {0: (1, 4), 1: (1, 2), 2: (32, 18), 12: (256, 144)}


def gguf_bytes(
    kvs: list[bytes],
    tensors: list[tuple[str, list[int], int]],
    *,
    version: int = 3,
    alignment: int = 32,
    tensor_count: int | None = None,
    kv_count: int | None = None,
    offsets: list[int] | None = None,
    data_size: int | None = None,
) -> bytes:
    """A GGUF file: kvs, tensor infos (name, dims, type), aligned zero data."""
    header = b"GGUF" + struct.pack(
        "<IQQ",
        version,
        len(tensors) if tensor_count is None else tensor_count,
        len(kvs) if kv_count is None else kv_count,
    )
    header += b"".join(kvs)
    computed: list[int] = []
    position = 0
    sizes = []
    for _name, dims, kind in tensors:
        block, block_bytes = _GGUF_SIZES[kind]
        numel = 1
        for dim in dims:
            numel *= dim
        nbytes = numel // block * block_bytes
        sizes.append(nbytes)
        computed.append(position)
        position += -(-nbytes // alignment) * alignment
    for index, (name, dims, kind) in enumerate(tensors):
        offset = computed[index] if offsets is None else offsets[index]
        header += gguf_string(name) + struct.pack("<I", len(dims))
        header += b"".join(struct.pack("<Q", dim) for dim in dims)
        header += struct.pack("<IQ", kind, offset)
    padding = -len(header) % alignment
    total = position if data_size is None else data_size
    return header + b"\x00" * padding + b"\x00" * total


# --- ONNX (protobuf wire format) ---------------------------------------------------


def varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def pb_varint(number: int, value: int) -> bytes:
    return varint(number << 3) + varint(value)


def pb_bytes(number: int, payload: bytes | str) -> bytes:
    data = payload.encode() if isinstance(payload, str) else payload
    return varint(number << 3 | 2) + varint(len(data)) + data


def onnx_tensor(
    name: str,
    dims: list[int],
    *,
    raw: bytes | None = None,
    location: str | None = None,
) -> bytes:
    body = b"".join(pb_varint(1, dim) for dim in dims)
    body += pb_varint(2, 1)  # FLOAT
    body += pb_bytes(8, name)
    if raw is not None:
        body += pb_bytes(9, raw)
    if location is not None:
        body += pb_bytes(13, pb_bytes(1, "location") + pb_bytes(2, location))
        body += pb_varint(14, 1)  # EXTERNAL
    return body


def onnx_model(initializers: list[bytes], *, ir_version: int = 9) -> bytes:
    node = pb_bytes(1, "x") + pb_bytes(2, "y") + pb_bytes(4, "Identity")
    graph = pb_bytes(1, node) + pb_bytes(2, "g")
    graph += b"".join(pb_bytes(5, init) for init in initializers)
    opset = pb_bytes(1, "") + pb_varint(2, 17)
    return (
        pb_varint(1, ir_version)
        + pb_bytes(2, "model-commons-tests")
        + pb_bytes(7, graph)
        + pb_bytes(8, opset)
    )
