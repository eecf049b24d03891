"""A revision's history and one commit's changes and checks."""

from __future__ import annotations

from itertools import islice

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from hub.accounts.actors import Actor
from hub.catalog.content import changes_readable
from hub.catalog.history import commit_changes, commit_history
from hub.catalog.models import Commit
from hub.catalog.revisions import revision_resolve, revision_split
from hub.web.history import commit_file_diffs
from hub.web.presenters.checks import commit_checks
from hub.web.views.common import (
    canonical_redirect,
    load_repo,
    page_errors,
    refs_context,
    repo_context,
    revision_url,
)

PAGE_SIZE = 30


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("p", "1")), 10_000))
    except ValueError:
        return 1


@require_safe
@page_errors
def commits(request: HttpRequest, namespace: str, name: str, rest: str) -> HttpResponse:
    """``/{ns}/{name}/commits/{revision}[/{path}]``: newest first, 30 a page."""
    repo = load_repo(request, namespace, name)
    moved = canonical_redirect(request, repo, namespace, name)
    if moved is not None:
        return moved
    revision, path = revision_split(repo=repo, rest=rest)
    path = path.strip("/")
    head = revision_resolve(repo=repo, revision=revision)
    page = _page_number(request)
    start = (page - 1) * PAGE_SIZE
    # One more than a page tells whether a next page exists.
    walk = commit_history(repo=repo, revision=head.oid, path=path or None)
    shown: list[Commit] = list(islice(walk, start, start + PAGE_SIZE + 1))
    has_next = len(shown) > PAGE_SIZE
    context = {
        **repo_context(request, repo, "files"),
        "revision": revision,
        "path": path,
        "head": head,
        "commits": shown[:PAGE_SIZE],
        "page": page,
        "has_next": has_next,
        **refs_context(repo),
        "tree_url": revision_url(repo, "tree", revision),
    }
    return render(request, "web/repo/commits.html", context)


@require_safe
@page_errors
def commit_detail(
    request: HttpRequest, namespace: str, name: str, oid: str
) -> HttpResponse:
    """``/{ns}/{name}/commit/{oid}``: message, author, checks, changed files."""
    repo = load_repo(request, namespace, name)
    moved = canonical_redirect(request, repo, namespace, name)
    if moved is not None:
        return moved
    commit = revision_resolve(repo=repo, revision=oid)
    changes = commit_changes(commit=commit)
    parents = [p for p in (commit.parent, commit.merge_parent) if p is not None]
    context = {
        **repo_context(request, repo, "files"),
        "commit": commit,
        "parents": parents,
        "diffs": commit_file_diffs(
            changes,
            readable=changes_readable(
                actor=Actor.of(request.user), repo=repo, changes=changes
            ),
        ),
        "checks": commit_checks(commit=commit),
    }
    return render(request, "web/repo/commit.html", context)
