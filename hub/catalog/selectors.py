"""Reads of the catalog: visibility, revisions, trees, files, history, diffs.

``repo_list_visible`` is the one visibility rule: every list, search and
detail path starts from it, so a private repo cannot leak through one of
them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.models import F, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL

from hub.accounts.actors import user_is_active
from hub.accounts.models import ApiToken, Membership, Namespace
from hub.catalog import gitobjects
from hub.catalog.attributes import git_glob_regex
from hub.catalog.errors import (
    EntryNotFoundError,
    RepoNotFoundError,
    RevisionNotFoundError,
)
from hub.catalog.models import Commit, ModelRepo, Ref, RepoRedirect, TreeEntry
from hub.catalog.search import repo_filter_gated
from hub.core.errors import ValidationError
from hub.core.names import is_commit_oid
from hub.storage.models import Blob
from hub.storage.selectors import blob_read_bytes


def repo_list_visible(
    *, user: Any, token: ApiToken | None = None, include_disabled: bool = False
) -> QuerySet[ModelRepo]:
    """Repos the user may see: public ones, plus private ones they have a role on.

    A token limited to named repos sees private repos only among those.
    Repos disabled by moderation are left out of lists, except for staff and
    the members of the repo's namespace; detail lookups pass
    ``include_disabled=True`` so the page can say why it is disabled.
    """
    qs = ModelRepo.objects.select_related("namespace")
    if not user_is_active(user):
        qs = qs.filter(is_private=False)
        return qs if include_disabled else qs.filter(disabled_at__isnull=True)
    # The namespaces the user has a role in, as a subquery: no join on the
    # repo side (no repeated rows, no DISTINCT), so PostgreSQL can still walk
    # a sort index with a cheap filter. A UNION ALL of two index lookups: an
    # OR over a membership join made PostgreSQL hash every namespace, twice
    # per query (~1 ms each at 6,000 namespaces, and 2 ms more to plan).
    namespaces = _member_namespaces(user)
    if user.is_superuser:
        private_ok = Q(is_private=True)
    else:
        private_ok = Q(is_private=True, namespace_id__in=namespaces)
    if token is not None and token.repo_ids:
        allowed = Q(pk__in=[])
        for repo_id in token.repo_ids:
            ns, _, name = repo_id.partition("/")
            allowed |= Q(namespace__name__iexact=ns, name__iexact=name)
        private_ok &= Q(pk__in=ModelRepo.objects.filter(allowed).values("pk"))
    qs = qs.filter(Q(is_private=False) | private_ok)
    if include_disabled or user.is_staff or user.is_superuser:
        return qs
    return qs.filter(Q(disabled_at__isnull=True) | Q(namespace_id__in=namespaces))


def repo_list_beyond_public(
    *, user: Any, token: ApiToken | None = None
) -> QuerySet[ModelRepo]:
    """What the user sees besides public, enabled repos: the private repos
    they may see, and disabled ones of their namespaces (all, for staff).

    Catalog counts add these, counted live, to the cached public counts.
    """
    visible = repo_list_visible(user=user, token=token)
    beyond = visible.filter(Q(is_private=True) | Q(disabled_at__isnull=False))
    if not getattr(user, "is_authenticated", False):
        return beyond.none()
    if user.is_superuser or user.is_staff:
        return beyond
    # Only the user's namespaces hold such repos. Said outright, PostgreSQL
    # walks the namespace index from the user's few namespaces (a nested
    # loop) instead of visiting every private repo of the hub. A plain
    # ``IN (subquery)``, so SQLite (the embedded default) runs it too; it
    # plans as fast as the PostgreSQL-only ``= ANY(ARRAY(...))`` it replaced
    # (bench/catalog.py, issue 13).
    return beyond.filter(namespace_id__in=_member_namespaces(user))


def _member_namespaces(user: Any) -> RawSQL:
    """``SELECT id`` of the namespaces the user has a role in.

    Raw SQL rather than a queryset: Django deep-copies a queryset subquery
    at every later ``filter()`` and ``order_by()`` of the outer query (twice
    per catalog query here), which cost more than the query itself.
    """
    namespace = Namespace._meta.db_table
    membership = Membership._meta.db_table
    return RawSQL(
        f"SELECT id FROM {namespace} WHERE user_id = %s UNION ALL "  # noqa: S608
        f"SELECT n.id FROM {namespace} n JOIN {membership} m "
        "ON m.organization_id = n.organization_id WHERE m.user_id = %s",
        (user.pk, user.pk),
    )


def repo_get_visible(
    *, user: Any, namespace: str, name: str, token: ApiToken | None = None
) -> ModelRepo:
    """A repo by id if the caller may see it; RepoNotFoundError otherwise.

    Renamed or moved repos are found under their old id too. A private repo
    the caller may not see is indistinguishable from a missing one.
    """
    visible = repo_list_visible(user=user, token=token, include_disabled=True)
    repo = visible.filter(namespace__name__iexact=namespace, name__iexact=name).first()
    if repo is None:
        redirect = (
            RepoRedirect.objects.filter(old_full_name__iexact=f"{namespace}/{name}")
            .values_list("repo_id", flat=True)
            .first()
        )
        if redirect is not None:
            repo = visible.filter(pk=redirect).first()
    if repo is None:
        raise RepoNotFoundError(f"Repository {namespace}/{name} not found.")
    return repo


def ref_list(*, repo: ModelRepo, kinds: tuple[str, ...] | None = None) -> QuerySet[Ref]:
    qs = Ref.objects.filter(repo=repo).select_related("commit").order_by("kind", "name")
    if kinds is not None:
        qs = qs.filter(kind__in=kinds)
    return qs


def ref_get(*, repo: ModelRepo, name: str) -> Ref:
    ref = Ref.objects.filter(repo=repo, name=name).select_related("commit").first()
    if ref is None:
        raise RevisionNotFoundError(f"Revision {name!r} not found in {repo.full_name}.")
    return ref


def revision_resolve(*, repo: ModelRepo, revision: str) -> Commit:
    """The commit a revision names: a branch, tag, ``refs/pr/N`` or 40-hex id."""
    ref = Ref.objects.filter(repo=repo, name=revision).select_related("commit").first()
    if ref is not None:
        return ref.commit
    if is_commit_oid(revision):
        commit = Commit.objects.filter(repo=repo, oid=revision).first()
        if commit is not None:
            return commit
    raise RevisionNotFoundError(f"Revision {revision!r} not found in {repo.full_name}.")


def revision_split(*, repo: ModelRepo, rest: str) -> tuple[str, str]:
    """Split ``<revision>/<path>`` when the revision itself may contain '/'.

    Used by URL routes where a WSGI server has already decoded ``%2F``
    (hf-protocol.md 1.7): PR refs first, then the repo's own ref names that
    contain '/', longest first, then the first segment.
    """
    match = re.match(r"^(refs/pr/\d+|refs/convert/[A-Za-z0-9_-]+)(?:/(.*))?$", rest)
    if match:
        return match.group(1), match.group(2) or ""
    slashed = (
        Ref.objects.filter(repo=repo, name__contains="/")
        .exclude(kind=Ref.Kind.PULL_REQUEST)
        .values_list("name", flat=True)
    )
    for name in sorted(slashed, key=len, reverse=True):
        if rest == name or rest.startswith(name + "/"):
            return name, rest[len(name) + 1 :]
    revision, _, path = rest.partition("/")
    return revision, path


def tree_entries(*, commit: Commit) -> QuerySet[TreeEntry]:
    return TreeEntry.objects.filter(commit=commit).order_by("path")


def tree_as_dict(*, commit: Commit) -> dict[str, TreeEntry]:
    return {entry.path: entry for entry in tree_entries(commit=commit)}


@dataclass(frozen=True)
class TreeItem:
    """A file or a folder in a listing."""

    type: str  # "file" | "directory"
    path: str
    size: int = 0
    entry: TreeEntry | None = None


def tree_list(
    *, commit: Commit, path: str = "", recursive: bool = False
) -> list[TreeItem]:
    """Files and folders under ``path`` at a commit, folders first, by path.

    Non-recursive listings show the direct children; recursive listings show
    every file below and every folder on the way. EntryNotFoundError when
    ``path`` is neither a folder nor a file.
    """
    prefix = f"{path.strip('/')}/" if path.strip("/") else ""
    qs = tree_entries(commit=commit)
    if prefix:
        qs = qs.filter(path__startswith=prefix)
    entries = list(qs)
    if not entries and prefix:
        single = TreeEntry.objects.filter(commit=commit, path=path.strip("/")).first()
        if single is None:
            raise EntryNotFoundError(f"{path!r} does not exist at {commit.oid[:12]}.")
        return [TreeItem(type="file", path=single.path, size=single.size, entry=single)]
    folders: dict[str, None] = {}
    files: list[TreeItem] = []
    for entry in entries:
        rest = entry.path[len(prefix) :]
        parts = rest.split("/")
        if recursive:
            for depth in range(1, len(parts)):
                folders[prefix + "/".join(parts[:depth])] = None
            files.append(TreeItem("file", entry.path, entry.size, entry))
        elif len(parts) == 1:
            files.append(TreeItem("file", entry.path, entry.size, entry))
        else:
            folders[prefix + parts[0]] = None
    dirs = [TreeItem("directory", folder) for folder in sorted(folders)]
    return dirs + files


def file_get(*, commit: Commit, path: str) -> TreeEntry:
    entry = (
        TreeEntry.objects.filter(commit=commit, path=path)
        .select_related("blob")
        .first()
    )
    if entry is None:
        raise EntryNotFoundError(f"{path!r} does not exist at {commit.oid[:12]}.")
    return entry


def commit_history(
    *, repo: ModelRepo, revision: str, path: str | None = None
) -> Iterator[Commit]:
    """Commits reachable from a revision, newest first (first-parent order).

    With ``path``, only commits that changed that file or something under
    that folder. Walks lazily, so a caller that pages stops early.
    """
    commit: Commit | None = revision_resolve(repo=repo, revision=revision)
    path = (path or "").strip("/")
    batch: dict[int, Commit] = {}
    while commit is not None:
        if not path or _touches(commit, path):
            yield commit
        parent_id = commit.parent_id
        if parent_id is None:
            return
        if parent_id not in batch:
            # Fetch ancestors a page at a time instead of one query each.
            batch = _ancestor_batch(repo, parent_id)
        commit = batch.get(parent_id)


def _ancestor_batch(
    repo: ModelRepo, start_id: int, size: int = 200
) -> dict[int, Commit]:
    # A parent is always inserted before its children, so every ancestor has
    # a smaller primary key: one query fetches the next page of candidates.
    page = (
        Commit.objects.filter(repo=repo, pk__lte=start_id)
        .select_related("author")
        .order_by("-pk")[:size]
    )
    return {commit.pk: commit for commit in page}


def _touches(commit: Commit, path: str) -> bool:
    changed = commit_changes(commit=commit)
    return any(c.path == path or c.path.startswith(path + "/") for c in changed)


@dataclass(frozen=True)
class FileChange:
    status: str  # "added" | "removed" | "modified"
    path: str
    old: TreeEntry | None
    new: TreeEntry | None


def changed_entries(changes: Iterable[FileChange]) -> list[TreeEntry | None]:
    """Both sides of each change (``None`` for a side with no file)."""
    return [entry for change in changes for entry in (change.old, change.new)]


def entry_text(*, entry: TreeEntry | None, limit: int) -> str | None:
    """A file's text for a diff: "" for no file; None when it is stored with
    LFS, larger than ``limit`` bytes, binary (a NUL byte) or not UTF-8."""
    if entry is None:
        return ""
    if entry.is_lfs or entry.size > limit:
        return None
    data = blob_read_bytes(sha256=entry.blob_id, limit=limit)
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def commit_diff(*, old: Commit | None, new: Commit) -> list[FileChange]:
    """File-level changes from ``old`` to ``new`` (``old=None``: everything added)."""
    before = tree_as_dict(commit=old) if old is not None else {}
    after = tree_as_dict(commit=new)
    changes: list[FileChange] = []
    for path in sorted(before.keys() | after.keys()):
        a, b = before.get(path), after.get(path)
        if a is None:
            changes.append(FileChange("added", path, None, b))
        elif b is None:
            changes.append(FileChange("removed", path, a, None))
        elif a.blob_id != b.blob_id or a.is_lfs != b.is_lfs:
            changes.append(FileChange("modified", path, a, b))
    return changes


def commit_changes(*, commit: Commit) -> list[FileChange]:
    """What a commit changed relative to its first parent."""
    parent = (
        Commit.objects.filter(pk=commit.parent_id).first() if commit.parent_id else None
    )
    return commit_diff(old=parent, new=commit)


# Catalog queries, tags and trees as the Hugging Face protocol lists them ------

# Sort keys of repo_list_search (the HF Hub's names), all sorted descending.
REPO_SORT_FIELDS = {
    "trendingScore": "trending_score",
    "downloads": "downloads",
    "likes": "likes",
    "lastModified": "last_commit_at",
    "createdAt": "created_at",
}


def _str_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str) and item]
    return []


def _tags_from_fields(
    *,
    tags: Iterable[str],
    library_name: str,
    pipeline_tag: str,
    license_id: str,
    datasets: Iterable[str],
    language: Iterable[str],
    base_model: Iterable[str],
) -> list[str]:
    # Same derived tags as the HF Hub, so list_models(filter=...) written for
    # the Hub finds the same models here.
    derived = [library_name, *tags, pipeline_tag, *language]
    derived += [f"dataset:{name}" for name in datasets]
    derived += [f"base_model:{name}" for name in base_model]
    if license_id:
        derived.append(f"license:{license_id}")
    return list(dict.fromkeys(tag for tag in derived if tag))


def repo_tags(*, repo: ModelRepo) -> list[str]:
    """The repo's tags (card tags plus derived ones), from main's denormalized card."""
    return _tags_from_fields(
        tags=_str_list(repo.tags),
        library_name=repo.library_name,
        pipeline_tag=repo.pipeline_tag,
        license_id=repo.license,
        datasets=_str_list(repo.datasets),
        language=_str_list(repo.language),
        base_model=_str_list(repo.base_model),
    )


def card_data_tags(*, card_data: dict[str, Any]) -> list[str]:
    """Tags derived from a commit's parsed card mapping (validated at commit time)."""

    def text(key: str) -> str:
        value = card_data.get(key)
        return value if isinstance(value, str) else ""

    return _tags_from_fields(
        tags=_str_list(card_data.get("tags")),
        library_name=text("library_name"),
        pipeline_tag=text("pipeline_tag"),
        license_id=text("license"),
        datasets=_str_list(card_data.get("datasets")),
        language=_str_list(card_data.get("language")),
        base_model=_str_list(card_data.get("base_model")),
    )


