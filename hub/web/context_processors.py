"""Values every page's layout needs (the header's search box and menu)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

SITE_NAME = "Model Commons"


def site(request: HttpRequest) -> dict[str, Any]:
    """The site's name and the search text to keep in the header's box."""
    return {
        "site_name": SITE_NAME,
        "header_search": request.GET.get("search", "")[:200],
        # Sign-up links only while local accounts are on (HUB_LOCAL_ACCOUNTS).
        "local_accounts": settings.HUB_LOCAL_ACCOUNTS,
    }
