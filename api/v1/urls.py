"""/api/v1: the project's own versioned REST API (no trailing slashes)."""

from __future__ import annotations

import importlib

from django.urls import URLPattern, URLResolver, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

router = DefaultRouter(trailing_slash=False)

# Each resource module registers its viewsets on ``router`` and may add
# extra ``urlpatterns``.
_MODULES = [
    "api.v1.views.models",
    "api.v1.views.resources",
    "api.v1.views.notifications",
    "api.v1.views.reviews",
    "api.v1.views.access",
    "api.v1.views.moderation",
    "api.v1.views.evals",
]

urlpatterns: list[URLPattern | URLResolver] = []
for _name in _MODULES:
    _module = importlib.import_module(_name)
    _module.register(router)
    urlpatterns += getattr(_module, "urlpatterns", [])

urlpatterns += [
    path("schema", SpectacularAPIView.as_view(), name="api-v1-schema"),
    path(
        "docs",
        # Split: its script is a file of its own, as the hub's
        # Content-Security-Policy runs no inline script.
        SpectacularSwaggerSplitView.as_view(url_name="api-v1-schema"),
        name="api-v1-docs",
    ),
    *router.urls,
]
