"""``manage.py hub_stats``: the hub in numbers (``--json`` for machines).

Users, organizations, repos by visibility and state, commits, downloads,
blobs and stored bytes (Xet deduplication included), validation and eval
runs by state, open reports. Reads only; a progress bar goes to stderr
when it is a terminal.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from hub.core.progress import progress_bar
from hub.core.sizes import human_size
from hub.moderation.stats import SECTIONS, hub_stats


class Command(BaseCommand):
    help = "Count users, repos, commits, blobs, bytes, runs and reports."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        with progress_bar(total=len(SECTIONS), desc="counting", unit="part") as bar:

            def advance(section: str) -> None:
                bar.set_postfix_str(section, refresh=False)
                bar.update(1)

            stats = hub_stats(progress=advance)
        if options["json"]:
            self.stdout.write(json.dumps(stats, indent=2))
        else:
            self.stdout.write("\n".join(_lines(stats)))


def _lines(stats: dict[str, Any]) -> list[str]:
    lines = []
    for name, value in stats.items():
        if not isinstance(value, dict):
            lines.append(f"{name}: {value}")
            continue
        parts = [
            f"{key} {human_size(n) if key.endswith('_bytes') else n}"
            for key, n in value.items()
        ]
        lines.append(f"{name}: " + ", ".join(parts))
    return lines
