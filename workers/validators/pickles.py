"""Pickle scanning by disassembly: every stream, every import, nothing loaded.

A pickle is a small program; loading it runs it. The only way it reaches a
Python function is an import (GLOBAL, STACK_GLOBAL, INST) or the extension
registry (EXT1/2/4). This module walks every opcode with
``pickletools.genops`` (never ``pickle.load``), keeps a symbolic stack and
memo so that STACK_GLOBAL's module and name can be resolved statically, and
compares each import against :data:`ALLOWED_GLOBALS`: what real PyTorch and
NumPy checkpoints need and nothing else.

Fail-closed: a stream that cannot be disassembled completely, an import
whose name is computed at load time, a call through something that was not
imported by name, bytes after the last stream: all quarantine. A second
scanner from PyPI (picklescan) reads the same bytes; any finding of its
quarantines too.
"""

from __future__ import annotations

import _compat_pickle
import ast
import io
import logging
import pickle
import pickletools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import metadata as importlib_metadata
from typing import Any, Literal

from picklescan.scanner import SafetyLevel, scan_pickle_bytes

from hub.core.sizes import human_size
from workers.validators.base import (
    Finding,
    SliceSource,
    Source,
    Verdict,
    make_verdict,
)

logger = logging.getLogger(__name__)

VALIDATOR_VERSION = "2"
PICKLESCAN_VERSION = importlib_metadata.version("picklescan")

# Pickles outside a zip are read whole to be scanned; above this they are
# refused (quarantined) rather than half-read. A torch zip's data.pkl is a
# few hundred KB even for a 70B model: its tensors live in other members.
MAX_PICKLE_BYTES = 64 * 1024 * 1024

# torch.save's legacy (pre-1.6, non-zip) format starts with a pickle of this
# number, then four more pickles, then raw tensor bytes torch.load reads
# without unpickling them.
TORCH_LEGACY_MAGIC = 0x1950A86A20F9469CFC6C
TORCH_LEGACY_STREAMS = 5

_TORCH_STORAGES = """
    DoubleStorage FloatStorage HalfStorage BFloat16Storage LongStorage
    IntStorage ShortStorage CharStorage ByteStorage BoolStorage
    ComplexFloatStorage ComplexDoubleStorage QUInt8Storage QInt8Storage
    QInt32Storage QUInt4x2Storage QUInt2x4Storage UntypedStorage
""".split()  # noqa: SIM905 - word lists read better than quoted rows
# Non-callable constants that torch pickles by name: dtypes (a state dict of
# dtypes, or _rebuild_tensor_v3's dtype argument), quantization schemes,
# layouts and memory formats.
_TORCH_CONSTANTS = """
    float32 float float64 double float16 half bfloat16 complex32 chalf
    complex64 cfloat complex128 cdouble uint8 uint16 uint32 uint64 int8 int16
    short int32 int int64 long bool float8_e4m3fn float8_e4m3fnuz float8_e5m2
    float8_e5m2fnuz float8_e8m0fnu float4_e2m1fn_x2 quint8 qint8 qint32
    quint4x2 quint2x4 per_tensor_affine per_channel_affine
    per_tensor_symmetric per_channel_symmetric per_channel_affine_float_qparams
    strided sparse_coo sparse_csr sparse_csc sparse_bsr sparse_bsc
    contiguous_format channels_last channels_last_3d preserve_format
""".split()  # noqa: SIM905
_TORCH_REBUILD = """
    _rebuild_tensor _rebuild_tensor_v2 _rebuild_tensor_v3 _rebuild_parameter
    _rebuild_parameter_with_state _rebuild_qtensor _rebuild_sparse_tensor
""".split()  # noqa: SIM905

