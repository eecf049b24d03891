"""/api/v1: the project's own versioned REST API (no trailing slashes)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from api.v1.views import (
    access,
    audit,
    datasets,
    evals,
    models,
    moderation,
    notifications,
    quotas,
    resources,
    reviews,
    storage,
)

router = DefaultRouter(trailing_slash=False)

# Each resource module registers its viewsets on ``router`` and may add
# extra ``urlpatterns``.
_MODULES = [
    models,
    datasets,
    resources,
    notifications,
    reviews,
    access,
    moderation,
    evals,
    storage,
    audit,
    quotas,
]

urlpatterns: list[URLPattern | URLResolver] = []
for _module in _MODULES:
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
