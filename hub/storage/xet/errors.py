"""The one error the Xet format readers raise: a 400 that says what is wrong."""

from __future__ import annotations

from hub.core.errors import ValidationError


class XetFormatError(ValidationError):
    """An uploaded xorb or shard is malformed, over a cap or mis-hashed."""

    code = "xet_invalid"