def _json_list_has(field: str, value: str) -> Q:
    if connection.features.supports_json_field_contains:
        return Q(**{f"{field}__contains": [value]})
    # SQLite has no JSON containment: look for the quoted item in the stored
    # JSON text (Django writes it with json.dumps). Case-insensitive there.
    return Q(**{f"{field}__icontains": json.dumps(value)})


def _tag_q(tag: str) -> Q:
    q = (
        Q(library_name=tag)
        | Q(pipeline_tag=tag)
        | _json_list_has("tags", tag)
        | _json_list_has("language", tag)
    )
    prefix, _, rest = tag.partition(":")
    if rest and prefix == "license":
        q |= Q(license=rest)
    elif rest and prefix == "dataset":
        q |= _json_list_has("datasets", rest)
    elif rest and prefix == "base_model":
        q |= _json_list_has("base_model", rest)
    return q


def repo_list_search(
    *,
    user: Any,
    token: ApiToken | None = None,
    search: str = "",
    author: str = "",
    tags: Iterable[str] = (),
    pipeline_tag: str = "",
    gated: bool | None = None,
    sort: str = "",
) -> QuerySet[ModelRepo]:
    """Visible repos matching a catalog query, ordered by ``sort`` (descending).

    ``search`` is a case-insensitive substring of ``namespace/name``; every
    tag of ``tags`` must be among the repo's tags (see ``repo_tags``).
    Raises ValidationError for an unknown sort key.
    """
    qs = repo_list_visible(user=user, token=token)
    if author:
        qs = qs.filter(namespace__name__iexact=author)
    if search:
        ns_part, slash, name_part = search.partition("/")
        if slash:
            # "ns/na" matches ids whose namespace ends with "ns" and whose
            # name starts with "na", as a substring of the id would.
            qs = qs.filter(
                namespace__name__iendswith=ns_part, name__istartswith=name_part
            )
        else:
            qs = qs.filter(
                Q(name__icontains=search) | Q(namespace__name__icontains=search)
            )
    for tag in tags:
        qs = qs.filter(_tag_q(tag))
    if pipeline_tag:
        qs = qs.filter(pipeline_tag=pipeline_tag)
    if gated is not None:
        qs = repo_filter_gated(qs, gated)
    field = REPO_SORT_FIELDS.get(sort or "trendingScore")
    if field is None:
        raise ValidationError(
            f"Unknown sort key {sort!r}: use one of {', '.join(REPO_SORT_FIELDS)}."
        )
    return qs.order_by(F(field).desc(nulls_last=True), "-pk")


