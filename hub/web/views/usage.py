"""Quota usage pages: ``/settings/usage`` (the visitor's own namespace) and
``/organizations/{name}/usage`` (its members and staff). The use case
(``hub.catalog.quotas.namespace_usage_open``) decides who may see them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from hub.accounts.actors import Actor
from hub.accounts.models import Namespace
from hub.catalog.quotas import NamespaceUsage, namespace_usage_open
from hub.core.errors import NotFoundError
from hub.web.views.common import current_user, page_errors

LOGIN = "login"


def _render(request: HttpRequest, usage: NamespaceUsage) -> HttpResponse:
    limits = usage.limits
    storage_limit = limits.storage_bytes
    context = {
        "usage": usage,
        "limits": limits,
        "is_org": usage.namespace.kind == Namespace.Kind.ORGANIZATION,
        "storage_percent": (
            min(100, int(100 * usage.stored_bytes / storage_limit))
            if storage_limit
            else None
        ),
        "overridden": sorted(limits.overridden),
    }
    return render(request, "web/settings/usage.html", context)


@login_required(login_url=LOGIN)
@require_safe
@page_errors
def settings_usage(request: HttpRequest) -> HttpResponse:
    """``/settings/usage``: the visitor's stored bytes, repositories and limits."""
    user = current_user(request)
    usage = namespace_usage_open(actor=Actor.of(user), name=user.username)
    return _render(request, usage)


@login_required(login_url=LOGIN)
@require_safe
@page_errors
def organization_usage(request: HttpRequest, name: str) -> HttpResponse:
    """``/organizations/{name}/usage``: for the organisation's members and staff."""
    usage = namespace_usage_open(actor=Actor.of(current_user(request)), name=name)
    if usage.namespace.kind != Namespace.Kind.ORGANIZATION:
        raise NotFoundError(f"No organization is named {name!r}.")
    return _render(request, usage)
