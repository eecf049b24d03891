"""The symbolic unpickler: a stack and memo followed opcode by opcode.

:class:`Machine` follows one pickle stream as the unpickler would, without
running anything, so that STACK_GLOBAL's module and name can be resolved
statically; whatever it sees import or call is reported to a
:class:`Listener` (the scanner). :class:`Reader` is the bounded file-like
view ``pickletools.genops`` reads through.
"""

from __future__ import annotations

import io
import pickle
from dataclasses import dataclass
from typing import Any, Protocol

from workers.validators.base import Source

# torch.save's legacy (pre-1.6, non-zip) format starts with a pickle of this
# number, then four more pickles, then raw tensor bytes torch.load reads
# without unpickling them.
TORCH_LEGACY_MAGIC = 0x1950A86A20F9469CFC6C


class _Unknown:
    """Any value the scanner does not need to know (numbers, containers, calls)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<unknown>"


UNKNOWN = _Unknown()


@dataclass(frozen=True)
class Global:
    module: str
    name: str


class Broken(Exception):
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


class Listener(Protocol):
    """What the machine reports: imports, and the tricks that hide them."""

    def imported(self, module: str, name: str, pos: int) -> Global: ...

    def dynamic_global(self, pos: int) -> None: ...

    def indirect_call(self, pos: int) -> None: ...

    def modifies_global(self, target: Global, pos: int) -> None: ...

    def extension_code(self, code: Any, pos: int) -> None: ...


class Machine:
    """Follows one stream's stack and memo as the unpickler would, symbolically."""

    def __init__(self, scanner: Listener) -> None:
        self.scanner = scanner
        self.stack: list[Any] = []
        self.metastack: list[list[Any]] = []
        self.memo: dict[int, Any] = {}
        self.ops: list[tuple[str, Any]] = []  # kept only for the legacy check

    def pop(self) -> Any:
        if not self.stack:
            raise Broken("the stream takes a value from an empty stack")
        return self.stack.pop()

    def top(self) -> Any:
        if not self.stack:
            raise Broken("the stream uses a value from an empty stack")
        return self.stack[-1]

    def pop_mark(self) -> list[Any]:
        if not self.metastack:
            raise Broken("the stream closes a group that was never opened")
        items = self.stack
        self.stack = self.metastack.pop()
        return items

    # Kept whole: one branch per opcode reads as a table and adds no call per opcode.
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
                raise Broken(f"protocol {arg} does not exist")
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
                raise Broken("the stream stores a value under a negative index")
            self.memo[arg] = self.top()
        elif name == "MEMOIZE":
            self.memo[len(self.memo)] = self.top()
        elif name in _MEMO_GET_OPS:
            if arg not in self.memo:
                raise Broken(f"the stream reads memo slot {arg}, which is empty")
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
                raise Broken("the stream creates an object without a class")
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
            raise Broken(f"opcode {name} is not understood")

    def _call(self, target: Any, pos: int) -> None:
        if not isinstance(target, Global):
            self.scanner.indirect_call(pos)

    def _mutate(self, target: Any, pos: int) -> None:
        if isinstance(target, Global):
            self.scanner.modifies_global(target, pos)

    def is_legacy_magic(self) -> bool:
        values = [arg for name, arg in self.ops if name not in ("PROTO", "STOP")]
        names = [name for name, _ in self.ops if name not in ("PROTO", "STOP")]
        return names in (["LONG1"], ["LONG"]) and values[0] == TORCH_LEGACY_MAGIC


class Reader:
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


class MemoryReader(io.BytesIO):
    """A whole small source in memory, with the Reader attributes."""

    hit_limit = False

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.end = len(data)
