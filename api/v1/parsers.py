"""The JSON parser of /api/v1: the project's one JSON reader (size and depth
caps, hub.core.parsing) behind DRF's parser interface."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from hub.core.errors import ValidationError
from hub.core.parsing import MAX_JSON_BYTES, json_parse


class BoundedJSONParser(JSONParser):
    """``application/json`` bodies through ``json_parse``: a 400 naming the
    problem for JSON too large, too deep or malformed, never a 500."""

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        limit = min(MAX_JSON_BYTES, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        raw = stream.read(limit + 1) if stream is not None else b""
        try:
            return json_parse(raw, max_bytes=limit)
        except ValidationError as exc:
            raise ParseError(exc.message) from None
