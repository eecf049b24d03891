"""How far a pickle loader gets on any file, found by disassembly.

Any file can be handed to ``pickle.load`` (or torch.load, numpy.load,
joblib.load) whatever its name or format, which is why every file gets
this check; nothing is unpickled.
"""

from __future__ import annotations

import pickletools
from collections.abc import Iterator
from typing import Any, Literal

from workers.validators.base import Source
from workers.validators.pickle_machine import Broken, Global, Machine, Reader
from workers.validators.pickles import MAX_PICKLE_BYTES, Scanner

# How far an unpickler reading a file from its first byte gets (see reach).
Reach = Literal["none", "imports", "complete", "beyond"]
# The stream of a file that is not a pickle dies within a few bytes: read
# it in small pieces rather than by the megabyte.
_PROBE_CHUNK = 64 * 1024


class _Reached(Exception):
    """The stream gets to an import the unpickler could carry out."""


class _Probe(Scanner):
    """A scanner that stops at the first import a real unpickler could make,
    and at the first step where a real unpickler would raise instead."""

    def imported(self, module: str, name: str, pos: int) -> Global:
        if _importable(module) and _importable(name):
            raise _Reached
        # find_class of a name that is not a dotted identifier raises.
        raise Broken("the stream imports something that cannot exist")

    def dynamic_global(self, pos: int) -> None:
        raise _Reached  # a name it cannot see: assume the worst

    def indirect_call(self, pos: int) -> None:
        # Nothing was imported yet, so the callee is a constant or a
        # container: calling it raises TypeError.
        raise Broken("the stream calls something that is not callable")

    def extension_code(self, code: Any, pos: int) -> None:
        # copyreg's extension registry is empty unless a program fills it.
        raise Broken(f"extension code {code} is not registered")


# Opcodes every pickle loader dies on when it reads a file from byte 0:
# none of them sets persistent_load for that first stream (torch's legacy
# format reads its magic number with a plain pickle.load).
_DEAD_OPS = frozenset({"PERSID", "BINPERSID"})
_OPCODES = {opcode.code: opcode for opcode in pickletools.opcodes}


def _probe_ops(reader: Reader) -> Iterator[tuple[Any, Any, int]]:
    """``pickletools.genops``, stopping before reading the argument of an
    opcode the loader dies on (a PERSID line can be gigabytes long)."""
    while True:
        pos = reader.tell()
        code = reader.read(1)
        opcode = _OPCODES.get(code.decode("latin-1")) if code else None
        if opcode is None or opcode.name in _DEAD_OPS:
            raise Broken(f"the unpickler stops at byte {pos}")
        # The readers only call read/readline, which Reader has.
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
    reader = Reader(source, limit, chunk=_PROBE_CHUNK)
    machine = Machine(_Probe("This file"))
    try:
        for opcode, arg, pos in _probe_ops(reader):
            machine.step(opcode.name, arg, pos)
    except _Reached:
        return "imports"
    except Exception:  # genops' ValueError, Broken: where the unpickler dies
        return "beyond" if reader.hit_limit else "none"
    return "complete"