def repo_heads(*, repo_ids: Iterable[int], branch: str = "main") -> dict[int, Commit]:
    """The head commit of ``branch`` for each repo that has it (one query)."""
    refs = Ref.objects.filter(repo_id__in=list(repo_ids), name=branch).select_related(
        "commit"
    )
    return {ref.repo_id: ref.commit for ref in refs}


def tree_paths_by_commit(*, commit_ids: Iterable[int]) -> dict[int, list[str]]:
    """File paths of each commit's tree, sorted (one query)."""
    paths: dict[int, list[str]] = {}
    rows = (
        TreeEntry.objects.filter(commit_id__in=list(commit_ids))
        .order_by("commit_id", "path")
        .values_list("commit_id", "path")
    )
    for commit_id, path in rows:
        paths.setdefault(commit_id, []).append(path)
    return paths


def repo_used_storage(*, repo: ModelRepo) -> int:
    """Bytes of the distinct blobs referenced anywhere in the repo's history.

    Cached until the repo row changes (every commit saves it): the sum
    scans every tree of the history, and model_info, which every
    snapshot_download calls, shows it.
    """
    from django.core.cache import cache

    key = f"catalog:used-storage:{repo.pk}:{repo.updated_at.isoformat()}"
    cached = cache.get(key)
    if cached is not None:
        return int(cached)
    referenced = TreeEntry.objects.filter(commit__repo=repo).values("blob_id")
    total = Blob.objects.filter(sha256__in=referenced).aggregate(total=Sum("size"))
    used = int(total["total"] or 0)
    cache.set(key, used, timeout=24 * 3600)
    return used