ALLOWED_GLOBALS: frozenset[tuple[str, str]] = frozenset(
    [
        # torch.save writes one of these per tensor: they rebuild a tensor
        # (or Parameter) as a view over a storage the loader supplies.
        *(("torch._utils", name) for name in _TORCH_REBUILD),
        # Tensor subclasses: calls an allowlisted rebuild function, then
        # as_subclass with a class that must itself be allowlisted.
        ("torch._tensor", "_rebuild_from_type_v2"),
        ("torch", "Tensor"),
        ("torch.nn.parameter", "Parameter"),
        # Storage classes named in persistent ids; the loader maps them to
        # the raw bytes of data/<n>.
        *(("torch", name) for name in _TORCH_STORAGES),
        ("torch.storage", "UntypedStorage"),
        ("torch", "Size"),  # a tuple of ints
        ("torch", "device"),  # parses a string such as "cpu"
        *(("torch", name) for name in _TORCH_CONSTANTS),
        # Every state_dict is an OrderedDict.
        ("collections", "OrderedDict"),
        # Protocol-2 pickles (torch.save's default) store bytes as
        # _codecs.encode(text, "latin1"); codec lookup only imports modules
        # inside the standard ``encodings`` package.
        ("_codecs", "encode"),
        # Plain containers some state dicts hold (protocol 2 spells them
        # __builtin__.set and so on; names are normalised before this check).
        *(("builtins", name) for name in ("set", "frozenset", "bytearray")),
        *(("builtins", name) for name in ("slice", "complex")),
        # NumPy arrays and scalars, under numpy 1 (numpy.core) and numpy 2
        # (numpy._core) names; _frombuffer is protocol 5's array rebuild.
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
        *(
            (f"numpy.{core}.{module}", name)
            for core in ("core", "_core")
            for module, name in (
                ("multiarray", "_reconstruct"),
                ("multiarray", "scalar"),
                ("numeric", "_frombuffer"),
            )
        ),
    ]
)

# Imports that are not merely "not allowed" but known to be dangerous, with
# what they let a pickle do, in words for the owner. Keys are modules
# ("os") or exact "module.name" pairs ("builtins.eval").
_DANGER_GROUPS = {
    "can run commands on the machine that loads this file": """
        os posix nt subprocess pty commands platform
    """,
    "can run arbitrary Python code when the file is loaded": """
        builtins.eval builtins.exec builtins.compile builtins.breakpoint
        builtins.input runpy code codeop timeit cProfile profile pdb bdb trace
        types marshal pickle _pickle dill cloudpickle joblib torch.load
        torch.serialization torch.jit numpy.load numpy.f2py numpy.testing
    """,
    "can reach any other function, including ones that run commands": """
        builtins.getattr builtins.setattr builtins.delattr builtins.__import__
        builtins.globals builtins.vars builtins.locals importlib pkgutil pydoc
        operator.attrgetter operator.methodcaller operator.itemgetter
        _operator.attrgetter _operator.methodcaller _operator.itemgetter
        functools.partial functools.reduce sys inspect
    """,
    "can read, overwrite or delete files": """
        builtins.open io _io shutil tempfile pathlib glob logging.FileHandler
        zipfile tarfile
    """,
    "can connect to other machines over the network": """
        socket ssl http urllib requests httpx aiohttp smtplib ftplib webbrowser
        asyncio
    """,
    "can call native code directly": "ctypes _ctypes cffi",
}
_DANGER: dict[str, str] = {
    name: what for what, names in _DANGER_GROUPS.items() for name in names.split()
}

_ALIASES = {"posix": "os", "nt": "os", "_io": "io", "_operator": "operator"}


def normalise_global(module: str, name: str) -> tuple[str, str]:
    """The (module, name) the unpickler imports for a protocol < 3 pickle.

    ``__builtin__.set`` becomes ``builtins.set`` and ``commands`` becomes
    ``subprocess``, as ``pickle``'s ``fix_imports`` does.
    """
    if (module, name) in _compat_pickle.NAME_MAPPING:
        mapped_module, mapped_name = _compat_pickle.NAME_MAPPING[(module, name)]
        return mapped_module, mapped_name
    return _compat_pickle.IMPORT_MAPPING.get(module, module), name


def danger_of(module: str, name: str) -> str | None:
    """What a non-allowlisted import can do, if it is a known danger."""
    for mod in (module, normalise_global(module, name)[0]):
        qualified = f"{mod}.{name}"
        if qualified in _DANGER:
            return _DANGER[qualified]
        parts = mod.split(".")
        for cut in range(len(parts), 0, -1):
            prefix = ".".join(parts[:cut])
            if prefix in _DANGER:
                return _DANGER[prefix]
    return None


def _display(module: str, name: str) -> str:
    shown = f"{module}.{name}"
    alias = _ALIASES.get(module)
    if alias:
        shown += f" (the same as {alias}.{name})"
    return shown


# --- the symbolic machine ---------------------------------------------------


