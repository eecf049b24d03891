"""The hub's Xet CAS, under ``/xet`` (the ``casUrl`` of a Xet access token).

Xet Protocol Specification, api.md: xorb upload (``POST /v1/xorbs/default/
{hash}``, streamed into the store while every chunk is verified) and
existence (``HEAD``), shard upload (``/v1/shards`` JSON, ``/v2/shards``
NDJSON events), the global dedup query (``/v1/chunks/{prefix}/{hash}``),
reconstructions (``/v1`` and ``/v2``, with Range), file existence
(``HEAD /v1/files/{id}``) and the signed xorb ranges a local store serves
(``/fetch/{xorb}``; S3 presigns its own). Anything else answers 404, so the
client falls back to what is served.

Every call but ``/fetch`` carries ``Authorization: Bearer <Xet access
token>`` (never a hub API token or a session: no CSRF, no cookies), opened
and re-checked by ``xet_grant_open`` on every call: 401 when it is missing,
expired, invalid or no longer allowed (the client then asks the hub for a
new token, and that answer says what is wrong), 403 for a read token on an
upload. What each call may touch is decided by the use cases
(``hub.community.xet``). Errors carry their reason (``{"error": ...}`` and
``X-Error-Message``): 400 for a malformed or mis-hashed upload (nothing is
stored then), 404 for an unknown file or chunk, 416 for a range past the
end of a file.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Callable, Iterator
from typing import Any, cast

from django.http import (
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.urls import URLPattern, path
from django.views.decorators.csrf import csrf_exempt

from api.hf.base import method_refusal
from api.hf.downloads import plan_response
from api.hf.errors import hf_error, hf_error_from_exception
from api.hf.shapes import xet_cas_url
from hub.community.xet import (
    xet_dedup,
    xet_file_for,
    xet_reconstruction,
    xet_shard_upload,
    xet_xorb_size,
    xet_xorb_upload,
)
from hub.community.xet_tokens import XetGrant, xet_grant_open
from hub.core.errors import (
    ApplicationError,
    AuthenticationError,
    NotFoundError,
    ValidationError,
)
from hub.storage.uploads import UploadLengthRequiredError
from hub.storage.xet.shard import MAX_SHARD_BYTES
from hub.storage.xet.xorb import MAX_XORB_WIRE_BYTES
from hub.storage.xetcas.fetch import xorb_fetch_plan

logger = logging.getLogger(__name__)

# A body this much over the largest valid xorb or shard is refused (413)
# before a byte of it is read; within the slack, the reader refuses it (400).
BODY_SLACK_BYTES = 1024 * 1024

_RANGE = re.compile(r"\A\s*bytes\s*=\s*(\d+)\s*-\s*(\d*)\s*\Z")


class BodyTooLargeError(ApplicationError):
    """An upload announces more bytes than any valid xorb or shard has."""

    code = "too_large"
    http_status = 413


CasView = Callable[..., HttpResponse]


def _bearer(request: HttpRequest) -> str:
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise AuthenticationError(
            "The Xet CAS needs 'Authorization: Bearer <Xet access token>' "
            "(from xet-read-token or xet-write-token)."
        )
    return secret.strip()


def cas_view(
    *methods: str, writes: tuple[str, ...] = (), signed: bool = False
) -> Callable[[CasView], CasView]:
    """Allow ``methods``; open the caller's grant (a write grant for the
    methods in ``writes``) and call ``view(request, grant, **kwargs)``; map
    errors. ``signed``: the URL authorizes itself, ``view(request, ...)``."""
    allowed = frozenset(methods)

    def decorate(view: CasView) -> CasView:
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request: HttpRequest, **kwargs: Any) -> HttpResponse:
            head = request.method == "HEAD"
            refused = method_refusal(request, allowed)
            if refused is not None:
                return refused
            try:
                if signed:
                    return view(request, **kwargs)
                grant = xet_grant_open(_bearer(request), write=request.method in writes)
                return view(request, grant, **kwargs)
            except ApplicationError as exc:
                return hf_error_from_exception(exc, head=head)

        return wrapper

    return decorate


def _content_length(request: HttpRequest, limit: int) -> int:
    raw = (request.META.get("CONTENT_LENGTH") or "").strip()
    if not raw:
        raise UploadLengthRequiredError("Send the body's size as Content-Length.")
    if not raw.isdigit():
        raise ValidationError("Content-Length must be a number of bytes.")
    size = int(raw)
    if size > limit + BODY_SLACK_BYTES:
        raise BodyTooLargeError(
            f"The body is {size} bytes; this upload takes at most {limit}."
        )
    return size


def _check_prefix(prefix: str, allowed: tuple[str, ...]) -> None:
    if prefix not in allowed:
        raise ValidationError(f"Unknown prefix {prefix!r}: use {' or '.join(allowed)}.")


def _byte_range(request: HttpRequest) -> tuple[int, int] | None:
    """The Range header as (start, end) inclusive; one range only."""
    header = request.headers.get("Range")
    if not header:
        return None
    match = _RANGE.match(header)
    if not match:
        raise ValidationError(
            f"Range {header!r} is not understood: send one range, "
            "'bytes=<start>-<end>'."
        )
    start = int(match[1])
    end = int(match[2]) if match[2] else (1 << 63) - 1
    return start, end


def _size_answer(size: int) -> HttpResponse:
    response = HttpResponse(status=200)
    response["Content-Length"] = str(size)
    return response


# Uploads ---------------------------------------------------------------------


@cas_view("POST", "HEAD", writes=("POST",))
def xorb(
    request: HttpRequest, grant: XetGrant, prefix: str, xorb_hex: str
) -> HttpResponse:
    """Upload a xorb (streamed, verified; ``was_inserted``), or HEAD: its size
    when it is one the caller may use."""
    _check_prefix(prefix, ("default",))
    if request.method == "HEAD":
        size = xet_xorb_size(grant=grant, xorb_hex=xorb_hex)
        if size is None:
            return hf_error("No such xorb.", 404, head=True)
        return _size_answer(size)
    size = _content_length(request, MAX_XORB_WIRE_BYTES)
    inserted = xet_xorb_upload(
        grant=grant, xorb_hex=xorb_hex, stream=request, size=size
    )
    return JsonResponse({"was_inserted": inserted})


def _shard_body(request: HttpRequest) -> bytes:
    size = _content_length(request, MAX_SHARD_BYTES)
    # Not request.body: that is capped for form posts, far below a shard.
    parts, left = [], size
    while left > 0:
        part = request.read(min(left, 1024 * 1024))
        if not part:
            break
        parts.append(part)
        left -= len(part)
    body = b"".join(parts)
    if len(body) != size:
        raise ValidationError(
            f"The shard ended after {len(body)} of {size} bytes: upload it again."
        )
    return body


@cas_view("POST", writes=("POST",))
def shards_v1(request: HttpRequest, grant: XetGrant) -> HttpResponse:
    """Register a shard's files: ``{"result": 1}`` (registered) or 0 (known)."""
    created = xet_shard_upload(grant=grant, body=_shard_body(request))
    return JsonResponse({"result": 1 if created else 0})


