"""History shown on the file and commit pages: the last commit of each
entry of a folder (a bounded walk), and text diffs of a commit's files.

Both read through the catalog's selectors and stop at fixed budgets, so a
long history or a huge file cannot make a page slow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice

from django.core.cache import cache

from hub.catalog.diffs import diff_hunks
from hub.catalog.history import FileChange, commit_history
from hub.catalog.models import Commit, ModelRepo, TreeEntry
from hub.catalog.trees import tree_entries

# The walk reads (commits × files under the folder) tree rows at most.
LAST_COMMIT_MAX_COMMITS = 50
LAST_COMMIT_MAX_ROWS = 20_000
LAST_COMMIT_CACHE_SECONDS = 24 * 3600

# At most this many diff lines per file and files diffed per commit.
DIFF_MAX_LINES = 1500
DIFF_MAX_FILES = 40
CONTENT_HIDDEN = (
    "Content not shown: you do not have access to this file "
    "(a gated model's terms not accepted, or a quarantined file)."
)


def last_commits(
    *, repo: ModelRepo, head: Commit, folder: str, names: list[str]
) -> tuple[dict[str, Commit], bool]:
    """``_last_commits``, cached: the answer for a (commit, folder) never
    changes, and the walk reads up to LAST_COMMIT_MAX_ROWS rows."""
    key = f"web:last-commits:v1:{head.pk}:{LAST_COMMIT_MAX_ROWS}:{folder}"
    cached = cache.get(key)
    if cached is not None:
        by_pk, complete = cached
        commits = Commit.objects.in_bulk(list(set(by_pk.values())))
        return {n: commits[pk] for n, pk in by_pk.items() if pk in commits}, complete
    found, complete = _last_commits(repo=repo, head=head, folder=folder, names=names)
    cache.set(
        key,
        ({n: c.pk for n, c in found.items()}, complete),
        LAST_COMMIT_CACHE_SECONDS,
    )
    return found, complete


def _last_commits(
    *, repo: ModelRepo, head: Commit, folder: str, names: list[str]
) -> tuple[dict[str, Commit], bool]:
    """The newest commit that changed each child ``names`` of ``folder``.

    Walks first-parent history from ``head`` through a bounded window (see
    the budgets above): a child unchanged in the whole window is left out.
    Returns (commit per child name, whether the window reached the first
    commit, i.e. whether the answer is complete). Three queries.
    """
    prefix = f"{folder}/" if folder else ""
    files = tree_entries(commit=head)
    if prefix:
        files = files.filter(path__startswith=prefix)
    count = max(1, files.count())
    window = max(2, min(LAST_COMMIT_MAX_COMMITS, LAST_COMMIT_MAX_ROWS // count))
    commits = list(islice(commit_history(repo=repo, revision=head.oid), window + 1))
    complete = len(commits) <= window or commits[-1].parent_id is None
    rows = TreeEntry.objects.filter(commit_id__in=[c.pk for c in commits])
    if prefix:
        rows = rows.filter(path__startswith=prefix)
    content: dict[int, dict[str, list[tuple[str, str]]]] = {c.pk: {} for c in commits}
    for commit_id, path, blob_id in rows.order_by().values_list(
        "commit_id", "path", "blob_id"
    ):
        child = path[len(prefix) :].split("/", 1)[0]
        content[commit_id].setdefault(child, []).append((path, blob_id))
    signature = {
        pk: {child: tuple(sorted(items)) for child, items in children.items()}
        for pk, children in content.items()
    }
    found: dict[str, Commit] = {}
    wanted = set(names)
    for index, commit in enumerate(commits):
        older = commits[index + 1] if index + 1 < len(commits) else None
        for child in list(wanted):
            now = signature[commit.pk].get(child)
            if older is None:
                if commit.parent_id is None and now is not None:
                    found[child] = commit  # added by the first commit
                continue
            if now != signature[older.pk].get(child):
                found[child] = commit
                wanted.discard(child)
        if not wanted:
            break
    return found, complete


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "hunk" | "add" | "del" | "ctx"
    text: str


@dataclass(frozen=True)
class FileDiff:
    change: FileChange
    lines: list[DiffLine]
    note: str  # why no lines are shown ("" when they are)
    added: int
    removed: int


def file_diff(change: FileChange) -> FileDiff:
    """A unified diff of one changed file, or a note saying why there is none.

    The hunks come from ``hub.catalog.diffs`` (cached by the two contents'
    addresses: the same pair always gives the same diff, whichever commit or
    pull request shows it).
    """
    old, new = change.old, change.new
    if any(e is not None and e.is_lfs for e in (old, new)):
        return FileDiff(change, [], "Large file stored with LFS: not diffed.", 0, 0)
    hunks = diff_hunks(old, new, keepends=False)
    if hunks is None:
        return FileDiff(change, [], "Binary or large file: not diffed.", 0, 0)
    lines: list[DiffLine] = []
    added = removed = 0
    for raw in hunks:
        if raw.startswith("@@"):
            kind = "hunk"
        elif raw.startswith("+"):
            kind, added = "add", added + 1
        elif raw.startswith("-"):
            kind, removed = "del", removed + 1
        else:
            kind = "ctx"
        if len(lines) < DIFF_MAX_LINES:
            lines.append(DiffLine(kind, raw))
    note = ""
    if len(lines) >= DIFF_MAX_LINES:
        note = f"Diff cut at {DIFF_MAX_LINES} lines."
    elif not lines:
        note = "No text changes (empty file)."
    return FileDiff(change, lines, note, added, removed)


def commit_file_diffs(
    changes: list[FileChange], *, readable: Callable[[TreeEntry | None], bool]
) -> list[FileDiff]:
    """Diffs of the first DIFF_MAX_FILES changes; later files get a note only.

    ``readable`` (``permissions.content_readable``) says whose content the
    viewer may see: a gated or quarantined file's lines are not shown.
    """
    diffs = []
    for index, change in enumerate(changes):
        if not (readable(change.old) and readable(change.new)):
            diffs.append(FileDiff(change, [], CONTENT_HIDDEN, 0, 0))
        elif index < DIFF_MAX_FILES:
            diffs.append(file_diff(change))
        else:
            diffs.append(FileDiff(change, [], "Too many files: not diffed.", 0, 0))
    return diffs
