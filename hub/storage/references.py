"""Who references stored content: hooks the apps above storage register.

Storage must never delete content a commit (or anything else) still points
at, yet it may not know the apps that point at it. Each such app registers,
in its ``AppConfig.ready()``, a function that, given an expression for a
blob's digest (``OuterRef("pk")``), returns its rows referencing that blob;
storage asks "is this blob referenced" as ``Exists`` of any of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

# referencing(blob digest expression) -> rows that reference that blob
BlobReferrer = Callable[[Any], QuerySet[Any]]

_referrers: dict[str, BlobReferrer] = {}


def blob_referrer_register(name: str, referencing: BlobReferrer) -> None:
    """Register (or replace) the referrer ``name`` (an app label). Idempotent."""
    _referrers[name] = referencing


def blob_unreferenced() -> list[Any]:
    """Filters on Blob rows (``filter(*...)``): referenced by no referrer.

    Raises RuntimeError when no referrer is registered: without one every
    blob would look unreferenced, and a collector would delete them all.
    """
    if not _referrers:
        raise RuntimeError(
            "no blob referrer is registered (hub.catalog registers one in ready())"
        )
    return [~Exists(referencing(OuterRef("pk"))) for referencing in _referrers.values()]