def _event(data: dict[str, Any]) -> bytes:
    return json.dumps(data, separators=(",", ":")).encode() + b"\n"


def _shard_events(grant: XetGrant, body: bytes) -> Iterator[bytes]:
    """api.md 5: progress events, then one ``result`` or ``error`` event.

    Registration runs in the request's thread while the answer streams (the
    status is 200 by then: the outcome is the last event).
    """
    yield _event({"type": "validating", "verified": 0, "total": 1})
    try:
        created = xet_shard_upload(grant=grant, body=body)
    except ApplicationError as exc:
        yield _event({"type": "error", "message": exc.message, "retryable": False})
        return
    except Exception:
        logger.exception("shard registration failed")
        yield _event(
            {
                "type": "error",
                "message": "The hub could not register this shard; try again.",
                "retryable": True,
            }
        )
        return
    yield _event({"type": "validating", "verified": 1, "total": 1})
    yield _event({"type": "committing", "stage": "syncing"})
    yield _event({"type": "result", "result": 1 if created else 0})


@cas_view("POST", writes=("POST",))
def shards_v2(request: HttpRequest, grant: XetGrant) -> HttpResponse:
    """Register a shard, answering NDJSON progress events (api.md 5)."""
    body = _shard_body(request)
    response = StreamingHttpResponse(
        _shard_events(grant, body), content_type="application/x-ndjson"
    )
    response["Cache-Control"] = "no-cache"
    return cast(HttpResponse, response)


