"""The one safetensors header parser: two reads, and its cost is flat.

A safetensors file is an 8-byte little-endian header length, a JSON header
naming each tensor's dtype, shape and byte range, then the raw bytes. Two
reads (the length, the header) answer everything: the ranges must tile the
data exactly, with no gap, overlap or trailing byte, and each range must
hold exactly shape × dtype size bytes. Tensor bytes are never read, so a
10 GB file costs what a 10 MB one does.

The rules follow the reference implementation (``safetensors`` 0.8), plus
two it lets through: duplicate names (it keeps the last one, so two
readers could see different tensors) and non-string metadata values.

Pure Python, no Django: the content validator
(``workers.validators.safetensors``) turns a :class:`SafetensorsHeaderError`
into its finding and stores the parameter counts in the verdict; the pages
read those counts (``hub.jobs.selectors.weights``) and parse a header here
only while a file's checks have not finished.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass, field
from typing import Any, Protocol

from hub.core.sizes import human_size

# The reference implementation's limit (MAX_HEADER_SIZE).
MAX_HEADER_BYTES = 100_000_000

# Bits per element of each dtype the format defines.
DTYPE_BITS: dict[str, int] = {
    "BOOL": 8,
    "F4": 4,
    "F6_E2M3": 6,
    "F6_E3M2": 6,
    "U8": 8,
    "I8": 8,
    "F8_E5M2": 8,
    "F8_E4M3": 8,
    "F8_E8M0": 8,
    "F8_E4M3FNUZ": 8,
    "F8_E5M2FNUZ": 8,
    "I16": 16,
    "U16": 16,
    "F16": 16,
    "BF16": 16,
    "I32": 32,
    "U32": 32,
    "F32": 32,
    "C64": 64,
    "F64": 64,
    "I64": 64,
    "U64": 64,
}
_TENSOR_KEYS = frozenset({"dtype", "shape", "data_offsets"})


class ByteSource(Protocol):
    """Random access to a file's bytes (``workers.validators.base.Source``)."""

    @property
    def size(self) -> int: ...

    def read_at(self, offset: int, length: int) -> bytes:
        """Up to ``length`` bytes from ``offset``; fewer only at the end."""
        ...


@dataclass(frozen=True)
class HeaderProblem:
    """What is wrong (or odd) with a header: a stable code and plain words."""

    code: str
    message: str
    details: dict[str, Any] = field(default_factory=dict)


