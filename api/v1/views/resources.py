"""Every /api/v1 resource except the models list, detail and search.

The resources live in their own modules; this one gathers their router
registrations and URL patterns for api/v1/urls.py:

- files.py: tree, file metadata, commits, compare
- checks.py: check runs of a commit or a revision
- refs.py: refs, branches, tags
- licenses.py: the license catalog
- accounts.py: organizations, members, tokens
- community.py: likes, discussions, pull requests
"""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern

from api.v1.views import accounts, checks, community, files, licenses, refs


def register(router: Any) -> None:
    licenses.register(router)
    accounts.register(router)


urlpatterns: list[URLPattern] = [
    *files.urlpatterns,
    *checks.urlpatterns,
    *refs.urlpatterns,
    *accounts.urlpatterns,
    *community.urlpatterns,
]
