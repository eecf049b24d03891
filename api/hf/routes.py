"""The repo part of HF protocol routes, for every repo type.

The client builds ``/api/models/ns/name/...``, ``/api/datasets/...`` and
``/api/spaces/...`` for its API calls, and ``/ns/name/resolve/...``,
``/datasets/ns/name/resolve/...`` and ``/spaces/...`` for files. Views get
the type as ``repo_type`` ("model", "dataset", "space") from these
converters, and pass it to every repo lookup.
"""

from __future__ import annotations

from django.urls import register_converter

from hub.core.names import REPO_TYPE_PLURALS

_SINGULAR = {plural: singular for singular, plural in REPO_TYPE_PLURALS.items()}
_PREFIXED = {"datasets": "dataset", "spaces": "space"}


class RepoTypePluralConverter:
    """``models`` | ``datasets`` | ``spaces`` ↔ the repo type."""

    regex = "models|datasets|spaces"

    def to_python(self, value: str) -> str:
        return _SINGULAR[value]

    def to_url(self, value: str) -> str:
        return REPO_TYPE_PLURALS[value]


class RepoTypePrefixConverter:
    """The first URL segment of a dataset's or space's files and pages."""

    regex = "datasets|spaces"

    def to_python(self, value: str) -> str:
        return _PREFIXED[value]

    def to_url(self, value: str) -> str:
        return REPO_TYPE_PLURALS[value]


register_converter(RepoTypePluralConverter, "hf_repo_types")
register_converter(RepoTypePrefixConverter, "hf_repo_prefix")

# ``api/<type>s/<namespace>/<name>``: the start of every repo API route.
REPO_API = "api/<hf_repo_types:repo_type>/<str:namespace>/<str:name>"


def repo_type_of_prefix(prefix: str | None) -> str:
    """The repo type of a URL's optional first segment (None: a model)."""
    return _PREFIXED[prefix] if prefix else "model"