class _Unknown:
    """Any value the scanner does not need to know (numbers, containers, calls)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<unknown>"


UNKNOWN = _Unknown()


@dataclass(frozen=True)
class _Global:
    module: str
    name: str


class _Broken(Exception):
    """The stream would make the unpickler raise here (underflow, bad memo)."""


_STRING_OPS = frozenset(
    """STRING BINSTRING SHORT_BINSTRING UNICODE BINUNICODE SHORT_BINUNICODE
    BINUNICODE8""".split()  # noqa: SIM905
)
_CONSTANT_OPS = frozenset(
    """INT BININT BININT1 BININT2 LONG LONG1 LONG4 FLOAT BINFLOAT NONE NEWTRUE
    NEWFALSE BINBYTES SHORT_BINBYTES BINBYTES8 BYTEARRAY8 NEXT_BUFFER
    EMPTY_LIST EMPTY_TUPLE EMPTY_DICT EMPTY_SET""".split()  # noqa: SIM905
)
_MEMO_PUT_OPS = frozenset({"PUT", "BINPUT", "LONG_BINPUT"})
_MEMO_GET_OPS = frozenset({"GET", "BINGET", "LONG_BINGET"})


class _Machine:
    """Follows one stream's stack and memo as the unpickler would, symbolically."""

    def __init__(self, scanner: _Scanner) -> None:
        self.scanner = scanner
        self.stack: list[Any] = []
        self.metastack: list[list[Any]] = []
        self.memo: dict[int, Any] = {}
        self.ops: list[tuple[str, Any]] = []  # kept only for the legacy check

    def pop(self) -> Any:
        if not self.stack:
            raise _Broken("the stream takes a value from an empty stack")
        return self.stack.pop()

    def top(self) -> Any:
        if not self.stack:
            raise _Broken("the stream uses a value from an empty stack")
        return self.stack[-1]

    def pop_mark(self) -> list[Any]:
        if not self.metastack:
            raise _Broken("the stream closes a group that was never opened")
        items = self.stack
        self.stack = self.metastack.pop()
        return items

    def step(self, name: str, arg: Any, pos: int) -> None:
        if len(self.ops) < 8:
            self.ops.append((name, arg))
        scanner = self.scanner
        if name in _STRING_OPS:
            self.stack.append(arg if isinstance(arg, str) else UNKNOWN)
        elif name in _CONSTANT_OPS:
            self.stack.append(UNKNOWN)
        elif name == "PROTO":
            if not isinstance(arg, int) or arg > pickle.HIGHEST_PROTOCOL:
                raise _Broken(f"protocol {arg} does not exist")
        elif name in ("FRAME", "READONLY_BUFFER"):
            if name == "READONLY_BUFFER":
                self.top()
        elif name == "MARK":
            self.metastack.append(self.stack)
            self.stack = []
        elif name == "POP":
            if self.stack:
                self.stack.pop()
            else:
                self.pop_mark()
        elif name == "POP_MARK":
            self.pop_mark()
        elif name == "DUP":
            self.stack.append(self.top())
        elif name in _MEMO_PUT_OPS:
            if not isinstance(arg, int) or arg < 0:
                raise _Broken("the stream stores a value under a negative index")
            self.memo[arg] = self.top()
        elif name == "MEMOIZE":
            self.memo[len(self.memo)] = self.top()
        elif name in _MEMO_GET_OPS:
            if arg not in self.memo:
                raise _Broken(f"the stream reads memo slot {arg}, which is empty")
            self.stack.append(self.memo[arg])
        elif name in ("LIST", "TUPLE", "DICT", "FROZENSET"):
            self.pop_mark()
            self.stack.append(UNKNOWN)
        elif name in ("TUPLE1", "TUPLE2", "TUPLE3"):
            for _ in range(int(name[-1])):
                self.pop()
            self.stack.append(UNKNOWN)
        elif name == "APPEND":
            self.pop()
            self._mutate(self.top(), pos)
        elif name in ("APPENDS", "SETITEMS", "ADDITEMS"):
            self.pop_mark()
            self._mutate(self.top(), pos)
        elif name == "SETITEM":
            self.pop()
            self.pop()
            self._mutate(self.top(), pos)
        elif name == "BUILD":
            self.pop()
            self._mutate(self.top(), pos)
        elif name == "GLOBAL":
            module, _, attr = str(arg).partition(" ")
            self.stack.append(scanner.imported(module, attr, pos))
        elif name == "STACK_GLOBAL":
            attr = self.pop()
            module = self.pop()
            if isinstance(module, str) and isinstance(attr, str):
                self.stack.append(scanner.imported(module, attr, pos))
            else:
                scanner.dynamic_global(pos)
                self.stack.append(UNKNOWN)
        elif name == "INST":
            self.pop_mark()
            module, _, attr = str(arg).partition(" ")
            scanner.imported(module, attr, pos)
            self.stack.append(UNKNOWN)
        elif name == "OBJ":
            items = self.pop_mark()
            if not items:
                raise _Broken("the stream creates an object without a class")
            self._call(items[0], pos)
            self.stack.append(UNKNOWN)
        elif name in ("NEWOBJ", "NEWOBJ_EX"):
            self.pop()
            if name == "NEWOBJ_EX":
                self.pop()
            self._call(self.pop(), pos)
            self.stack.append(UNKNOWN)
        elif name == "REDUCE":
            self.pop()
            self._call(self.pop(), pos)
            self.stack.append(UNKNOWN)
        elif name in ("EXT1", "EXT2", "EXT4"):
            scanner.extension_code(arg, pos)
            self.stack.append(UNKNOWN)
        elif name == "PERSID":
            self.stack.append(UNKNOWN)
        elif name == "BINPERSID":
            self.pop()
            self.stack.append(UNKNOWN)
        elif name == "STOP":
            self.pop()
        else:  # pragma: no cover - every opcode of protocol 0..5 is handled
            raise _Broken(f"opcode {name} is not understood")

    def _call(self, target: Any, pos: int) -> None:
        if not isinstance(target, _Global):
            self.scanner.indirect_call(pos)

    def _mutate(self, target: Any, pos: int) -> None:
        if isinstance(target, _Global):
            self.scanner.modifies_global(target, pos)

    def is_legacy_magic(self) -> bool:
        values = [arg for name, arg in self.ops if name not in ("PROTO", "STOP")]
        names = [name for name, _ in self.ops if name not in ("PROTO", "STOP")]
        return names in (["LONG1"], ["LONG"]) and values[0] == TORCH_LEGACY_MAGIC


