"""The files of a revision: folder listings and file pages."""

from __future__ import annotations

import posixpath
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_for_filename
from pygments.lexers.special import TextLexer
from pygments.util import ClassNotFound

from hub.accounts.actors import Actor
from hub.catalog.cards import card_split
from hub.catalog.content import content_refusal
from hub.catalog.errors import EntryNotFoundError
from hub.catalog.models import Commit, ModelRepo
from hub.catalog.revisions import revision_resolve, revision_split
from hub.catalog.trees import file_get, tree_list
from hub.storage.selectors import blob_read_bytes
from hub.web.history import last_commits
from hub.web.markdown import MAX_CARD_BYTES, markdown_html
from hub.web.views.common import (
    canonical_redirect,
    load_repo,
    page_errors,
    refs_context,
    repo_context,
    revision_url,
)

# Text files up to this size are shown (highlighted up to the second limit).
MAX_VIEW_BYTES = 1024 * 1024
MAX_HIGHLIGHT_BYTES = 256 * 1024
HIGHLIGHT_CACHE_SECONDS = 7 * 24 * 3600


def _crumbs(repo: ModelRepo, revision: str, path: str) -> list[dict[str, str]]:
    crumbs = [{"name": repo.name, "url": revision_url(repo, "tree", revision)}]
    parts = [p for p in path.split("/") if p]
    for depth, part in enumerate(parts, start=1):
        folder = "/".join(parts[:depth])
        crumbs.append(
            {"name": part, "url": revision_url(repo, "tree", revision, folder)}
        )
    return crumbs


def _files_context(
    request: HttpRequest, repo: ModelRepo, revision: str, commit: Commit, path: str
) -> dict[str, Any]:
    return {
        **repo_context(request, repo, "files"),
        **refs_context(repo),
        "revision": revision,
        "commit": commit,
        "path": path,
        "crumbs": _crumbs(repo, revision, path),
        "history_url": revision_url(repo, "commits", revision),
    }


@require_safe
@page_errors
def tree(
    request: HttpRequest, namespace: str, name: str, rest: str = ""
) -> HttpResponse:
    """``/{ns}/{name}/tree/{revision}/{path}``: a folder's files and folders."""
    repo = load_repo(request, namespace, name)
    moved = canonical_redirect(request, repo, namespace, name)
    if moved is not None:
        return moved
    if not rest:
        return redirect(revision_url(repo, "tree", "main"))
    revision, path = revision_split(repo=repo, rest=rest)
    path = path.strip("/")
    commit = revision_resolve(repo=repo, revision=revision)
    items = tree_list(commit=commit, path=path)
    if len(items) == 1 and items[0].type == "file" and items[0].path == path:
        return redirect(revision_url(repo, "blob", revision, path))
    names = [posixpath.basename(item.path) for item in items]
    latest, complete = last_commits(repo=repo, head=commit, folder=path, names=names)
    rows = [
        {
            "item": item,
            "name": name_,
            "last": latest.get(name_),
            "url": revision_url(
                repo,
                "tree" if item.type == "directory" else "blob",
                revision,
                item.path,
            ),
            "download": revision_url(repo, "resolve", revision, item.path)
            if item.type == "file"
            else "",
        }
        for item, name_ in zip(items, names, strict=True)
    ]
    context = {
        **_files_context(request, repo, revision, commit, path),
        "rows": rows,
        "history_complete": complete,
        "parent_url": revision_url(repo, "tree", revision, posixpath.dirname(path))
        if path
        else "",
    }
    return render(request, "web/repo/tree.html", context)


def _highlighted(path: str, text: str, *, sha256: str | None = None) -> str:
    """Pygments HTML for ``text``, cached by content address when known.

    Highlighting costs about 0.1 ms a line; content is immutable under its
    sha256, so a file is highlighted once per lexer, not once per view.
    """
    try:
        lexer = get_lexer_for_filename(posixpath.basename(path), stripnl=False)
    except ClassNotFound:
        lexer = TextLexer(stripnl=False)
    key = f"web:highlight:v1:{lexer.name}:{sha256}" if sha256 else None
    if key is not None:
        cached = cache.get(key)
        if cached is not None:
            return str(cached)
    formatter = HtmlFormatter(linenos="table", cssclass="highlight", lineanchors="L")
    html = str(highlight(text, lexer, formatter))
    if key is not None:
        cache.set(key, html, HIGHLIGHT_CACHE_SECONDS)
    return html


def _file_view(
    request: HttpRequest, repo: ModelRepo, commit: Commit, path: str
) -> dict[str, Any]:
    """What the file page shows: the text, a rendered card, or only metadata."""
    entry = file_get(commit=commit, path=path)
    view: dict[str, Any] = {"entry": entry, "text_html": "", "card_html": ""}
    refusal = content_refusal(actor=Actor.of(request.user), repo=repo, entry=entry)
    if refusal is not None:
        view["notice"] = refusal.message
        view["blocked"] = True
        return view
    if entry.is_lfs:
        kind = "Xet" if entry.blob.xet_file_id else "Git LFS"
        view["notice"] = f"This file is stored with {kind}: download it to use it."
        return view
    if entry.size > MAX_VIEW_BYTES:
        view["notice"] = "This file is too large to display."
        return view
    data = blob_read_bytes(sha256=entry.blob_id, limit=MAX_VIEW_BYTES)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is None or "\0" in text:
        view["notice"] = "This is a binary file."
        return view
    view["line_count"] = text.count("\n") + (0 if text.endswith("\n") else 1)
    rendered = request.GET.get("plain") != "1" and entry.size <= MAX_CARD_BYTES
    if path.lower().endswith(".md") and rendered:
        # A card's YAML metadata is shown as YAML, not rendered as Markdown.
        front_matter, body = card_split(text)
        if front_matter:
            view["front_matter_html"] = _highlighted("metadata.yaml", front_matter)
        view["card_html"] = markdown_html(
            body, repo_base=f"/{repo.typed_id}", revision=commit.oid
        )
    if entry.size <= MAX_HIGHLIGHT_BYTES:
        view["text_html"] = _highlighted(path, text, sha256=entry.blob_id)
    else:
        view["plain_text"] = text
    return view


@require_safe
@page_errors
def blob(request: HttpRequest, namespace: str, name: str, rest: str) -> HttpResponse:
    """``/{ns}/{name}/blob/{revision}/{path}``: one file, highlighted if text."""
    repo = load_repo(request, namespace, name)
    moved = canonical_redirect(request, repo, namespace, name)
    if moved is not None:
        return moved
    revision, path = revision_split(repo=repo, rest=rest)
    path = path.strip("/")
    commit = revision_resolve(repo=repo, revision=revision)
    if not path:
        return redirect(revision_url(repo, "tree", revision))
    try:
        view = _file_view(request, repo, commit, path)
    except EntryNotFoundError:
        # A folder named like a file path: show its listing instead.
        tree_list(commit=commit, path=path)
        return redirect(revision_url(repo, "tree", revision, path))
    context = {
        **_files_context(request, repo, revision, commit, path),
        **view,
        "download_url": revision_url(repo, "resolve", revision, path),
        "pinned_url": revision_url(repo, "blob", commit.oid, path),
    }
    return render(request, "web/repo/blob.html", context)
