"""Routes of the Hugging Face Hub protocol (hf-protocol.md).

Each views module declares its own ``urlpatterns``; they are joined here.
No trailing slashes anywhere: the client never follows a redirect on POST.
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

from api.hf.views import (
    access,
    community,
    files,
    history,
    lfs,
    likes,
    models,
    repos,
    resolve,
    xet_cas,
)

# Order matters: the first pattern that matches wins.
urlpatterns: list[URLPattern | URLResolver] = [
    *xet_cas.urlpatterns,
    *lfs.urlpatterns,
    *community.urlpatterns,
    *likes.urlpatterns,
    *repos.urlpatterns,
    *models.urlpatterns,
    *history.urlpatterns,
    *files.urlpatterns,
    *resolve.urlpatterns,
    *access.urlpatterns,
]
