"""Which repos an operator's command covers: one repo, a namespace, or all.

Operator commands (``hub_rescan``, ``hub_reindex``) run with no actor: they
see every repo, private and disabled ones included. A target is
``namespace/name`` (one repo), ``namespace`` (its repos), or None (every
repo); names match case-insensitively, as everywhere on the hub.
"""

from __future__ import annotations

from django.db.models import QuerySet

from hub.accounts.models import Namespace
from hub.catalog.models import ModelRepo
from hub.core.errors import NotFoundError, ValidationError


def repo_scope(*, target: str | None) -> QuerySet[ModelRepo]:
    """The repos ``target`` names (None: every repo), ordered by id.

    Raises ValidationError for a malformed target and NotFoundError when it
    names no repo or namespace.
    """
    repos = ModelRepo.objects.select_related("namespace").order_by("pk")
    if target is None:
        return repos
    parts = target.strip().split("/")
    if len(parts) > 2 or not all(parts):
        raise ValidationError(
            f"{target!r} is neither a repo (namespace/name) nor a namespace."
        )
    scoped = repos.filter(namespace__name__iexact=parts[0])
    if len(parts) == 2:
        scoped = scoped.filter(name__iexact=parts[1])
        if not scoped.exists():
            raise NotFoundError(f"There is no repo {target}.")
    elif not scoped.exists() and not _namespace_exists(parts[0]):
        raise NotFoundError(f"There is no namespace {parts[0]}.")
    return scoped


def _namespace_exists(name: str) -> bool:
    return Namespace.objects.filter(name__iexact=name).exists()
