"""GGUF (llama.cpp): a small parser where every length is checked first.

Layout (little-endian): ``b"GGUF"``, version u32 (2 or 3), tensor count
u64, key/value count u64, the key/value pairs, one info record per tensor
(name, dims, ggml type, offset), padding to the alignment, tensor data.

Every count and length is bounded by the bytes left in the file *before*
anything is allocated or skipped: a header claiming 2**63 tensors fails on
its first read, not after filling memory. Numeric arrays are skipped
without being read. Tensor offsets must follow each other exactly as
ggml's loader expects (each tensor right after the previous one, padded to
the alignment), and the last must end inside the file.

A file that breaks these rules is quarantined, not merely failed: the
published llama.cpp CVEs are made of exactly such headers (2**63 counts,
lengths past the end). Only a version or tensor type this validator does
not know fails without quarantine: loaders refuse those before parsing
further, and a newer llama.cpp may know them.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Any

from hub.core.sizes import human_size
from workers.validators.base import (
    Finding,
    FormatError,
    Severity,
    Source,
    Verdict,
    make_verdict,
)
from workers.validators.gguf_types import (
    GGML_TYPES,
    PLAIN_TYPES,
    STRUCT_FORMATS,
    VALUE_TYPES,
)

VALIDATOR_VERSION = "2"

MAGIC = b"GGUF"
DEFAULT_ALIGNMENT = 32
MAX_NAME_BYTES = 64  # GGML_MAX_NAME, including ggml's terminating zero
MAX_DIMS = 4  # GGML_MAX_DIMS
MAX_ARRAY_NESTING = 4
MAX_KEY_BYTES = 65_536
# Text kept for the metadata the hub shows (architecture, name): long
# values are still checked, just not copied.
MAX_KEPT_STRING = 256

_STRING, _ARRAY = 8, 9


def _fail(
    code: str, message: str, *, severity: Severity = "unsafe", **details: Any
) -> FormatError:
    return FormatError(Finding(severity, code, message, details))


class _Cursor:
    """Sequential reads over a Source through a window, with bounds checks."""

    WINDOW = 1 << 20

    def __init__(self, source: Source) -> None:
        self.source = source
        self.size = source.size
        self.pos = 0
        self._buf = b""
        self._buf_start = 0

    @property
    def remaining(self) -> int:
        return self.size - self.pos

    def need(self, length: int, what: str) -> None:
        if length < 0 or length > self.remaining:
            raise _fail(
                "gguf.truncated",
                f"This file needs {human_size(length)} more for {what} at byte "
                f"{self.pos} but has only {human_size(max(self.remaining, 0))} "
                "left: it was cut short or its header lies.",
                offset=self.pos,
            )

    def take(self, length: int, what: str) -> bytes:
        self.need(length, what)
        start = self.pos - self._buf_start
        if start < 0 or start + length > len(self._buf):
            if length > self.WINDOW:
                data = self.source.read_at(self.pos, length)
                self.pos += length
                return data
            self._buf = self.source.read_at(self.pos, min(self.WINDOW, self.remaining))
            self._buf_start = self.pos
            start = 0
        self.pos += length
        return self._buf[start : start + length]

    def skip(self, length: int, what: str) -> None:
        self.need(length, what)
        self.pos += length

    def u32(self, what: str) -> int:
        return int(struct.unpack("<I", self.take(4, what))[0])

    def u64(self, what: str) -> int:
        return int(struct.unpack("<Q", self.take(8, what))[0])

    def string(self, what: str, *, keep: int | None = None) -> str | None:
        """Read (or skip) a GGUF string; returns text only when asked to keep."""
        length = self.u64(f"the length of {what}")
        self.need(length, what)
        if keep is None or length > keep:
            self.skip(length, what)
            return None
        raw = self.take(length, what)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise _fail(
                "gguf.bad_string", f"{what.capitalize()} is not valid UTF-8."
            ) from None


@dataclass
class _Tensor:
    name: str
    dims: tuple[int, ...]
    type_name: str
    offset: int
    nbytes: int

    @property
    def numel(self) -> int:
        count = 1
        for dim in self.dims:
            count *= dim
        return count


def _value(cursor: _Cursor, kind: int, key: str, depth: int) -> Any:
    """Read one value; returns small scalars and short strings, else None."""
    if kind not in VALUE_TYPES:
        raise _fail(
            "gguf.bad_type",
            f"The value of {key!r} has type {kind}, which GGUF does not define.",
            key=key,
        )
    if kind == _STRING:
        return cursor.string(f"the value of {key!r}", keep=MAX_KEPT_STRING)
    if kind == _ARRAY:
        if depth >= MAX_ARRAY_NESTING:
            raise _fail(
                "gguf.bad_type",
                f"The value of {key!r} nests arrays more than "
                f"{MAX_ARRAY_NESTING} deep.",
                key=key,
            )
        element = cursor.u32(f"the element type of {key!r}")
        count = cursor.u64(f"the length of {key!r}")
        if element not in VALUE_TYPES:
            raise _fail(
                "gguf.bad_type",
                f"The array {key!r} holds type {element}, which GGUF does not define.",
                key=key,
            )
        fixed = VALUE_TYPES[element][1]
        # Strings take at least their 8-byte length, arrays 12 bytes.
        least = fixed or (8 if element == _STRING else 12)
        if count > cursor.remaining // least:
            raise _fail(
                "gguf.count_out_of_bounds",
                f"The array {key!r} claims {count} elements, more than the rest "
                "of the file can hold.",
                key=key,
            )
        if fixed:
            cursor.skip(count * fixed, f"the array {key!r}")
        else:
            for _ in range(count):
                _value(cursor, element, key, depth + 1)
        return None
    fmt = STRUCT_FORMATS[kind]
    (value,) = struct.unpack(fmt, cursor.take(struct.calcsize(fmt), f"{key!r}"))
    return value


def read_gguf(source: Source) -> dict[str, Any]:
    """Parse and check a GGUF file's header. Raises FormatError."""
    cursor = _Cursor(source)
    if source.read_at(0, 4) != MAGIC:
        raise _fail(
            "gguf.not_gguf",
            "This file does not start with GGUF's magic bytes ('GGUF'), so no "
            "GGUF reader can load it.",
        )
    if source.size < 24:
        raise _fail("gguf.truncated", "This file is too short to be a GGUF file.")
    cursor.skip(4, "the magic number")
    version = cursor.u32("the version")
    if version not in (2, 3):
        raise _fail(
            "gguf.unsupported_version",
            f"This file is GGUF version {version}; versions 2 and 3 are "
            "supported (version 1 is obsolete; a huge number means a "
            "big-endian file).",
            severity="error",
            version=version,
        )
    tensor_count = cursor.u64("the tensor count")
    kv_count = cursor.u64("the metadata count")
    # Each key/value pair takes at least 8 (key length) + 4 (type) + 1
    # bytes, each tensor info at least 8 (name length) + 4 + 8 + 4 + 8.
    if kv_count * 13 + tensor_count * 32 > cursor.remaining:
        raise _fail(
            "gguf.count_out_of_bounds",
            f"This file claims {tensor_count} tensors and {kv_count} metadata "
            "entries, more than its size can hold.",
            tensors=tensor_count,
            entries=kv_count,
        )
    kv: dict[str, Any] = {}
    for _ in range(kv_count):
        key = cursor.string("a metadata key", keep=MAX_KEY_BYTES)
        if key is None:
            raise _fail("gguf.bad_string", "A metadata key is absurdly long.")
        if key in kv:
            raise _fail(
                "gguf.duplicate_key",
                f"The metadata key {key!r} appears twice.",
                key=key,
            )
        kind = cursor.u32(f"the type of {key!r}")
        kv[key] = _value(cursor, kind, key, 0)
    alignment = kv.get("general.alignment", DEFAULT_ALIGNMENT)
    if not isinstance(alignment, int) or alignment <= 0 or alignment & (alignment - 1):
        raise _fail(
            "gguf.bad_alignment",
            f"general.alignment is {alignment!r}; it must be a power of two.",
        )
    tensors = _tensor_infos(cursor, tensor_count)
    data_start = -(-cursor.pos // alignment) * alignment
    _check_offsets(tensors, alignment, data_start, source.size)
    return {"version": version, "kv": kv, "tensors": tensors}


def _tensor_infos(cursor: _Cursor, count: int) -> list[_Tensor]:
    tensors: list[_Tensor] = []
    names: set[str] = set()
    for index in range(count):
        name = cursor.string(f"the name of tensor {index}", keep=MAX_NAME_BYTES - 1)
        if name is None:
            raise _fail(
                "gguf.bad_string",
                f"Tensor {index}'s name is longer than {MAX_NAME_BYTES - 1} bytes.",
            )
        if name in names:
            raise _fail(
                "gguf.duplicate_tensor",
                f"Tensor {name!r} appears twice.",
                name=name,
            )
        names.add(name)
        n_dims = cursor.u32(f"the rank of {name!r}")
        if not 1 <= n_dims <= MAX_DIMS:
            raise _fail(
                "gguf.bad_shape",
                f"Tensor {name!r} has {n_dims} dimensions; 1 to {MAX_DIMS} are "
                "allowed.",
                name=name,
            )
        dims = tuple(cursor.u64(f"the shape of {name!r}") for _ in range(n_dims))
        type_id = cursor.u32(f"the type of {name!r}")
        offset = cursor.u64(f"the offset of {name!r}")
        if type_id not in GGML_TYPES:
            raise _fail(
                "gguf.bad_type",
                f"Tensor {name!r} has ggml type {type_id}, which is unknown or "
                "no longer supported.",
                severity="error",
                name=name,
            )
        type_name, block, block_bytes = GGML_TYPES[type_id]
        if any(dim >= 1 << 63 for dim in dims) or dims[0] % block:
            raise _fail(
                "gguf.bad_shape",
                f"Tensor {name!r} has shape {list(dims)}, which does not fit "
                f"{type_name} blocks of {block} values.",
                name=name,
            )
        numel = 1
        for dim in dims:
            numel *= dim
        tensors.append(
            _Tensor(name, dims, type_name, offset, numel // block * block_bytes)
        )
    return tensors


def _check_offsets(
    tensors: list[_Tensor], alignment: int, data_start: int, size: int
) -> None:
    expected = 0
    for tensor in tensors:
        if tensor.offset != expected:
            raise _fail(
                "gguf.bad_offset",
                f"Tensor {tensor.name!r} starts at data offset {tensor.offset}, "
                f"but the tensors before it end at {expected}: tensors must "
                "follow each other, aligned, without gaps or overlaps.",
                name=tensor.name,
            )
        end = data_start + tensor.offset + tensor.nbytes
        if end > size:
            raise _fail(
                "gguf.out_of_bounds",
                f"Tensor {tensor.name!r} ends at byte {end}, past the end of the "
                f"file ({size} bytes).",
                name=tensor.name,
            )
        expected += -(-tensor.nbytes // alignment) * alignment


def validate_gguf(source: Source, path: str = "") -> Verdict:
    """Check a GGUF file; extract architecture, parameters and quantization."""
    try:
        parsed = read_gguf(source)
    except FormatError as exc:
        return make_verdict([exc.finding], {"format": "gguf"}, readable=False)
    kv, tensors = parsed["kv"], parsed["tensors"]
    types = sorted({tensor.type_name for tensor in tensors})
    metadata: dict[str, Any] = {
        "format": "gguf",
        "version": parsed["version"],
        "architecture": kv.get("general.architecture")
        if isinstance(kv.get("general.architecture"), str)
        else None,
        "parameters": sum(tensor.numel for tensor in tensors),
        "quantization": [name for name in types if name not in PLAIN_TYPES],
        "tensor_types": types,
        "tensors": len(tensors),
    }
    name = kv.get("general.name")
    if isinstance(name, str):
        metadata["name"] = name
    findings: list[Finding] = []
    if metadata["architecture"] is None:
        findings.append(
            Finding(
                "warning",
                "gguf.no_architecture",
                "This file does not say which architecture it is "
                "(general.architecture); llama.cpp needs it to load the model.",
            )
        )
    return make_verdict(findings, metadata)
