"""``manage.py hub_reindex``: rebuild the catalog's derived search data.

``hub_reindex ns/name``, ``hub_reindex ns`` or ``hub_reindex --all``
rewrite each repo's card columns, description and (PostgreSQL) full-text
document from main's head, then the catalog's facet counts
(``hub.catalog.reindex``). ``--json`` prints the counts; a progress bar
goes to stderr when it is a terminal.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hub.catalog.reindex import ReindexReport, catalog_reindex
from hub.catalog.scope import repo_scope
from hub.core.errors import ApplicationError
from hub.core.progress import progress_bar


class Command(BaseCommand):
    help = "Rebuild search documents, descriptions, card columns and facet counts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "target", nargs="?", help="a repo (namespace/name) or a namespace"
        )
        parser.add_argument("--all", action="store_true", help="every repo")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if bool(options["target"]) == options["all"]:
            raise CommandError("Name a repo (namespace/name) or a namespace, or --all.")
        try:
            repos = repo_scope(target=None if options["all"] else options["target"])
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        with progress_bar(total=repos.count(), desc="reindex", unit="repo") as bar:

            def advance(repo: str) -> None:
                bar.set_postfix_str(repo, refresh=False)
                bar.update(1)

            report = catalog_reindex(repos=repos, progress=advance)
        if options["json"]:
            self.stdout.write(json.dumps(report.as_json(), indent=2))
        else:
            self.stdout.write(_summary(report))


def _summary(report: ReindexReport) -> str:
    lines = [
        f"Reindexed {report.repos} repos on {report.database}: "
        f"{report.search_documents} full-text documents rewritten, "
        f"{len(report.changed)} repos were out of date.",
    ]
    lines += [f"  {name}" for name in report.changed]
    if report.facet_counts_refreshed:
        lines.append("Facet counts of the whole catalog recomputed.")
    lines += report.notes
    return "\n".join(lines)
