"""``manage.py hub_rescan``: run the checks again with the current validators.

``hub_rescan ns/name``, ``hub_rescan ns`` or ``hub_rescan --all`` queue the
finished checks of the commits the repos' refs point at (``--all-commits``:
every commit) on Celery; a worker reuses a verdict cached at its current
validator version and redoes older ones (``--force``: redo all).
``--dry-run`` lists what would be queued. ``--json`` prints the report; a
progress bar goes to stderr when it is a terminal.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hub.catalog.scope import repo_scope
from hub.core.errors import ApplicationError
from hub.core.progress import progress_bar
from hub.jobs.rescan import RescanReport, rescan_commits, validation_rescan


class Command(BaseCommand):
    help = "Queue the validation checks of repos again, for the current validators."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "target", nargs="?", help="a repo (namespace/name) or a namespace"
        )
        parser.add_argument("--all", action="store_true", help="every repo")
        parser.add_argument(
            "--all-commits",
            action="store_true",
            help="every commit, not only those of branches, tags and pull requests",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="forget cached verdicts: check every file again",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="list what would be queued"
        )
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if bool(options["target"]) == options["all"]:
            raise CommandError("Name a repo (namespace/name) or a namespace, or --all.")
        try:
            repos = repo_scope(target=None if options["all"] else options["target"])
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        total = rescan_commits(repos=repos, all_commits=options["all_commits"])
        with progress_bar(total=total.count(), desc="rescan", unit="commit") as bar:

            def advance(repo: str, count: int) -> None:
                bar.set_postfix_str(f"{repo}: {count} queued")
                bar.update(1)

            report = validation_rescan(
                repos=repos,
                all_commits=options["all_commits"],
                force=options["force"],
                dry_run=options["dry_run"],
                progress=advance,
            )
        if options["json"]:
            self.stdout.write(json.dumps(report.as_json(), indent=2))
        else:
            self.stdout.write(_summary(report))


def _summary(report: RescanReport) -> str:
    verb = "Would queue" if report.dry_run else "Queued"
    lines = [
        f"{verb} {len(report.queued)} checks of {report.commits} commits "
        f"in {report.repos} repos; {report.in_progress} already queued or running.",
    ]
    if report.force:
        forgot = "Would forget" if report.dry_run else "Forgot"
        lines.append(f"{forgot} {report.verdicts_forgotten} cached verdicts.")
    if report.dry_run:
        lines += [
            f"  {q['repo']}@{q['commit'][:12]} {q['kind']} {q['path']}"
            for q in report.queued
        ]
        lines.append("Dry run: nothing was queued.")
    return "\n".join(lines)