def tree_folder_oids(*, commit: Commit, path: str = "") -> dict[str, str]:
    """git tree id of every folder at or below ``path`` at a commit ('' = root).

    Empty when ``path`` is not a folder. One query; ids are computed as git
    computes them, so the root's id is the commit's tree id.
    """
    prefix = f"{path.strip('/')}/" if path.strip("/") else ""
    rows = TreeEntry.objects.filter(commit=commit)
    if prefix:
        rows = rows.filter(path__startswith=prefix)
    root: dict[str, Any] = {}
    found = False
    for file_path, git_oid in rows.values_list("path", "git_oid"):
        found = True
        node = root
        *folders, name = file_path[len(prefix) :].split("/")
        for folder in folders:
            node = node.setdefault(folder, {})
        node[name] = git_oid
    if not found:
        return {}
    oids: dict[str, str] = {}

    def walk(node: dict[str, Any], folder: str) -> str:
        items: list[tuple[bytes, bytes, str]] = []
        for name, value in node.items():
            raw = name.encode("utf-8")
            if isinstance(value, dict):
                child = f"{folder}/{name}" if folder else name
                oid = walk(value, child)
                items.append((raw + b"/", gitobjects.TREE_MODE + b" " + raw, oid))
            else:
                items.append((raw, gitobjects.FILE_MODE + b" " + raw, value))
        # git orders entries by name, a folder as if its name ended in '/'.
        items.sort(key=lambda item: item[0])
        body = b"".join(head + b"\0" + bytes.fromhex(oid) for _, head, oid in items)
        oids[folder] = gitobjects.git_object_id(b"tree", body)
        return oids[folder]

    walk(root, prefix.rstrip("/"))
    return oids


