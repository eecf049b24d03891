"""Parameter counts read from safetensors headers, never from tensor data.

A safetensors file starts with the header's length as an unsigned 64-bit
little-endian integer, then that many bytes of JSON: one entry per tensor
(``dtype``, ``shape``, ``data_offsets``) plus an optional ``__metadata__``
mapping of strings. Only the header is read, through a byte-range reader,
so a multi-GB file costs one small read. Headers above MAX_HEADER_BYTES are
refused (the format's own reference implementation caps them at 100 MB).
"""

from __future__ import annotations

import json
import math
import struct
from collections.abc import Callable
from dataclasses import dataclass, field

from hub.core.errors import ValidationError

MAX_HEADER_BYTES = 100 * 1000 * 1000
METADATA_KEY = "__metadata__"

# Reads ``length`` bytes at ``offset`` (fewer only at the end of the file).
RangeReader = Callable[[int, int], bytes]


class SafetensorsHeaderError(ValidationError):
    code = "invalid_safetensors"


@dataclass(frozen=True)
class SafetensorsHeader:
    """Parameters per dtype (e.g. ``{"F32": 6}``) and the free-form metadata."""

    parameters: dict[str, int] = field(default_factory=dict)
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.parameters.values())


def safetensors_parse_header(raw: bytes) -> SafetensorsHeader:
    """Parse the JSON header (without its 8-byte length prefix).

    Raises SafetensorsHeaderError saying what is wrong.
    """
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:
        raise SafetensorsHeaderError(f"The header is not JSON: {exc}.") from None
    if not isinstance(data, dict):
        raise SafetensorsHeaderError("The header must be a JSON object.")
    parameters: dict[str, int] = {}
    metadata: dict[str, str] = {}
    for name, info in data.items():
        if name == METADATA_KEY:
            if not isinstance(info, dict):
                raise SafetensorsHeaderError("__metadata__ must be an object.")
            metadata = {str(k): str(v) for k, v in info.items()}
            continue
        if not isinstance(info, dict):
            raise SafetensorsHeaderError(f"Tensor {name!r} is not described.")
        dtype = info.get("dtype")
        shape = info.get("shape")
        if not isinstance(dtype, str) or not dtype:
            raise SafetensorsHeaderError(f"Tensor {name!r} has no dtype.")
        if not isinstance(shape, list) or not all(
            isinstance(dim, int) and not isinstance(dim, bool) and dim >= 0
            for dim in shape
        ):
            raise SafetensorsHeaderError(
                f"Tensor {name!r} has an invalid shape: {shape!r}."
            )
        parameters[dtype] = parameters.get(dtype, 0) + math.prod(shape)
    return SafetensorsHeader(parameters=parameters, metadata=metadata)


def safetensors_read_header(*, read: RangeReader, size: int) -> SafetensorsHeader:
    """Read and parse the header of a ``size``-byte file through ``read``."""
    if size < 8:
        raise SafetensorsHeaderError("The file is too short to be safetensors.")
    prefix = read(0, 8)
    if len(prefix) != 8:
        raise SafetensorsHeaderError("The header length could not be read.")
    (length,) = struct.unpack("<Q", prefix)
    if length > MAX_HEADER_BYTES:
        raise SafetensorsHeaderError(
            f"The header is {length} bytes; at most {MAX_HEADER_BYTES} are read."
        )
    if 8 + length > size:
        raise SafetensorsHeaderError("The header is longer than the file.")
    raw = read(8, length)
    if len(raw) != length:
        raise SafetensorsHeaderError("The header was cut short.")
    return safetensors_parse_header(raw)
