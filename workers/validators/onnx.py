"""ONNX models: a bounded walk of the protobuf, checking external data paths.

An ONNX file is one protobuf ``ModelProto``. Rather than load it whole
(the ``onnx`` package reads every byte into memory), this walks the wire
format with bounded reads, descending only into the messages that can hold
tensors (graphs, nodes, attributes, functions, training info) and skipping
everything else, raw tensor bytes included, by length.

A tensor stored outside the model names a file in ``external_data``'s
``location``. A runtime opens that path relative to the model, so a
location that is absolute or climbs out with ``..`` makes the loader read
files of the machine that loads the model (CVE-2024-27318): that is unsafe.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from hub.core.sizes import human_size
from workers.validators.base import (
    Finding,
    FormatError,
    Source,
    Verdict,
    make_verdict,
)

VALIDATOR_VERSION = "1"

# protobuf refuses messages of 2 GiB or more: ONNX keeps bigger weights in
# external files.
MAX_ONNX_BYTES = 2 * 1024**3 - 1
MAX_DEPTH = 32
MAX_FIELDS = 20_000_000
MAX_TEXT = 4096
MAX_LISTED_LOCATIONS = 1000
_DRIVE = re.compile(r"^[A-Za-z]:")

_VARINT, _FIXED64, _BYTES, _FIXED32 = 0, 1, 2, 5
_EXTERNAL = 1  # TensorProto.DataLocation.EXTERNAL


def _fail(code: str, message: str, **details: Any) -> FormatError:
    return FormatError(Finding("error", code, message, details))


def _invalid(problem: str) -> FormatError:
    return _fail("onnx.invalid", f"This file is not a readable ONNX model: {problem}.")


@dataclass
class OnnxInfo:
    ir_version: int | None = None
    producer: str = ""
    opsets: dict[str, int] = field(default_factory=dict)
    initializers: int = 0
    parameters: int = 0
    locations: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    has_graph: bool = False


class _Wire:
    """Protobuf wire-format reading over a Source, through a 1 MiB window."""

    WINDOW = 1 << 20

    def __init__(self, source: Source) -> None:
        self.source = source
        self.fields = 0
        self._buf = b""
        self._start = 0

    def bytes_at(self, pos: int, length: int) -> bytes:
        offset = pos - self._start
        if offset >= 0 and offset + length <= len(self._buf):
            return self._buf[offset : offset + length]
        if length > self.WINDOW:
            return self.source.read_at(pos, length)
        self._buf = self.source.read_at(pos, self.WINDOW)
        self._start = pos
        return self._buf[:length]

    def varint(self, pos: int, end: int) -> tuple[int, int]:
        chunk = self.bytes_at(pos, min(10, end - pos))
        value = 0
        for index, byte in enumerate(chunk):
            value |= (byte & 0x7F) << (7 * index)
            if not byte & 0x80:
                return value, pos + index + 1
        raise _invalid("a number is cut short or too long")

    def walk(self, start: int, end: int) -> Iterator[tuple[int, int, Any]]:
        """(field number, wire type, value or (start, end) of the payload)."""
        pos = start
        while pos < end:
            self.fields += 1
            if self.fields > MAX_FIELDS:
                raise _fail(
                    "onnx.too_complex",
                    f"This model has more than {MAX_FIELDS} protobuf fields, "
                    "more than this hub walks.",
                )
            key, pos = self.varint(pos, end)
            number, wire = key >> 3, key & 7
            if number == 0:
                raise _invalid("a field has number 0")
            if wire == _VARINT:
                value, pos = self.varint(pos, end)
                yield number, wire, value
            elif wire in (_FIXED64, _FIXED32):
                width = 8 if wire == _FIXED64 else 4
                if pos + width > end:
                    raise _invalid("a fixed-size field runs past its message")
                pos += width
            elif wire == _BYTES:
                length, pos = self.varint(pos, end)
                if length > end - pos:
                    raise _invalid("a field is longer than the message holding it")
                yield number, wire, (pos, pos + length)
                pos += length
            else:
                raise _invalid(f"a field uses wire type {wire}, which ONNX never uses")
        if pos != end:
            raise _invalid("a message runs past its declared end")

    def text(self, span: tuple[int, int]) -> str:
        start, end = span
        raw = self.bytes_at(start, min(end - start, MAX_TEXT))
        return raw.decode("utf-8", errors="replace")


class _Walker:
    def __init__(self, source: Source) -> None:
        self.wire = _Wire(source)
        self.info = OnnxInfo()

    def model(self, start: int, end: int) -> None:
        for number, wire, value in self.wire.walk(start, end):
            if number == 1 and wire == _VARINT:
                self.info.ir_version = value
            elif number == 2 and wire == _BYTES:
                self.info.producer = self.wire.text(value)[:100]
            elif number == 7 and wire == _BYTES:
                self.info.has_graph = True
                self.graph(value, 1, main=True)
            elif number == 8 and wire == _BYTES:
                self.opset(value)
            elif number == 20 and wire == _BYTES:
                self.training_info(value, 1)
            elif number == 25 and wire == _BYTES:
                self.function(value, 1)

    def opset(self, span: tuple[int, int]) -> None:
        domain, version = "", 0
        for number, wire, value in self.wire.walk(*span):
            if number == 1 and wire == _BYTES:
                domain = self.wire.text(value)[:100]
            elif number == 2 and wire == _VARINT:
                version = value
        self.info.opsets[domain or "ai.onnx"] = version

    def _deeper(self, depth: int) -> int:
        if depth > MAX_DEPTH:
            raise _fail(
                "onnx.too_complex",
                f"This model nests subgraphs more than {MAX_DEPTH} levels deep.",
            )
        return depth + 1

    def graph(self, span: tuple[int, int], depth: int, *, main: bool = False) -> None:
        depth = self._deeper(depth)
        for number, wire, value in self.wire.walk(*span):
            if wire != _BYTES:
                continue
            if number == 1:
                self.node(value, depth)
            elif number == 5:
                numel = self.tensor(value)
                if main:
                    self.info.initializers += 1
                    self.info.parameters += numel
            elif number == 15:
                self.sparse(value, main=main)

    def node(self, span: tuple[int, int], depth: int) -> None:
        for number, wire, value in self.wire.walk(*span):
            if number == 5 and wire == _BYTES:
                self.attribute(value, depth)

    def attribute(self, span: tuple[int, int], depth: int) -> None:
        for number, wire, value in self.wire.walk(*span):
            if wire != _BYTES:
                continue
            if number in (5, 10):
                self.tensor(value)
            elif number in (6, 11):
                self.graph(value, depth)
            elif number in (22, 23):
                self.sparse(value)

    def training_info(self, span: tuple[int, int], depth: int) -> None:
        for number, wire, value in self.wire.walk(*span):
            if number in (1, 2) and wire == _BYTES:
                self.graph(value, depth)

    def function(self, span: tuple[int, int], depth: int) -> None:
        for number, wire, value in self.wire.walk(*span):
            if number == 7 and wire == _BYTES:
                self.node(value, depth)

    def sparse(self, span: tuple[int, int], *, main: bool = False) -> None:
        for number, wire, value in self.wire.walk(*span):
            if number in (1, 2) and wire == _BYTES:
                numel = self.tensor(value)
                if main and number == 1:
                    self.info.initializers += 1
                    self.info.parameters += numel

    def tensor(self, span: tuple[int, int]) -> int:
        """Check one TensorProto's external data; return its element count."""
        dims: list[int] = []
        name = ""
        location_kind = 0
        entries: list[tuple[str, str]] = []
        for number, wire, value in self.wire.walk(*span):
            if number == 1 and wire == _VARINT:
                dims.append(value)
            elif number == 1 and wire == _BYTES:
                pos, end = value
                while pos < end:
                    dim, pos = self.wire.varint(pos, end)
                    dims.append(dim)
            elif number == 8 and wire == _BYTES:
                name = self.wire.text(value)[:200]
            elif number == 13 and wire == _BYTES:
                entries.append(self.entry(value))
            elif number == 14 and wire == _VARINT:
                location_kind = value
        if location_kind == _EXTERNAL or entries:
            self.external(name, dict(entries), location_kind)
        numel = 1
        for dim in dims:
            # int64 on the wire: a negative dim is encoded as a huge varint.
            numel *= dim if dim < 1 << 63 else 0
        return numel

    def entry(self, span: tuple[int, int]) -> tuple[str, str]:
        key = value_text = ""
        for number, wire, value in self.wire.walk(*span):
            if wire != _BYTES:
                continue
            if number == 1:
                key = self.wire.text(value)
            elif number == 2:
                value_text = self.wire.text(value)
        return key, value_text

    def external(self, name: str, entries: dict[str, str], kind: int) -> None:
        shown = f"tensor {name!r}" if name else "a tensor"
        location = entries.get("location", "")
        if kind != _EXTERNAL or not location:
            self.info.findings.append(
                Finding(
                    "error",
                    "onnx.external_data_invalid",
                    f"In this model, {shown} has an incomplete external data "
                    "reference (a location and EXTERNAL data_location are both "
                    "needed).",
                    {"tensor": name},
                )
            )
            return
        for key in ("offset", "length"):
            if key in entries and not entries[key].isdigit():
                self.info.findings.append(
                    Finding(
                        "error",
                        "onnx.external_data_invalid",
                        f"In this model, {shown} has an external data {key} "
                        f"{entries[key]!r} that is not a number.",
                        {"tensor": name},
                    )
                )
        problem = location_problem(location)
        if problem:
            self.info.findings.append(
                Finding(
                    "unsafe",
                    "onnx.external_data_outside",
                    f"In this model, {shown} reads its data from {location!r}, "
                    f"which is {problem}: loading the model would read a file "
                    "outside the repository on the user's machine.",
                    {"tensor": name, "location": location},
                )
            )
            return
        normalised = posixpath.normpath(location)
        if (
            normalised not in self.info.locations
            and len(self.info.locations) < MAX_LISTED_LOCATIONS
        ):
            self.info.locations.append(normalised)


