"""Where a client fetches xorb bytes named in a reconstruction answer.

S3 presigns a GET whose signature covers the byte range. A local store has
no URLs of its own: the hub signs ``/xet/fetch/<xorb>?r=<first>-<last>``
with an expiry, and serves exactly that range (sendfile, or nginx through
X-Accel-Redirect). Either way a URL reveals only the chunks the reader was
allowed to rebuild, and only for a short while.
"""

from __future__ import annotations

import re
import time
from urllib.parse import urlencode

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

from hub.core.errors import NotFoundError, PermissionDeniedError
from hub.storage.store import DownloadPlan
from hub.storage.xetcas.receive import xet_hex_check
from hub.storage.xetcas.spaces import xorb_store

_SALT = "hub.xet.fetch"
_RANGE = re.compile(r"\A(\d+)-(\d+)\Z")


class FetchRefusedError(PermissionDeniedError):
    code = "fetch_refused"


def _signature(xorb_hex: str, first: int, last: int, expires: int) -> str:
    value = f"{xorb_hex}:{first}:{last}:{expires}"
    return salted_hmac(_SALT, value, algorithm="sha256").hexdigest()


def xorb_range_url(base_url: str, xorb_hex: str, first: int, last: int) -> str:
    """The URL for bytes ``first``..``last`` of a stored xorb."""
    direct = xorb_store().range_url(xorb_hex, first=first, last=last)
    if direct is not None:
        return direct
    expires = int(time.time()) + int(settings.HUB_S3_DOWNLOAD_URL_TTL_SECONDS)
    query = urlencode(
        {
            "r": f"{first}-{last}",
            "e": expires,
            "s": _signature(xorb_hex, first, last, expires),
        }
    )
    return f"{base_url.rstrip('/')}/fetch/{xorb_hex}?{query}"


def xorb_fetch_plan(
    *,
    xorb_hex: str,
    signed_range: str,
    expires: str,
    signature: str,
    byte_range: tuple[int, int] | None,
) -> DownloadPlan:
    """The bytes a signed fetch URL names (the request's Range, if any, must
    lie inside them). FetchRefusedError for a bad or expired signature or a
    range outside the signed one."""
    xet_hex_check(xorb_hex, "xorb hash")
    match = _RANGE.match(signed_range or "")
    if not match or not expires.isdigit():
        raise FetchRefusedError("This fetch URL is malformed.")
    first, last = int(match[1]), int(match[2])
    if not constant_time_compare(
        _signature(xorb_hex, first, last, int(expires)), signature
    ):
        raise FetchRefusedError("This fetch URL's signature is not valid.")
    if int(expires) < time.time():
        raise FetchRefusedError(
            "This fetch URL has expired; ask for a new reconstruction."
        )
    start, end = byte_range if byte_range is not None else (first, last)
    if start < first or end > last:
        raise FetchRefusedError(
            f"This URL serves bytes {first}-{last} only, not {start}-{end}."
        )
    # The signature vouches for the xorb: its size is the file's (a stat,
    # no query), and only local stores hand out these URLs.
    store = xorb_store()
    try:
        size = store.size(xorb_hex)
    except FileNotFoundError:
        raise NotFoundError("This xorb is not stored here.") from None
    return store.download_plan(
        xorb_hex,
        size=size,
        byte_range=(start, min(end, size - 1)),
        filename=f"{xorb_hex}.xorb",
        content_type="application/octet-stream",
    )