class _Reader:
    """A bounded, buffered file-like view of a Source for ``genops``.

    Reads never go past ``limit`` (so a declared length of 2**62 cannot
    make anything allocate it); ``hit_limit`` tells a cut-off from an end.
    """

    CHUNK = 1 << 20

    def __init__(self, source: Source, limit: int, *, chunk: int = CHUNK) -> None:
        self.source = source
        self.end = min(source.size, limit)
        self.chunk = chunk
        self.pos = 0
        self.hit_limit = False
        self._buf = b""
        self._buf_start = 0

    def tell(self) -> int:
        return self.pos

    def seek(self, pos: int) -> None:
        self.pos = pos

    def _get(self, pos: int, n: int) -> bytes:
        start = pos - self._buf_start
        if start >= 0 and start + n <= len(self._buf):
            return self._buf[start : start + n]
        if n <= self.chunk:
            self._buf = self.source.read_at(pos, min(self.chunk, self.end - pos))
            self._buf_start = pos
            return self._buf[:n]
        return self.source.read_at(pos, n)

    def read(self, n: int = -1) -> bytes:
        available = max(0, self.end - self.pos)
        if n is None or n < 0:
            n = available
        if n > available:
            # Past the window but inside the file: more than is scanned. Past
            # the file itself: a truncation, which every unpickler dies on.
            if self.end < self.source.size and self.pos + n <= self.source.size:
                self.hit_limit = True
            n = available
        data = self._get(self.pos, n)
        self.pos += len(data)
        return data

    def readline(self) -> bytes:
        parts = []
        while self.pos < self.end:
            chunk = self._get(self.pos, min(self.chunk, self.end - self.pos))
            if not chunk:
                break
            cut = chunk.find(b"\n")
            if cut >= 0:
                parts.append(chunk[: cut + 1])
                self.pos += cut + 1
                return b"".join(parts)
            parts.append(chunk)
            self.pos += len(chunk)
        if self.end < self.source.size:
            self.hit_limit = True
        return b"".join(parts)


# Findings that mean "the bytes are not a complete, well-formed pickle".
PARSE_FAILURES = frozenset(
    {"pickle.malformed", "pickle.truncated", "pickle.trailing_data"}
)


class _MemoryReader(io.BytesIO):
    """A whole small source in memory, with the _Reader attributes."""

    hit_limit = False

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.end = len(data)