def location_problem(location: str) -> str | None:
    """Why an external data location is not a path inside the model's folder."""
    if "\x00" in location:
        return "not a valid path"
    if location.startswith("/") or location.startswith("\\"):
        return "an absolute path"
    if "\\" in location:
        return "a Windows path"
    if _DRIVE.match(location):
        return "a path on another drive"
    if any(part == ".." for part in location.split("/")):
        return "a path leading out of the model's folder"
    return None


def read_onnx(source: Source) -> OnnxInfo:
    """Walk an ONNX model's protobuf. Raises FormatError if unreadable."""
    if source.size > MAX_ONNX_BYTES:
        raise _fail(
            "onnx.too_large",
            f"This file is {human_size(source.size)}; ONNX models must stay under "
            "2 GiB (store larger weights as external data).",
        )
    if source.size == 0:
        raise _invalid("it is empty")
    walker = _Walker(source)
    walker.model(0, source.size)
    info = walker.info
    if info.ir_version is None or not info.has_graph:
        raise _invalid("it has no IR version or no graph")
    return info


def validate_onnx(source: Source, path: str = "") -> Verdict:
    """Check an ONNX model's structure and its external data locations."""
    try:
        info = read_onnx(source)
    except FormatError as exc:
        return make_verdict([exc.finding], {"format": "onnx"}, readable=False)
    metadata: dict[str, Any] = {
        "format": "onnx",
        "ir_version": info.ir_version,
        "opsets": info.opsets,
        "initializers": info.initializers,
        "parameters": info.parameters,
    }
    if info.producer:
        metadata["producer"] = info.producer
    if info.locations:
        metadata["external_data"] = sorted(info.locations)
    return make_verdict(list(info.findings), metadata)