def tree_items_at_paths(*, commit: Commit, paths: Iterable[str]) -> list[TreeItem]:
    """The files and folders among ``paths`` at a commit, in the order asked.

    Paths that are neither are left out. File items carry their entry with
    its blob loaded. At most two queries.
    """
    wanted = list(dict.fromkeys(p.strip("/") for p in paths if p.strip("/")))
    files = {
        entry.path: entry
        for entry in TreeEntry.objects.filter(commit=commit, path__in=wanted)
        .select_related("blob")
        .order_by()
    }
    rest = [p for p in wanted if p not in files]
    folders: set[str] = set()
    if rest:
        below = TreeEntry.objects.filter(commit=commit)
        if len(rest) <= 100:
            q = Q()
            for folder in rest:
                q |= Q(path__startswith=f"{folder}/")
            below = below.filter(q)
        # else: one pass over the commit's paths beats a huge OR of LIKEs.
        candidates = set(rest)
        for file_path in below.values_list("path", flat=True).iterator():
            parts = file_path.split("/")
            for depth in range(1, len(parts)):
                folder = "/".join(parts[:depth])
                if folder in candidates:
                    folders.add(folder)
    items: list[TreeItem] = []
    for p in wanted:
        if p in files:
            entry = files[p]
            items.append(TreeItem("file", entry.path, entry.size, entry))
        elif p in folders:
            items.append(TreeItem("directory", p))
    return items