@dataclass
class PickleScan:
    """What a scan found: findings, imports (raw, as written) and extent."""

    findings: list[Finding] = field(default_factory=list)
    imports: list[tuple[str, str]] = field(default_factory=list)
    streams: int = 0
    end: int = 0
    is_legacy_torch: bool = False
    protocol: int | None = None

    @property
    def is_unsafe(self) -> bool:
        return any(finding.severity == "unsafe" for finding in self.findings)


class _Scanner:
    def __init__(self, where: str) -> None:
        self.where = where
        self.result = PickleScan()
        self._seen: set[tuple[str, str]] = set()
        self._flagged: set[str] = set()

    def add(self, code: str, message: str, **details: Any) -> None:
        self.result.findings.append(Finding("unsafe", code, message, details))

    def imported(self, module: str, name: str, pos: int) -> _Global:
        key = (module, name)
        if key not in self._seen:
            self._seen.add(key)
            self.result.imports.append(key)
            self._judge(module, name, pos)
        return _Global(module, name)

    def _judge(self, module: str, name: str, pos: int) -> None:
        normalised = normalise_global(module, name)
        if normalised in ALLOWED_GLOBALS:
            return
        shown = _display(module, name)
        details = {"global": f"{module}.{name}", "offset": pos}
        danger = danger_of(module, name)
        if danger is not None:
            self.add(
                "pickle.dangerous_import",
                f"{self.where} imports {shown}, which {danger}.",
                **details,
            )
        elif normalised[0].startswith(("torch.nn.", "__main__", "__torch__")):
            self.add(
                "pickle.full_model",
                f"{self.where} stores a whole {module}.{name} object instead of "
                "only its weights; loading it runs that class's code. Save "
                "model.state_dict() instead, preferably with safetensors.",
                **details,
            )
        else:
            self.add(
                "pickle.global_not_allowed",
                f"{self.where} imports {shown}, which is not one of the "
                "functions a checkpoint needs to rebuild its tensors; loading "
                "it would run code this hub has not vetted. Save the weights "
                "with safetensors instead.",
                **details,
            )

    def _once(self, code: str) -> bool:
        if code in self._flagged:
            return False
        self._flagged.add(code)
        return True

    def dynamic_global(self, pos: int) -> None:
        if self._once("pickle.dynamic_global"):
            self.add(
                "pickle.dynamic_global",
                f"{self.where} imports a function whose name is only computed "
                "while loading, a trick used to hide what it runs.",
                offset=pos,
            )

    def indirect_call(self, pos: int) -> None:
        if self._once("pickle.indirect_call"):
            self.add(
                "pickle.indirect_call",
                f"{self.where} calls something it did not import by name "
                "(the result of another call), a trick used to reach "
                "functions that run commands.",
                offset=pos,
            )

    def modifies_global(self, target: _Global, pos: int) -> None:
        if self._once("pickle.modifies_global"):
            self.add(
                "pickle.modifies_global",
                f"{self.where} changes {target.module}.{target.name} itself "
                "while loading, which alters code other files rely on.",
                offset=pos,
                **{"global": f"{target.module}.{target.name}"},
            )

    def extension_code(self, code: Any, pos: int) -> None:
        if self._once("pickle.extension_code"):
            self.add(
                "pickle.extension_code",
                f"{self.where} imports a function through the copyreg "
                f"extension registry (code {code}), so what it loads depends "
                "on the loading program and cannot be checked.",
                offset=pos,
            )


