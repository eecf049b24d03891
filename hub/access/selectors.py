"""Reads of gated repos' access requests."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from hub.licenses.models import LicenseAcceptance


def access_request_list(*, repo: Any, status: str | None = None) -> QuerySet[Any]:
    """A gated repo's access requests, newest first, users joined."""
    qs = (
        LicenseAcceptance.objects.filter(repo=repo)
        .select_related("user", "decided_by")
        .order_by("-created_at", "-pk")
    )
    return qs.filter(status=status) if status else qs


def access_request_get(*, repo: Any, user: Any) -> Any:
    """The user's access request for the repo, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        LicenseAcceptance.objects.filter(repo=repo, user=user)
        .select_related("user", "decided_by")
        .first()
    )