class SafetensorsHeaderError(Exception):
    """The header breaks the format; ``problem`` says how."""

    def __init__(self, problem: HeaderProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


@dataclass(frozen=True)
class TensorInfo:
    name: str
    dtype: str
    shape: tuple[int, ...]
    begin: int
    end: int

    @property
    def numel(self) -> int:
        count = 1
        for dim in self.shape:
            count *= dim
        return count


@dataclass
class SafetensorsHeader:
    tensors: list[TensorInfo]
    metadata: dict[str, str] | None
    header_length: int
    warnings: list[HeaderProblem] = field(default_factory=list)

    @property
    def parameters(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for tensor in self.tensors:
            counts[tensor.dtype] = counts.get(tensor.dtype, 0) + tensor.numel
        return dict(sorted(counts.items()))


def _fail(code: str, message: str, **details: Any) -> SafetensorsHeaderError:
    return SafetensorsHeaderError(HeaderProblem(code, message, details))


class _DuplicateKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(key)
        result[key] = value
    return result


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _read_exact(source: ByteSource, offset: int, length: int) -> bytes | None:
    if offset + length > source.size:
        return None
    data = source.read_at(offset, length)
    return data if len(data) == length else None


def safetensors_read_header(source: ByteSource) -> SafetensorsHeader:
    """Parse and check a safetensors header. Raises SafetensorsHeaderError."""
    size = source.size
    raw_length = _read_exact(source, 0, 8)
    if raw_length is None:
        raise _fail(
            "safetensors.truncated",
            f"This file is {size} bytes long, too short to be a safetensors file.",
        )
    (length,) = struct.unpack("<Q", raw_length)
    if length > MAX_HEADER_BYTES:
        raise _fail(
            "safetensors.header_too_large",
            f"This file declares a {human_size(length)} header; safetensors "
            f"headers are at most {human_size(MAX_HEADER_BYTES)}. The file is "
            "damaged or not a safetensors file.",
            header_length=length,
        )
    if 8 + length > size:
        raise _fail(
            "safetensors.truncated",
            f"This file declares a {human_size(length)} header but is only "
            f"{human_size(size)} long: it was cut short.",
            header_length=length,
        )
    raw = _read_exact(source, 8, length)
    assert raw is not None  # bounds checked just above
    header = _parse_json(raw)
    return _check_entries(header, length, size - 8 - length)


def _parse_json(raw: bytes) -> dict[str, Any]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _fail(
            "safetensors.header_invalid",
            "This file's header is not valid UTF-8 text.",
        ) from None
    if not text.startswith("{"):
        raise _fail(
            "safetensors.header_invalid",
            "This file's header does not start with a JSON object ('{').",
        )
    try:
        header = json.loads(
            text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant
        )
    except _DuplicateKeyError as exc:
        raise _fail(
            "safetensors.duplicate_name",
            f"This file's header lists {exc.key!r} twice; readers would disagree "
            "on which entry to use.",
            name=exc.key,
        ) from None
    except (ValueError, RecursionError) as exc:
        raise _fail(
            "safetensors.header_invalid",
            f"This file's header is not valid JSON ({exc}).",
        ) from None
    if not isinstance(header, dict):
        raise _fail(
            "safetensors.header_invalid", "This file's header is not a JSON object."
        )
    return header


def _check_entries(
    header: dict[str, Any], length: int, data_size: int
) -> SafetensorsHeader:
    metadata = header.pop("__metadata__", None)
    if metadata is not None and not (
        isinstance(metadata, dict)
        and all(isinstance(value, str) for value in metadata.values())
    ):
        raise _fail(
            "safetensors.metadata_invalid",
            "This file's __metadata__ must map text keys to text values.",
        )
    warnings: list[HeaderProblem] = []
    tensors: list[TensorInfo] = []
    for name, info in header.items():
        tensors.append(_tensor(name, info, data_size, warnings))
    _check_layout(tensors, data_size)
    return SafetensorsHeader(
        tensors=tensors, metadata=metadata, header_length=length, warnings=warnings
    )


def _tensor(
    name: str, info: Any, data_size: int, warnings: list[HeaderProblem]
) -> TensorInfo:
    if not isinstance(info, dict) or not set(info) >= _TENSOR_KEYS:
        raise _fail(
            "safetensors.header_invalid",
            f"Tensor {name!r} must have a dtype, a shape and data_offsets.",
            name=name,
        )
    extra = sorted(set(info) - _TENSOR_KEYS)
    if extra and not warnings:
        warnings.append(
            HeaderProblem(
                "safetensors.unknown_field",
                f"Tensor {name!r} has fields safetensors does not define "
                f"({', '.join(extra)}); readers ignore them.",
                {"name": name},
            )
        )
    dtype, shape = info["dtype"], info["shape"]
    _check_dtype_and_shape(name, dtype, shape)
    begin, end = _offsets(name, info["data_offsets"], data_size)
    _check_size(name, dtype, shape, begin, end)
    return TensorInfo(name, dtype, tuple(shape), begin, end)


def _check_dtype_and_shape(name: str, dtype: Any, shape: Any) -> None:
    if not isinstance(dtype, str) or dtype not in DTYPE_BITS:
        raise _fail(
            "safetensors.unknown_dtype",
            f"Tensor {name!r} has dtype {dtype!r}, which safetensors does not "
            f"define (known: {', '.join(DTYPE_BITS)}).",
            name=name,
        )
    if not isinstance(shape, list) or not all(
        _is_int(dim) and dim >= 0 for dim in shape
    ):
        raise _fail(
            "safetensors.header_invalid",
            f"Tensor {name!r} has shape {str(shape)[:100]}; a shape is a list of "
            "non-negative integers.",
            name=name,
        )


def _offsets(name: str, offsets: Any, data_size: int) -> tuple[int, int]:
    if (
        not isinstance(offsets, list)
        or len(offsets) != 2
        or not all(_is_int(x) and x >= 0 for x in offsets)
        or offsets[0] > offsets[1]
    ):
        raise _fail(
            "safetensors.header_invalid",
            f"Tensor {name!r} has data_offsets {str(offsets)[:100]}; they must be "
            "two non-negative integers [begin, end] with begin <= end.",
            name=name,
        )
    begin, end = offsets
    if end > data_size:
        raise _fail(
            "safetensors.out_of_bounds",
            f"Tensor {name!r} ends at byte {end} of the data, but the file holds "
            f"only {data_size} bytes of data.",
            name=name,
        )
    return begin, end


def _check_size(name: str, dtype: str, shape: list[int], begin: int, end: int) -> None:
    bits = DTYPE_BITS[dtype]
    # Multiply with an early exit: a hostile shape of many huge dimensions
    # must not build a million-digit integer before it is rejected.
    ceiling = (end - begin) * 8
    total_bits = bits
    if 0 in shape:
        total_bits = 0
    else:
        for dim in shape:
            total_bits *= dim
            if total_bits > ceiling:
                break
    if total_bits != ceiling:
        raise _fail(
            "safetensors.size_mismatch",
            f"Tensor {name!r} is declared as {dtype} with shape "
            f"{str(shape)[:100]}, which does not fit its {end - begin}-byte "
            "range.",
            name=name,
        )


def _check_layout(tensors: list[TensorInfo], data_size: int) -> None:
    ordered = sorted(tensors, key=lambda t: (t.begin, t.end))
    position = 0
    previous: TensorInfo | None = None
    for tensor in ordered:
        if tensor.begin < position:
            other = previous.name if previous else "?"
            raise _fail(
                "safetensors.overlap",
                f"Tensors {other!r} and {tensor.name!r} share bytes; every "
                "tensor must have its own range.",
                name=tensor.name,
            )
        if tensor.begin > position:
            raise _fail(
                "safetensors.gap",
                f"Bytes {position} to {tensor.begin} of the data belong to no "
                "tensor; the ranges must cover the data without gaps.",
                offset=position,
            )
        position = tensor.end
        previous = tensor
    if position != data_size:
        raise _fail(
            "safetensors.trailing_bytes",
            f"The file has {data_size - position} bytes after its last tensor, "
            "which belong to no tensor.",
            offset=position,
        )
