"""Which repos a caller may see.

``repo_list_visible`` is the one visibility rule: every list, search and
detail path starts from it, so a private repo cannot leak through one of
them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from hub.accounts.actors import user_is_active
from hub.accounts.models import ApiToken, Membership, Namespace
from hub.catalog.errors import RepoNotFoundError
from hub.catalog.models import ModelRepo, RepoRedirect
from hub.core.names import repo_typed_id, repo_typed_id_split


def repo_list_visible(
    *,
    user: Any,
    token: ApiToken | None = None,
    include_disabled: bool = False,
    repo_type: str | None = None,
) -> QuerySet[ModelRepo]:
    """Repos the user may see: public ones, plus private ones they have a role on.

    ``repo_type`` narrows it to one type (catalog lists); None keeps every
    type (lookups, and what spans types: notifications, likes, moderation).

    A token limited to named repos sees private repos only among those.
    Repos disabled by moderation are left out of lists, except for staff and
    the members of the repo's namespace; detail lookups pass
    ``include_disabled=True`` so the page can say why it is disabled.
    """
    # The search document is the widest column, and only search reads it
    # (in SQL): no lookup or list loads it.
    qs = ModelRepo.objects.select_related("namespace").defer("search_vector")
    if repo_type is not None:
        qs = qs.filter(repo_type=repo_type)
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
            split = repo_typed_id_split(repo_id)
            if split is not None:
                allowed |= _typed_id_q(*split)
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


def _typed_id_q(repo_type: str, namespace: str, name: str) -> Q:
    return Q(repo_type=repo_type, namespace__name__iexact=namespace, name__iexact=name)


def repo_get_visible(
    *,
    user: Any,
    namespace: str,
    name: str,
    token: ApiToken | None = None,
    repo_type: str = "model",
) -> ModelRepo:
    """A repo by type and id if the caller may see it; RepoNotFoundError
    otherwise.

    Renamed or moved repos are found under their old id too. A private repo
    the caller may not see is indistinguishable from a missing one.
    """
    visible = repo_list_visible(user=user, token=token, include_disabled=True)
    # At most one repo has this id (names are unique in any case): no ORDER
    # BY for ``first()`` to compile, on the path of every download.
    repo = next(
        iter(visible.filter(_typed_id_q(repo_type, namespace, name)).order_by()[:1]),
        None,
    )
    typed_id = repo_typed_id(repo_type, namespace, name)
    if repo is None:
        redirect = (
            RepoRedirect.objects.filter(old_full_name__iexact=typed_id)
            .values_list("repo_id", flat=True)
            .first()
        )
        if redirect is not None:
            repo = visible.filter(pk=redirect).first()
    if repo is None:
        raise RepoNotFoundError(f"Repository {typed_id} not found.")
    return repo


def repos_visible_by_id(
    *,
    user: Any,
    repo_ids: Iterable[str],
    token: ApiToken | None = None,
    repo_type: str = "model",
) -> dict[str, ModelRepo]:
    """The repos of ``repo_type`` named ``namespace/name`` (any case) that the
    caller may see, keyed by their lowercased id, in one query."""
    query = Q(pk__in=[])
    for repo_id in repo_ids:
        namespace, _, name = repo_id.partition("/")
        query |= _typed_id_q(repo_type, namespace, name)
    return {
        repo.full_name.lower(): repo
        for repo in repo_list_visible(user=user, token=token).filter(query)
    }
