"""Filters the pages share: counts, sizes, parameter counts, repo URLs."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

register = template.Library()


def _short(value: float, units: tuple[tuple[float, str], ...]) -> str:
    for factor, suffix in units:
        if abs(value) >= factor:
            scaled = value / factor
            text = f"{scaled:.1f}" if scaled < 100 else f"{scaled:.0f}"
            return text.removesuffix(".0") + suffix
    return f"{value:.0f}"


@register.filter
def count(value: Any) -> str:
    """1234 → "1.2k", 5600000 → "5.6M"."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return ""
    return _short(number, ((1e9, "B"), (1e6, "M"), (1e3, "k")))


@register.filter
def params(value: Any) -> str:
    """A parameter count as people say it: 7241748480 → "7.2B params"."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return ""
    return _short(number, ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")))


@register.filter
def urlpath(value: Any) -> str:
    """Quote a repo path or revision for a URL, keeping its slashes."""
    return quote(str(value), safe="/")


@register.filter
def basename(value: Any) -> str:
    return str(value).rstrip("/").rsplit("/", 1)[-1]


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.simple_tag
def repo_url(repo: Any, *parts: Any) -> str:
    """``/{namespace}/{name}`` plus quoted ``parts`` joined with '/'."""
    base = f"/{repo.namespace.name}/{repo.name}"
    tail = "/".join(quote(str(p), safe="/") for p in parts if p not in ("", None))
    return f"{base}/{tail}" if tail else base


@register.filter
def ago(value: Any) -> str:
    """ "3 hours ago", "just now" for the last minute, "" for no time."""
    if not isinstance(value, datetime):
        return ""
    if (timezone.now() - value).total_seconds() < 60:
        return "just now"
    return f"{timesince(value, depth=1)} ago"
