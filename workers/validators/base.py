"""What every validator shares: bounded sources, findings and verdicts.

Validators are pure functions over a :class:`Source`: they read the byte
ranges they need (a header, a central directory, a pickle member) and never
the whole of a large file, so their cost does not grow with the weights.
Nothing here executes uploaded content.

Verdicts, from best to worst:

* ``passed``: nothing to report;
* ``warning``: accepted, with something the owner should know (a pickle
  that only rebuilds tensors is still a pickle);
* ``failed``: unloadable in a harmless way (a format version or dtype this
  hub does not know yet); the file stays downloadable but the commit's
  checks are red;
* ``quarantine``: content that must not be served to strangers: unsafe
  content, and weights whose structure lies (the inputs loader exploits
  are made of). Anything that loads through pickle and cannot be parsed
  completely lands here too (fail-closed), because what cannot be read
  cannot be shown to be safe; so does a file that two readers read as two
  different things (a polyglot).
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Literal, Protocol, runtime_checkable

Severity = Literal["info", "warning", "error", "unsafe"]
Status = Literal["passed", "warning", "failed", "quarantine"]

_STATUS_OF_SEVERITY: dict[str, Status] = {
    "info": "passed",
    "warning": "warning",
    "error": "failed",
    "unsafe": "quarantine",
}
_RANK: dict[str, int] = {"passed": 0, "warning": 1, "failed": 2, "quarantine": 3}

# A verdict lists at most this many findings: a pickle importing ten
# thousand classes needs a handful of examples, not a ten-thousand-row table.
MAX_FINDINGS = 50


@runtime_checkable
class Source(Protocol):
    """Random access to the bytes of one file, in bounded reads."""

    @property
    def size(self) -> int: ...

    def read_at(self, offset: int, length: int) -> bytes:
        """Up to ``length`` bytes from ``offset``; fewer only at the end."""
        ...


class FileSource:
    """A local file read with ``os.pread``: no shared file position."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self._fd = os.open(self.path, os.O_RDONLY)
        self._size = os.fstat(self._fd).st_size

    @property
    def size(self) -> int:
        return self._size

    def read_at(self, offset: int, length: int) -> bytes:
        if offset < 0 or length < 0:
            raise ValueError("offset and length must not be negative")
        length = max(0, min(length, self._size - offset))
        if length == 0:
            return b""
        chunks = []
        while length > 0:
            chunk = os.pread(self._fd, length, offset)
            if not chunk:
                break
            chunks.append(chunk)
            offset += len(chunk)
            length -= len(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> FileSource:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class RangeStore(Protocol):
    """What StoreSource needs of a blob store (hub.storage.backends)."""

    def iter_range(
        self, sha256: str, start: int = 0, end: int | None = None
    ) -> Iterator[bytes]: ...


class StoreSource:
    """A stored blob read by byte ranges, never copied whole.

    For stores whose bytes are remote (S3): a check reads a header, a zip
    directory, a few pickles, so a 10 GB checkpoint costs a few requests
    instead of a 10 GB download. Reads go by aligned blocks of ``block``
    bytes, the last ``blocks`` of them kept, so the many small reads of a
    header parser cost one request; a read spanning more blocks than are
    kept goes straight through. A blob of at most ``whole_below`` bytes is
    fetched whole at its first read: one request beats the hundreds a scan
    of a small torch zip makes (it reads every member's header).
    """

    def __init__(
        self,
        store: RangeStore,
        sha256: str,
        size: int,
        *,
        block: int = 1024 * 1024,
        blocks: int = 8,
        whole_below: int = 64 * 1024 * 1024,
    ) -> None:
        self.store = store
        self.sha256 = sha256
        self._size = size
        # Fetched whole at the first read (one request, held in memory).
        self.whole = size <= whole_below
        if self.whole:
            block, blocks = max(1, size), 1
        self.block = block
        self.blocks = blocks
        self._cache: OrderedDict[int, bytes] = OrderedDict()
        self.requests = 0  # ranges asked of the store

    @property
    def size(self) -> int:
        return self._size

    def read_at(self, offset: int, length: int) -> bytes:
        if offset < 0 or length < 0:
            raise ValueError("offset and length must not be negative")
        end = min(self._size, offset + length)
        if end <= offset:
            return b""
        first, last = offset // self.block, (end - 1) // self.block
        if last - first + 1 > self.blocks:
            return self._fetch(offset, end)
        data = b"".join(self._block(index) for index in range(first, last + 1))
        start = offset - first * self.block
        return data[start : start + (end - offset)]

    def _block(self, index: int) -> bytes:
        cached = self._cache.pop(index, None)
        if cached is None:
            begin = index * self.block
            cached = self._fetch(begin, min(self._size, begin + self.block))
            while len(self._cache) >= self.blocks:
                self._cache.popitem(last=False)
        self._cache[index] = cached
        return cached

    def _fetch(self, begin: int, end: int) -> bytes:
        self.requests += 1
        return b"".join(self.store.iter_range(self.sha256, begin, end - 1))

    def close(self) -> None:
        self._cache.clear()

    def __enter__(self) -> StoreSource:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class BytesSource:
    """Bytes in memory (tests, small members already read and checked)."""

    def __init__(self, data: bytes) -> None:
        self._data = bytes(data)

    @property
    def size(self) -> int:
        return len(self._data)

    def read_at(self, offset: int, length: int) -> bytes:
        if offset < 0 or length < 0:
            raise ValueError("offset and length must not be negative")
        return self._data[offset : offset + length]


class SliceSource:
    """The bytes of ``source`` from ``start`` on (a stream inside a file)."""

    def __init__(self, source: Source, start: int) -> None:
        self.source = source
        self.start = min(max(start, 0), source.size)

    @property
    def size(self) -> int:
        return self.source.size - self.start

    def read_at(self, offset: int, length: int) -> bytes:
        if offset < 0 or length < 0:
            raise ValueError("offset and length must not be negative")
        return self.source.read_at(self.start + offset, length)


def read_exact(source: Source, offset: int, length: int) -> bytes | None:
    """Exactly ``length`` bytes at ``offset``, or None when the file is shorter."""
    if offset < 0 or length < 0 or offset + length > source.size:
        return None
    data = source.read_at(offset, length)
    return data if len(data) == length else None


@dataclass(frozen=True)
class Finding:
    """One thing a validator has to say, in words a model owner understands."""

    severity: Severity
    code: str
    message: str
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }
        if self.details:
            data["details"] = self.details
        return data