def file_content_oid(*, entry: TreeEntry) -> str:
    """git blob id of a file's own content (for an LFS file, not of its pointer).

    Read from the blob row when known, else hashed from the store (no write).
    """
    if not entry.is_lfs:
        return entry.git_oid
    if entry.blob.git_sha1:
        return entry.blob.git_sha1
    from hub.storage.services import blob_store

    hasher = gitobjects.BlobHasher(entry.blob.size)
    for chunk in blob_store().iter_range(entry.blob_id):
        hasher.update(chunk)
    return hasher.hexdigest()


@dataclass(frozen=True)
class _IgnoreRule:
    regex: re.Pattern[str]
    negate: bool
    dir_only: bool


@lru_cache(maxsize=64)
def _gitignore_rules(gitignore: str) -> tuple[_IgnoreRule, ...]:
    rules: list[_IgnoreRule] = []
    for raw in gitignore.splitlines():
        line = raw.rstrip()
        if raw.endswith("\\ "):
            line += " "
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        if negate or line.startswith(("\\!", "\\#")):
            line = line[1:]
        dir_only = line.endswith("/")
        line = line.rstrip("/")
        if not line:
            continue
        anchored = "/" in line
        body = git_glob_regex(line.lstrip("/"))
        regex = f"^{body}$" if anchored else f"^(?:.*/)?{body}$"
        try:
            rules.append(_IgnoreRule(re.compile(regex), negate, dir_only))
        except re.error:
            continue  # git ignores a pattern it cannot read; so does this
    return tuple(rules)


def path_is_ignored(*, path: str, gitignore: str) -> bool:
    """Whether ``.gitignore`` text excludes a file path, with git's semantics.

    The last matching pattern wins; a file inside an excluded folder stays
    excluded whatever later patterns say about the file itself.
    """
    rules = _gitignore_rules(gitignore)
    if not rules:
        return False
    parts = path.split("/")
    for depth in range(1, len(parts)):
        if _last_match(rules, "/".join(parts[:depth]), is_dir=True):
            return True
    return _last_match(rules, path, is_dir=False)


def _last_match(rules: tuple[_IgnoreRule, ...], path: str, *, is_dir: bool) -> bool:
    ignored = False
    for rule in rules:
        if rule.dir_only and not is_dir:
            continue
        if rule.regex.match(path):
            ignored = not rule.negate
    return ignored


WEIGHT_SUFFIXES = (
    ".safetensors",
    ".bin",
    ".pt",
    ".pth",
    ".ckpt",
    ".gguf",
    ".onnx",
    ".h5",
    ".msgpack",
    ".pkl",
)


def download_is_counted(*, commit: Commit, path: str) -> bool:
    """Whether a full download of ``path`` counts as one download of the repo.

    As on the HF Hub: the root ``config.json`` counts, or, in a repo without
    one, a root-level weights file. Every other file, and partial or HEAD
    requests (the caller checks those), do not, so one ``snapshot_download``
    or ``from_pretrained`` counts once.
    """
    if path == "config.json":
        return True
    if "/" in path or not path.endswith(WEIGHT_SUFFIXES):
        return False
    return not TreeEntry.objects.filter(commit=commit, path="config.json").exists()
