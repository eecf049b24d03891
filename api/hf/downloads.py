"""Sending bytes from a download plan: the HF face's one way to answer
with file content (``resolve``) or xorb ranges (the Xet CAS).

The blob store plans how bytes travel (a local file sent with sendfile, an
X-Accel-Redirect for nginx, a presigned URL, or a stream); ``plan_response``
turns the plan into a response, honouring one byte range exactly (206).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any, BinaryIO

from django.http import FileResponse, HttpResponse, StreamingHttpResponse

from hub.ops.metrics import observe_download
from hub.storage.store import DownloadKind, DownloadPlan, primed

logger = logging.getLogger(__name__)


class _RangeFile:
    """A file object that ends ``length`` bytes after its current position.

    ``fileno`` lets gunicorn sendfile() exactly the range (it sends
    Content-Length bytes from the current offset); other servers read it.
    """

    def __init__(self, handle: BinaryIO, length: int) -> None:
        self._handle = handle
        self._left = length

    def read(self, size: int = -1) -> bytes:
        if self._left <= 0:
            return b""
        want = self._left if size < 0 else min(size, self._left)
        data = self._handle.read(want)
        self._left -= len(data)
        return data

    def fileno(self) -> int:
        return self._handle.fileno()

    def close(self) -> None:
        self._handle.close()


def after_response(
    response: HttpResponse | StreamingHttpResponse, action: Callable[[], None]
) -> None:
    """Run ``action`` once the server has sent ``response`` (when it closes
    it, before the request's database connection is released). A failure
    is logged; the answer is already gone."""

    def run() -> None:
        try:
            action()
        except Exception:
            logger.exception("after the response to a download")

    # Django's own hook for what a response must do on close (FileResponse
    # closes its file there); close() runs each, then request_finished.
    response._resource_closers.append(run)  # type: ignore[union-attr]


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """(start, end) inclusive, None to ignore the header; raises for 416."""
    match = re.fullmatch(r"\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*", header)
    if not match or not (match[1] or match[2]) or size == 0:
        return None  # malformed or multiple ranges: answer the whole file
    if match[1]:
        start = int(match[1])
        end = int(match[2]) if match[2] else size - 1
        if match[2] and end < start:
            return None
        if start >= size:
            raise RangeNotSatisfiable
        return start, min(end, size - 1)
    suffix = int(match[2])
    if suffix == 0:
        raise RangeNotSatisfiable
    return max(0, size - suffix), size - 1


class RangeNotSatisfiable(Exception):
    """The range starts past the end of the content (416)."""


def plan_response(
    plan: DownloadPlan, *, head: bool
) -> HttpResponse | StreamingHttpResponse:
    """The response that carries out a download plan."""
    response: HttpResponse | StreamingHttpResponse
    if plan.kind == DownloadKind.REDIRECT:
        # Bytes come from the store directly: a redirect to a presigned URL
        # that carries the metadata itself, since the client reads HEAD
        # answers from another origin without following them (2.16).
        response = HttpResponse(status=302)
        response["Location"] = plan.url
        if not head:
            observe_download(plan.length, via=plan.via)
        return response
    if head:
        response = HttpResponse(status=200)
        response["Content-Length"] = str(plan.size)
        return response
    if plan.kind == DownloadKind.ACCEL:
        # nginx sends the file (and honours Range) from an internal location.
        response = HttpResponse()
        response["X-Accel-Redirect"] = plan.accel_uri
    else:
        response = _file_response(plan)
    observe_download(plan.length, via=plan.via)
    return response


def _file_response(plan: DownloadPlan) -> StreamingHttpResponse:
    byte_range = plan.byte_range
    start, end = byte_range if byte_range else (0, plan.size - 1)
    length = end - start + 1 if plan.size else 0
    response: StreamingHttpResponse
    if plan.path is None:
        # The first bytes are read before the status is sent: a store that
        # fails at once is a 503 the client understands, not a cut 200.
        response = StreamingHttpResponse(primed(plan.chunks))
    else:
        handle = open(plan.path, "rb")  # noqa: SIM115 - closed by the response
        handle.seek(start)
        source: Any = _RangeFile(handle, length) if byte_range else handle
        response = FileResponse(source)
        # Larger reads than FileResponse's 4 KiB for servers without sendfile.
        response.block_size = 1024 * 1024
    if byte_range:
        response.status_code = 206
        response["Content-Range"] = f"bytes {start}-{end}/{plan.size}"
    response["Content-Length"] = str(length)
    return response