def scan_pickle(
    source: Source, *, where: str = "This file", limit: int = MAX_PICKLE_BYTES
) -> PickleScan:
    """Disassemble every pickle stream in ``source``; never unpickle.

    Streams are scanned back to back until the end of the source (a legacy
    torch file stops after its five pickles: raw tensor bytes follow).
    ``where`` starts each message ("This file", "The archive member 'x'").
    """
    scanner = _Scanner(where)
    result = scanner.result
    reader: _Reader | _MemoryReader
    if source.size <= limit:
        # Small enough to hold: genops then reads through C-level BytesIO.
        reader = _MemoryReader(source.read_at(0, source.size))
    else:
        reader = _Reader(source, limit)
    if source.size == 0:
        scanner.add("pickle.malformed", f"{where} is empty, not a pickle.")
        return result
    pos = 0
    while pos < source.size:
        if result.is_legacy_torch and result.streams >= TORCH_LEGACY_STREAMS:
            break
        if pos >= reader.end:
            _too_large(scanner, limit)
            break
        reader.seek(pos)
        machine = _Machine(scanner)
        ops = 0
        error: str | None = None
        try:
            for opcode, arg, op_pos in _genops(reader):
                ops += 1
                if opcode.name == "PROTO" and result.protocol is None:
                    result.protocol = arg
                machine.step(opcode.name, arg, op_pos if op_pos is not None else 0)
        except _Broken as exc:
            error = f"broken:{exc}"
        except Exception as exc:  # genops raises ValueError and friends
            error = f"parse:{exc}"
        if error is None:
            result.streams += 1
            pos = reader.tell()
            result.end = pos
            if result.streams == 1 and machine.is_legacy_magic():
                result.is_legacy_torch = True
            continue
        if reader.hit_limit:
            _too_large(scanner, limit)
        elif error.startswith("broken:"):
            scanner.add(
                "pickle.malformed",
                f"{where} cannot be read completely as a pickle "
                f"({error[7:]}); it is refused because what cannot be read "
                "cannot be shown to be safe.",
                stream=result.streams + 1,
            )
        elif ops == 0 and result.streams > 0:
            scanner.add(
                "pickle.trailing_data",
                f"{where} has {human_size(source.size - pos)} after the end of "
                "its last pickle, where extra content can hide.",
                offset=pos,
            )
        elif reader.tell() >= source.size and "unknown" not in error:
            scanner.add(
                "pickle.truncated",
                f"{where} ends in the middle of a pickle: it was cut short or "
                "made to fail after running its payload. It is refused because "
                "it cannot be read completely.",
                stream=result.streams + 1,
            )
        else:
            scanner.add(
                "pickle.malformed",
                f"{where} is not a well-formed pickle ({error[6:]}); it is "
                "refused because what cannot be read cannot be shown to be "
                "safe.",
                stream=result.streams + 1,
            )
        result.end = reader.tell()
        break
    parse_failed = any(f.code in PARSE_FAILURES for f in result.findings)
    if (
        result.is_legacy_torch
        and result.streams < TORCH_LEGACY_STREAMS
        and not (parse_failed)
    ):
        scanner.add(
            "pickle.truncated",
            f"{where} starts like a legacy PyTorch file but holds only "
            f"{result.streams} of its {TORCH_LEGACY_STREAMS} pickles.",
        )
    return result


def _too_large(scanner: _Scanner, limit: int) -> None:
    scanner.add(
        "pickle.too_large",
        f"{scanner.where} holds more than {human_size(limit)} of pickle, more "
        "than this hub scans. Save the weights with safetensors instead.",
    )


def _genops(reader: _Reader | _MemoryReader) -> Iterator[tuple[Any, Any, int | None]]:
    # pickletools.genops only disassembles: it reads opcodes and their
    # arguments and never imports or calls anything.
    return pickletools.genops(reader)  # type: ignore[arg-type]


# --- what an unpickler makes of any file ---------------------------------------

# How far an unpickler reading a file from its first byte gets (see reach).
Reach = Literal["none", "imports", "complete", "beyond"]
# The stream of a file that is not a pickle dies within a few bytes: read
# it in small pieces rather than by the megabyte.
_PROBE_CHUNK = 64 * 1024


class _Reached(Exception):
    """The stream gets to an import the unpickler could carry out."""


class _Probe(_Scanner):
    """A scanner that stops at the first import a real unpickler could make,
    and at the first step where a real unpickler would raise instead."""

    def imported(self, module: str, name: str, pos: int) -> _Global:
        if _importable(module) and _importable(name):
            raise _Reached
        # find_class of a name that is not a dotted identifier raises.
        raise _Broken("the stream imports something that cannot exist")

    def dynamic_global(self, pos: int) -> None:
        raise _Reached  # a name it cannot see: assume the worst

    def indirect_call(self, pos: int) -> None:
        # Nothing was imported yet, so the callee is a constant or a
        # container: calling it raises TypeError.
        raise _Broken("the stream calls something that is not callable")

    def extension_code(self, code: Any, pos: int) -> None:
        # copyreg's extension registry is empty unless a program fills it.
        raise _Broken(f"extension code {code} is not registered")


# Opcodes every pickle loader dies on when it reads a file from byte 0:
# none of them sets persistent_load for that first stream (torch's legacy
# format reads its magic number with a plain pickle.load).
_DEAD_OPS = frozenset({"PERSID", "BINPERSID"})
_OPCODES = {opcode.code: opcode for opcode in pickletools.opcodes}


