"""ETag and ``If-None-Match`` for detail endpoints (304 Not Modified).

The tag is a hash of the serialized representation, so it changes exactly
when what the caller would receive changes (including fields that depend on
who asks). Use ``ETagRetrieveMixin`` on a viewset's ``retrieve``, or
``conditional_response`` in a hand-written GET.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response


def etag_of(data: Any) -> str:
    """A strong ETag (quoted) for JSON-serialisable response data."""
    raw = json.dumps(
        data, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder
    ).encode()
    return '"' + hashlib.sha256(raw).hexdigest()[:40] + '"'


def etag_matches(request: Request, etag: str) -> bool:
    """Whether ``If-None-Match`` names this tag (weak comparison, RFC 9110)."""
    header = request.headers.get("If-None-Match", "")
    if not header:
        return False
    if header.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(
        candidate.strip().removeprefix("W/") == wanted
        for candidate in header.split(",")
    )


def conditional_response(
    request: Request, data: Any, *, headers: dict[str, str] | None = None
) -> Response:
    """200 with an ETag, or an empty 304 when the client already has this version."""
    etag = etag_of(data)
    # The representation depends on who asks (private fields, roles): a
    # shared cache must key it by credentials too.
    all_headers = {**(headers or {}), "ETag": etag, "Vary": "Authorization, Cookie"}
    if request.method in ("GET", "HEAD") and etag_matches(request, etag):
        return Response(status=status.HTTP_304_NOT_MODIFIED, headers=all_headers)
    return Response(data, headers=all_headers)


class ETagRetrieveMixin:
    """``retrieve`` with an ETag; answers 304 to a matching ``If-None-Match``."""

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()  # type: ignore[attr-defined]
        data = self.get_serializer(instance).data  # type: ignore[attr-defined]
        return conditional_response(request, data)
