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
)

# Order matters: the first pattern that matches wins.
urlpatterns: list[URLPattern | URLResolver] = [
    *lfs.urlpatterns,
    *community.urlpatterns,
    *likes.urlpatterns,
    *repos.urlpatterns,
    *models.urlpatterns,
    *history.urlpatterns,
    *files.urlpatterns,
    *access.urlpatterns,
]