def _probe_ops(reader: _Reader) -> Iterator[tuple[Any, Any, int]]:
    """``pickletools.genops``, stopping before reading the argument of an
    opcode the loader dies on (a PERSID line can be gigabytes long)."""
    while True:
        pos = reader.tell()
        code = reader.read(1)
        opcode = _OPCODES.get(code.decode("latin-1")) if code else None
        if opcode is None or opcode.name in _DEAD_OPS:
            raise _Broken(f"the unpickler stops at byte {pos}")
        # The readers only call read/readline, which _Reader has.
        stream: Any = reader
        arg = opcode.arg.reader(stream) if opcode.arg is not None else None
        yield opcode, arg, pos
        if opcode.name == "STOP":
            return


def _importable(text: str) -> bool:
    return 0 < len(text) <= 1024 and all(
        part.isidentifier() for part in text.split(".")
    )


def reach(source: Source, *, limit: int = MAX_PICKLE_BYTES) -> Reach:
    """How far ``pickle.load`` (or torch.load, numpy.load, joblib.load) on
    this file would get, found by disassembly; nothing is unpickled.

    ``"none"``: it raises before importing anything, so it runs nothing;
    ``"imports"``: it reaches an import it could carry out; ``"complete"``:
    its first stream ends without importing anything; ``"beyond"``: the
    stream is still going after ``limit`` bytes. Any file can be handed to
    a pickle loader whatever its name or format, which is why every file
    gets this check.
    """
    if source.size == 0:
        return "none"
    reader = _Reader(source, limit, chunk=_PROBE_CHUNK)
    machine = _Machine(_Probe("This file"))
    try:
        for opcode, arg, pos in _probe_ops(reader):
            machine.step(opcode.name, arg, pos)
    except _Reached:
        return "imports"
    except Exception:  # genops' ValueError, _Broken: where the unpickler dies
        return "beyond" if reader.hit_limit else "none"
    return "complete"


def picklescan_findings(
    data: bytes, *, where: str, our_imports: Iterable[tuple[str, str]]
) -> list[Finding]:
    """Run picklescan on the same bytes; any finding of its is unsafe."""
    try:
        result = scan_pickle_bytes(io.BytesIO(data), "upload", multiple_pickles=True)
    except Exception as exc:
        logger.info("picklescan failed: %s", exc)
        return [
            Finding(
                "unsafe",
                "picklescan.error",
                f"The second pickle scanner (picklescan) could not read "
                f"{_lower(where)} ({exc}); it is refused to be safe.",
            )
        ]
    findings: list[Finding] = []
    if result.scan_err:
        findings.append(
            Finding(
                "unsafe",
                "picklescan.error",
                f"The second pickle scanner (picklescan) could not read "
                f"{_lower(where)} completely; it is refused to be safe.",
            )
        )
    dangerous = sorted(
        {
            f"{g.module}.{g.name}"
            for g in result.globals
            if g.safety == SafetyLevel.Dangerous
        }
    )
    if dangerous:
        findings.append(
            Finding(
                "unsafe",
                "picklescan.dangerous",
                f"The second pickle scanner (picklescan) flags {_lower(where)}: "
                f"it imports {', '.join(dangerous)}.",
                {"globals": dangerous},
            )
        )
    ours = set(our_imports)
    missed = sorted(
        f"{g.module}.{g.name}"
        for g in result.globals
        if (g.module, g.name) not in ours and g.safety != SafetyLevel.Dangerous
    )
    if missed:
        findings.append(
            Finding(
                "unsafe",
                "picklescan.disagreement",
                f"The two pickle scanners disagree about what {_lower(where)} "
                f"imports ({', '.join(missed)}); it is refused to be safe.",
                {"globals": missed},
            )
        )
    return findings


def _lower(where: str) -> str:
    return where[:1].lower() + where[1:]


def pickle_findings(source: Source, *, where: str) -> tuple[PickleScan, list[Finding]]:
    """Both scanners on one pickle source; returns the scan and all findings."""
    scan = scan_pickle(source, where=where)
    findings = list(scan.findings)
    if not any(f.code == "pickle.too_large" for f in findings) and scan.end > 0:
        data = source.read_at(0, scan.end)
        findings += picklescan_findings(data, where=where, our_imports=scan.imports)
    if scan.is_legacy_torch:
        findings.append(
            Finding(
                "warning",
                "pickle.legacy_torch",
                f"{where} uses PyTorch's pre-1.6 serialization format. Re-save "
                "it with a current PyTorch, or better, with safetensors.",
            )
        )
    return scan, findings