# Reads -----------------------------------------------------------------------


@cas_view("GET")
def chunk(
    request: HttpRequest, grant: XetGrant, prefix: str, chunk_hex: str
) -> HttpResponse:
    """Global dedup: a keyed shard naming the chunk's xorb, if the caller may
    use it; 404 otherwise (as for a chunk nobody stored)."""
    _check_prefix(prefix, ("default-merkledb", "default"))
    answer = xet_dedup(grant=grant, chunk_hex=chunk_hex)
    if answer is None:
        raise NotFoundError("No chunk with this hash can be deduplicated here.")
    return HttpResponse(answer, content_type="application/octet-stream")


def _reconstruction(
    request: HttpRequest, grant: XetGrant, file_hex: str, version: int
) -> HttpResponse:
    answer = xet_reconstruction(
        grant=grant,
        file_hex=file_hex,
        byte_range=_byte_range(request),
        version=version,
        base_url=xet_cas_url(request),
    )
    return JsonResponse(answer)


@cas_view("GET")
def reconstruction_v1(
    request: HttpRequest, grant: XetGrant, file_hex: str
) -> HttpResponse:
    """Terms and fetch ranges of a file (or of the Range asked), v1 shape."""
    return _reconstruction(request, grant, file_hex, 1)


@cas_view("GET")
def reconstruction_v2(
    request: HttpRequest, grant: XetGrant, file_hex: str
) -> HttpResponse:
    """Terms and fetch ranges of a file (or of the Range asked), v2 shape."""
    return _reconstruction(request, grant, file_hex, 2)


@cas_view("HEAD")
def file_head(request: HttpRequest, grant: XetGrant, file_hex: str) -> HttpResponse:
    """A file's size (``Content-Length``), when the caller may read it."""
    return _size_answer(xet_file_for(grant=grant, file_hex=file_hex).size)


@cas_view("GET", signed=True)
def fetch(request: HttpRequest, xorb_hex: str) -> HttpResponse:
    """Bytes of a xorb named by a signed URL of a reconstruction answer."""
    plan = xorb_fetch_plan(
        xorb_hex=xorb_hex,
        signed_range=request.GET.get("r", ""),
        expires=request.GET.get("e", ""),
        signature=request.GET.get("s", ""),
        byte_range=_byte_range(request),
    )
    return cast(HttpResponse, plan_response(plan, head=False))


@csrf_exempt
def not_served(request: HttpRequest, rest: str) -> HttpResponse:
    """404 for CAS routes this hub does not serve: the client falls back."""
    return hf_error(
        f"This CAS does not serve /{rest}.", 404, head=request.method == "HEAD"
    )


urlpatterns: list[URLPattern] = [
    path("xet/v1/xorbs/<str:prefix>/<str:xorb_hex>", xorb),
    path("xet/v1/shards", shards_v1),
    path("xet/v2/shards", shards_v2),
    path("xet/v1/chunks/<str:prefix>/<str:chunk_hex>", chunk),
    path("xet/v1/reconstructions/<str:file_hex>", reconstruction_v1),
    path("xet/v2/reconstructions/<str:file_hex>", reconstruction_v2),
    path("xet/v1/files/<str:file_hex>", file_head),
    path("xet/fetch/<str:xorb_hex>", fetch),
    path("xet/<path:rest>", not_served),
]
