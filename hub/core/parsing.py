"""Parsing untrusted input: JSON with depth and size caps, bounded integers.

Every face parses request bodies and query parameters through these two
functions, so hostile input gets the same clear 400 everywhere instead of a
server error deep inside (issue 13, hole 11):

* JSON nested 100,000 deep makes ``json.loads`` raise RecursionError, and
  JSON a few hundred deep that it does parse overflows whatever walks it
  next (serializers, ``json.dumps`` of the answer). Bodies of this hub are
  a few levels deep, so the depth is checked before parsing, in one linear
  scan, and capped well below the interpreter's recursion limit.
* A 24-digit ``cursor`` or page number is a valid Python int that overflows
  PostgreSQL's 64-bit OFFSET. Integer parameters are bounded.
"""

from __future__ import annotations

import itertools
import json
import operator
from typing import Any

from hub.core.errors import ValidationError

# Deeper than any body a client of this hub sends (an LFS batch is 4 levels,
# a model card's metadata a handful), far below Python's recursion limit.
MAX_JSON_DEPTH = 64
# Integer parameters (offsets, page numbers, ids): below 2**31 they fit every
# database column and any OFFSET, even multiplied by a page size.
MAX_INT_PARAM = 2**31 - 1

# JSON text longer than this is refused: no body of this hub's protocols
# comes near it (an LFS batch of 1,000 objects is ~150 kB; file contents
# travel base64-streamed or through LFS, never inside a parsed value).
MAX_JSON_BYTES = 4 * 1024 * 1024

_NOT_BRACKET = bytes(sorted(set(range(256)) - set(b"[]{}")))
# An opening bracket as 2, a closing one as 0: the running sum of the first
# k brackets is then (depth after them) + k.
_AS_STEP = bytes.maketrans(b"[{]}", b"\x02\x02\x00\x00")


def _nesting_depth(raw: bytes) -> int:
    """How deeply ``raw`` nests arrays and objects (0 for a scalar).

    Escapes and strings are dropped first (``\\\\`` pairs, then ``\\"``,
    then every other quote-delimited run), so brackets inside strings do not
    count. The rest is C-level work (bytes methods and itertools), never a
    Python loop per byte or a recursion: about 0.3 s for 1 MB of brackets.
    Unbalanced brackets are left for the parser to report.
    """
    text = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    outside = b"".join(text.split(b'"')[::2])
    steps = outside.translate(_AS_STEP, _NOT_BRACKET)
    if not steps:
        return 0
    return max(map(operator.sub, itertools.accumulate(steps), itertools.count(1)))


def _refuse_constant(name: str) -> None:
    # NaN and Infinity are Python's extensions, not JSON.
    raise ValueError(f"{name} is not a JSON value")


def json_parse(
    raw: bytes | str,
    *,
    what: str = "The request body",
    max_bytes: int = MAX_JSON_BYTES,
    max_depth: int = MAX_JSON_DEPTH,
) -> Any:
    """Parse standard JSON text (no NaN or Infinity), refusing text longer
    than ``max_bytes`` or nested deeper than ``max_depth``. Raises
    ValidationError whose message starts with ``what`` (the body, a field, a
    line) and says what to fix."""
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    if len(data) > max_bytes:
        raise ValidationError(f"{what} is larger than {max_bytes} bytes.")
    if data.count(b"[") + data.count(b"{") > max_depth and (
        _nesting_depth(data) > max_depth
    ):
        raise ValidationError(
            f"{what} nests arrays and objects more than {max_depth} levels deep."
        )
    try:
        return json.loads(data, parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValidationError(f"{what} is not JSON: {exc}.") from None
    except RecursionError:  # the scan above makes this unreachable; kept as a net
        raise ValidationError(f"{what} nests too deeply.") from None


def int_param(
    value: str | None,
    *,
    name: str,
    default: int | None = None,
    minimum: int = 0,
    maximum: int = MAX_INT_PARAM,
) -> int | None:
    """A whole number from a query parameter or form field called ``name``.

    Empty or absent gives ``default``. Anything else must be decimal digits
    (a leading '-' only when ``minimum`` is negative) within ``minimum`` and
    ``maximum``; raises ValidationError naming ``name`` otherwise.
    """
    if value is None or value.strip() == "":
        return default
    text = value.strip()
    digits = text[1:] if text.startswith("-") and minimum < 0 else text
    # At most 20 digits are read: int() of a megabyte of digits is slow
    # (and refused by Python past 4,300 digits).
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 20:
        raise ValidationError(
            f"'{name}' must be a whole number from {minimum} to {maximum}."
        )
    number = int(text)
    if not minimum <= number <= maximum:
        raise ValidationError(
            f"'{name}' must be a whole number from {minimum} to {maximum}, not {text}."
        )
    return number