def pickle_format_warning(subject: str) -> Finding:
    """The warning every accepted pickle gets; ``subject`` opens the sentence."""
    return Finding(
        "warning",
        "pickle.format",
        f"{subject} only uses functions that rebuild tensors and containers, "
        "but loading a pickle can run code: safetensors is the safer format "
        "to publish.",
    )


def validate_pickle(source: Source, path: str = "") -> Verdict:
    """A standalone pickle file (a legacy or protocol-0 torch file, a .pkl)."""
    where = "This file"
    scan, findings = pickle_findings(source, where=where)
    if not any(f.severity == "unsafe" for f in findings):
        findings.insert(0, pickle_format_warning("This file is a Python pickle. It"))
    metadata: dict[str, Any] = {
        "format": "pytorch-legacy" if scan.is_legacy_torch else "pickle",
        "streams": scan.streams,
        "imports": sorted(f"{m}.{n}" for m, n in scan.imports)[:200],
    }
    if scan.protocol is not None:
        metadata["protocol"] = scan.protocol
    readable = scan.streams > 0 or bool(scan.imports)
    return make_verdict(findings, metadata, readable=readable)


# --- NumPy arrays of Python objects -------------------------------------------

NPY_MAGIC = b"\x93NUMPY"
# numpy refuses longer headers unless allow_pickle is set, when it reads any.
_MAX_NPY_HEADER = 1024 * 1024


def npy_header_end(head: bytes) -> int | None:
    """Where a ``.npy`` header ends, from the file's first 12 bytes."""
    if len(head) < 10 or not head.startswith(NPY_MAGIC):
        return None
    if head[6] == 1:
        return 10 + int.from_bytes(head[8:10], "little")
    if head[6] in (2, 3) and len(head) >= 12:
        return 12 + int.from_bytes(head[8:12], "little")
    return None  # a version numpy does not read


def npy_pickle_start(source: Source, size: int | None = None) -> int | None:
    """Where ``numpy.load(allow_pickle=True)`` starts unpickling a ``.npy``
    file of ``size`` bytes (``source`` may hold only its header): right
    after the header of an array of Python objects. None for an array of
    numbers (nothing is unpickled) or a file numpy refuses.

    A header this cannot read counts as one of objects, so that whatever
    follows it is scanned: fail-closed.
    """
    size = source.size if size is None else size
    end = npy_header_end(source.read_at(0, 12))
    if end is None or end > size:
        return None
    start = 10 if source.read_at(6, 1) == b"\x01" else 12
    if end - start > _MAX_NPY_HEADER:
        return end
    text = source.read_at(start, end - start).decode("latin-1")
    try:
        header = ast.literal_eval(text)  # what numpy does; evaluates literals only
        descr = header["descr"] if isinstance(header, dict) else None
    except (ValueError, SyntaxError, MemoryError, RecursionError, KeyError):
        descr = None
    if descr is not None and not _has_objects(descr):
        return None
    return end


def _has_objects(descr: Any, depth: int = 0) -> bool:
    """Whether a dtype description holds Python objects ('O'), in any field."""
    if isinstance(descr, str):
        return descr.lstrip("<>|=").startswith("O")
    if isinstance(descr, list) and depth < 32:
        return any(
            not isinstance(field, tuple)
            or len(field) < 2
            or _has_objects(field[1], depth + 1)
            for field in descr
        )
    return True  # a description this does not understand: assume objects


def validate_npy(source: Source, path: str = "") -> Verdict:
    """A ``.npy`` array: an array of Python objects is a pickle, scanned."""
    start = npy_pickle_start(source)
    if start is None:
        readable = source.read_at(0, 6) == NPY_MAGIC
        return make_verdict([], {"format": "npy"}, readable=readable)
    where = "This array's objects"
    _scan, findings = pickle_findings(SliceSource(source, start), where=where)
    if not any(f.severity == "unsafe" for f in findings):
        findings.insert(
            0,
            pickle_format_warning(
                "This NumPy array holds Python objects, stored as a pickle "
                "that numpy.load(allow_pickle=True) unpickles. It"
            ),
        )
    return make_verdict(findings, {"format": "npy", "objects": True})
