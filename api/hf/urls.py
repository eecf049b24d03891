"""Routes of the Hugging Face Hub protocol (hf-protocol.md).

Each views module declares its own ``urlpatterns``; they are joined here.
No trailing slashes anywhere: the client never follows a redirect on POST.
"""

from __future__ import annotations

import importlib

from django.urls import URLPattern, URLResolver

_MODULES = [
    "api.hf.views.lfs",
    "api.hf.views.community",
    "api.hf.views.repos",
    "api.hf.views.files",
    "api.hf.views.resolve",
    "api.hf.views.access",
]

urlpatterns: list[URLPattern | URLResolver] = []
for _name in _MODULES:
    urlpatterns += importlib.import_module(_name).urlpatterns