@dataclass(frozen=True)
class Verdict:
    """A validator's conclusion on one file (or one repo) at one version."""

    status: Status
    findings: tuple[Finding, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict)
    validator_version: str = ""
    # Whether the bytes parse as the format this validator reads (a file
    # two validators can parse is a polyglot). Not stored with the verdict.
    readable: bool = True

    @property
    def codes(self) -> list[str]:
        return [finding.code for finding in self.findings]

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "findings": [finding.as_dict() for finding in self.findings],
            "metadata": self.metadata,
            "validator_version": self.validator_version,
        }


def status_of(findings: list[Finding] | tuple[Finding, ...]) -> Status:
    """The verdict status the worst finding calls for."""
    status: Status = "passed"
    for finding in findings:
        candidate = _STATUS_OF_SEVERITY[finding.severity]
        if _RANK[candidate] > _RANK[status]:
            status = candidate
    return status


def make_verdict(
    findings: list[Finding],
    metadata: dict[str, Any] | None = None,
    *,
    validator_version: str = "",
    readable: bool = True,
) -> Verdict:
    """A verdict whose status follows from its findings (capped in number)."""
    kept = _cap(findings)
    return Verdict(
        status=status_of(findings),
        findings=tuple(kept),
        metadata=metadata or {},
        validator_version=validator_version,
        readable=readable,
    )


def _cap(findings: list[Finding]) -> list[Finding]:
    if len(findings) <= MAX_FINDINGS:
        return list(findings)
    # Keep the worst ones; the status is computed from all of them anyway.
    order = {"unsafe": 0, "error": 1, "warning": 2, "info": 3}
    ranked = sorted(findings, key=lambda f: order[f.severity])
    kept = ranked[: MAX_FINDINGS - 1]
    kept.append(
        Finding(
            "info",
            "findings.truncated",
            f"{len(findings) - len(kept)} more findings are not listed.",
        )
    )
    return kept


class FormatError(Exception):
    """Raised inside a parser to stop at the first fatal problem."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding
