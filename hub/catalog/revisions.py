"""Refs and revisions: branches, tags and the commits they name."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db.models import QuerySet

from hub.catalog.errors import RevisionNotFoundError
from hub.catalog.models import Commit, ModelRepo, Ref
from hub.core.names import is_commit_oid

# Refs whose names are known by their shape, before any lookup.
_SPECIAL_REF = re.compile(r"^(refs/pr/\d+|refs/convert/[A-Za-z0-9_-]+)(?:/(.*))?$")


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
    match = _SPECIAL_REF.match(rest)
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


def revision_split_resolve(*, repo: ModelRepo, rest: str) -> tuple[Commit, str, str]:
    """``revision_split`` and ``revision_resolve`` of ``<revision>/<path>`` in
    one query (a download's fixed cost, issue 17): (commit, revision, path).

    The refs named by a prefix of ``rest`` are read at once; the longest
    name with a '/' wins, as in ``revision_split``. Raises
    RevisionNotFoundError.
    """
    match = _SPECIAL_REF.match(rest)
    if match:
        revision = match.group(1)
        return revision_resolve(repo=repo, revision=revision), revision, match[2] or ""
    segments = rest.split("/")
    prefixes = ["/".join(segments[:depth]) for depth in range(1, len(segments) + 1)]
    refs = list(
        Ref.objects.filter(repo=repo, name__in=prefixes).select_related("commit")
    )
    slashed = [
        ref for ref in refs if "/" in ref.name and ref.kind != Ref.Kind.PULL_REQUEST
    ]
    if slashed:
        ref = max(slashed, key=lambda ref: len(ref.name))
        return ref.commit, ref.name, rest[len(ref.name) + 1 :]
    revision, _, path = rest.partition("/")
    for ref in refs:
        if ref.name == revision:
            return ref.commit, revision, path
    if is_commit_oid(revision):
        commit = Commit.objects.filter(repo=repo, oid=revision).first()
        if commit is not None:
            return commit, revision, path
    raise RevisionNotFoundError(f"Revision {revision!r} not found in {repo.full_name}.")


def repo_heads(*, repo_ids: Iterable[int], branch: str = "main") -> dict[int, Commit]:
    """The head commit of ``branch`` for each repo that has it (one query)."""
    refs = Ref.objects.filter(repo_id__in=list(repo_ids), name=branch).select_related(
        "commit"
    )
    return {ref.repo_id: ref.commit for ref in refs}
