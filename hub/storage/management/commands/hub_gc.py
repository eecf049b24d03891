"""``manage.py hub_gc``: what storage could free, or (``--apply``) free it.

A dry run by default: it lists what a collection would remove now (blobs no
commit references, Xet files, xorbs and shards nothing uses, each past the
grace period) and removes nothing. ``--apply`` collects, as the periodic
task does. ``--json`` prints the report as one JSON object; a progress bar
goes to stderr when it is a terminal.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from hub.storage.collect import GarbageReport, garbage_collect, garbage_find


def _size(n: int) -> str:
    value = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1000:
            return f"{value:.0f} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} TB"


class Command(BaseCommand):
    help = "Show what garbage collection would free (dry run), or --apply it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--apply", action="store_true", help="collect (default: dry run)"
        )
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument(
            "--grace-seconds",
            type=int,
            default=None,
            help="keep what is younger than this (default HUB_BLOB_GC_GRACE_SECONDS)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        grace = options["grace_seconds"]
        if grace is not None and grace < 0:
            raise CommandError("--grace-seconds must be 0 or more.")
        if not options["apply"]:
            report = garbage_find(grace_seconds=grace)
        else:
            steps = tqdm(
                total=3, desc="collecting", unit="step", file=sys.stderr, disable=None
            )
            with steps:

                def advance(step: str, count: int) -> None:
                    steps.set_postfix_str(f"{step}: {count} removed")
                    steps.update(1)

                report = garbage_collect(grace_seconds=grace, progress=advance)
        if options["json"]:
            self.stdout.write(json.dumps(report.as_json(), indent=2))
        else:
            self.stdout.write(_summary(report))


def _summary(report: GarbageReport) -> str:
    verb = "Removed" if report.applied else "Would remove"
    lines = [
        f"{verb} {len(report.blobs)} blobs ({_size(report.blob_bytes)} in the store)",
        f"{verb} {len(report.xet_files)} Xet files, {len(report.xorbs)} xorbs "
        f"({_size(report.xorb_bytes)}), {len(report.shards)} shards",
    ]
    if report.applied:
        lines.append(f"{verb} {len(report.staging)} abandoned upload stagings")
    else:
        lines.append("Dry run: nothing was removed. Run with --apply to collect.")
    return "\n".join(lines)
