"""Consistency checks of what the hub holds (``manage.py hub_fsck``).

A *check* is a named function that walks one kind of thing, calls
``ctx.tick()`` once per item it examined (``ctx.tick(n)`` for n items one
aggregate query examined) and yields a :class:`Finding` per
problem; with ``ctx.repair`` it may repair what it found and says what it
did in the finding. :func:`fsck_run` runs a list of checks in order; they
share the context (the blob check records the digests whose bytes cannot
be read right, which the catalog's tree check then names per commit). Each
app contributes the checks of what it owns (storage: ``STORAGE_CHECKS`` in
``hub.storage.fsck_checks``; catalog: trees and refs), and the command in
the highest of them runs the list: further checks (run and counter
invariants) are further entries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

# The start of the quarantine reason of a blob hub_fsck found missing or
# corrupt: ``--repair`` lifts such a quarantine itself once the bytes are
# back and verify (restored from a backup), and no other.
FSCK_REASON = "hub_fsck:"


@dataclass(frozen=True)
class Finding:
    """One problem: which check saw it, a code, what it concerns, in words."""

    check: str
    problem: str  # "missing", "corrupt", "orphan", "tree_oid", ...
    subject: str  # a digest, an object key, "ns/name@oid", "ns/name ref"
    message: str
    repaired: str = ""  # what --repair did about it ("" nothing)


@dataclass
class FsckContext:
    repair: bool = False
    grace_seconds: int = 0
    # Told how many items were examined (``tick``).
    on_tick: Callable[[int], None] = lambda count: None
    # Digests whose bytes are missing or do not verify (the blob check).
    unreadable: set[str] = field(default_factory=set)
    # Blobs a repair took out of an earlier fsck quarantine (bytes restored).
    restored: list[str] = field(default_factory=list)

    def tick(self, count: int = 1) -> None:
        """``count`` more items examined (1 unless a check examined a whole
        set in one aggregate query)."""
        self.on_tick(count)

    @property
    def cutoff(self) -> datetime:
        """Objects changed before this are past the grace period."""
        return timezone.now() - timedelta(seconds=self.grace_seconds)


@dataclass(frozen=True)
class Check:
    """A named check: how many items it will examine (for progress) and the
    function that examines them."""

    name: str
    description: str
    total: Callable[[], int]
    run: Callable[[FsckContext], Iterator[Finding]]


# The invariant checks (``hub_fsck --invariants``), by name, in the order the
# apps registered them: each app above storage registers the checks of what
# it owns from its ``AppConfig.ready()`` (runs, counters, staging), so the
# command, in the catalog, runs checks of apps it may not import.
_invariants: dict[str, Check] = {}


def invariant_check_register(check: Check) -> None:
    """Register (or replace) the invariant check ``check.name``. Idempotent."""
    _invariants[check.name] = check


def invariant_checks() -> list[Check]:
    """The registered invariant checks, in registration order."""
    return list(_invariants.values())


@dataclass
class FsckReport:
    repair: bool
    examined: dict[str, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    def as_json(self) -> dict[str, Any]:
        problems: dict[str, int] = {name: 0 for name in self.examined}
        for finding in self.findings:
            problems[finding.check] = problems.get(finding.check, 0) + 1
        return {
            "ok": self.ok,
            "repair": self.repair,
            "checks": {
                name: {"examined": count, "problems": problems[name]}
                for name, count in self.examined.items()
            },
            "findings": [asdict(finding) for finding in self.findings],
            "restored": self.restored,
        }


# Told as items are examined: the name of the check examining them, how many.
Progress = Callable[[str, int], None]


def _quiet(check: str, count: int) -> None:
    pass


def fsck_run(
    checks: Sequence[Check],
    *,
    repair: bool = False,
    grace_seconds: int | None = None,
    progress: Progress = _quiet,
) -> FsckReport:
    """Run ``checks`` in order; every problem found (and repaired, with
    ``repair``). Reads only, unless ``repair``; the grace period
    (``HUB_BLOB_GC_GRACE_SECONDS`` unless given) protects objects being
    written now from being taken for orphans and deleted."""
    grace = (
        settings.HUB_BLOB_GC_GRACE_SECONDS if grace_seconds is None else grace_seconds
    )
    report = FsckReport(repair=repair)
    ctx = FsckContext(repair=repair, grace_seconds=grace)
    for check in checks:
        report.examined[check.name] = 0

        def tick(count: int = 1, name: str = check.name) -> None:
            report.examined[name] += count
            progress(name, count)

        ctx.on_tick = tick
        report.findings.extend(check.run(ctx))
    report.restored = ctx.restored
    return report
