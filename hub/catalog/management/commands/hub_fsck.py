"""``manage.py hub_fsck``: verify what the hub stores; ``--repair`` repairs.

Runs the checks of ``hub.catalog.fsck.FSCK_CHECKS`` in order: every blob's
bytes against its SHA-256 and size (streamed; Xet-only content rebuilt),
store objects against rows (orphans both ways), every commit's tree and
commit ids, every ref; with ``--invariants`` also the invariant checks
the apps registered (``hub.storage.fsck.invariant_checks``). Exits 1 when
it found a problem (after ``--repair`` too: the report lists what was found
and what was done). ``--json`` prints
the report; a progress bar goes to stderr when it is a terminal.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hub.catalog.fsck import FSCK_CHECKS
from hub.core.progress import progress_bar
from hub.storage.fsck import FsckReport, fsck_run, invariant_checks


class Command(BaseCommand):
    help = "Verify stored bytes, objects, trees and refs; --repair what can be."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--repair",
            action="store_true",
            help="quarantine missing or corrupt blobs, delete old orphan objects; "
            "with --invariants also recompute counters from their sources and "
            "remove staged uploads past the grace period",
        )
        parser.add_argument(
            "--invariants",
            action="store_true",
            help="also prove the hub's invariants: runs, counters, staging",
        )
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument(
            "--grace-seconds",
            type=int,
            default=None,
            help="orphans, staged uploads and unfinished runs younger than this "
            "are fine (default HUB_BLOB_GC_GRACE_SECONDS)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        grace = options["grace_seconds"]
        if grace is not None and grace < 0:
            raise CommandError("--grace-seconds must be 0 or more.")
        checks = list(FSCK_CHECKS)
        if options["invariants"]:
            checks += invariant_checks()
        total = sum(check.total() for check in checks)
        with progress_bar(total=total, desc="fsck", unit="item") as bar:

            def advance(check: str, count: int) -> None:
                bar.set_description(f"fsck {check}", refresh=False)
                bar.update(count)

            report = fsck_run(
                checks,
                repair=options["repair"],
                grace_seconds=grace,
                progress=advance,
            )
        if options["json"]:
            self.stdout.write(json.dumps(report.as_json(), indent=2))
        else:
            self.stdout.write(_summary(report))
        if not report.ok:
            raise CommandError(f"{len(report.findings)} problems found.", returncode=1)


def _summary(report: FsckReport) -> str:
    lines = [f"{name}: {count} examined" for name, count in report.examined.items()]
    for finding in report.findings:
        done = f" [{finding.repaired}]" if finding.repaired else ""
        lines.append(f"{finding.check} {finding.problem}: {finding.message}{done}")
    for sha256 in report.restored:
        lines.append(f"blobs restored: {sha256} verifies again; quarantine lifted")
    if report.ok:
        lines.append("No problems found.")
    elif not report.repair:
        lines.append(
            "Run with --repair to quarantine bad blobs, delete orphans, recompute "
            "counters and remove stale staging."
        )
    return "\n".join(lines)
