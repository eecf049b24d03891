"""Downloads of the HF protocol face: ``/{repo}/resolve/{revision}/{path}``.

hf-protocol.md 2.16. The use case (``content_open``) decides who may read
the file; the blob store plans how its bytes travel (a local file sent
with sendfile, an X-Accel-Redirect for nginx, a presigned URL, or a
stream); this view turns the plan into a response with the headers
``hf_hub_download`` needs, honouring one byte range exactly (206) and
answering 416 for ranges past the end.
"""

from __future__ import annotations

import mimetypes
import posixpath
import re
from typing import Any, BinaryIO, cast

from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.urls import URLPattern, path
from django.utils.http import content_disposition_header

from api.hf.auth import Caller
from api.hf.base import hf_view
from api.hf.errors import hf_error, hf_error_from_exception
from api.hf.views.repos import load_repo
from hub.catalog.content import content_open
from hub.catalog.models import Commit, ModelRepo, TreeEntry
from hub.catalog.revisions import revision_split
from hub.catalog.selectors import download_is_counted
from hub.catalog.services.repos import repo_record_download
from hub.core.errors import ApplicationError
from hub.ops.metrics import observe_download
from hub.reviews.services import download_record
from hub.storage.services import blob_store
from hub.storage.store import DownloadKind, DownloadPlan

_TEXT_TYPES = {".json": "application/json", ".md": "text/markdown; charset=utf-8"}


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


def _parse_range(header: str, size: int) -> tuple[int, int] | None:
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
            raise _Unsatisfiable
        return start, min(end, size - 1)
    suffix = int(match[2])
    if suffix == 0:
        raise _Unsatisfiable
    return max(0, size - suffix), size - 1


class _Unsatisfiable(Exception):
    pass


def _content_type(file_path: str) -> str:
    extension = posixpath.splitext(file_path)[1].lower()
    if extension in _TEXT_TYPES:
        return _TEXT_TYPES[extension]
    guessed, _ = mimetypes.guess_type(file_path)
    # Anything a browser could render as active content is sent as text.
    if guessed and guessed.startswith("text/"):
        return "text/plain; charset=utf-8"
    return "application/octet-stream"


def _file_headers(commit: Commit, entry: TreeEntry, file_path: str) -> dict[str, str]:
    etag = entry.blob_id if entry.is_lfs else entry.git_oid
    return {
        "X-Repo-Commit": commit.oid,
        "ETag": f'"{etag}"',
        "X-Linked-Etag": f'"{etag}"',
        "X-Linked-Size": str(entry.size),
        "Accept-Ranges": "bytes",
        "Content-Type": _content_type(file_path),
        "X-Content-Type-Options": "nosniff",
        "Content-Disposition": content_disposition_header(
            True, posixpath.basename(file_path)
        )
        or "attachment",
        # Uploaded bytes are never a document of this origin: should a
        # browser render one anyway, it gets no scripts and no origin.
        "Content-Security-Policy": "sandbox; default-src 'none'",
    }


@hf_view("GET", "HEAD")
def resolve_file(
    request: HttpRequest, caller: Caller, namespace: str, name: str, rest: str
) -> HttpResponse:
    """2.16: a file's bytes at a revision, with the headers hf_hub_download needs."""
    head = request.method == "HEAD"
    repo = load_repo(caller, namespace, name)
    revision, file_path = revision_split(repo=repo, rest=rest)
    try:
        opened = content_open(
            actor=caller, repo=repo, revision=revision, path=file_path
        )
    except ApplicationError as exc:
        oid = getattr(exc, "commit_oid", None)
        return hf_error_from_exception(
            exc, head=head, headers={"X-Repo-Commit": oid} if oid else None
        )
    commit, entry = opened.commit, opened.entry
    headers = _file_headers(commit, entry, file_path)
    byte_range = None
    if not head and request.headers.get("Range"):
        try:
            byte_range = _parse_range(request.headers["Range"], entry.size)
        except _Unsatisfiable:
            return hf_error(
                f"Range {request.headers['Range']!r} is outside the file "
                f"({entry.size} bytes).",
                416,
                headers={**headers, "Content-Range": f"bytes */{entry.size}"},
            )
    if request.method == "GET" and "Range" not in request.headers:
        _count_download(caller, repo, commit, file_path)
    plan = blob_store().download_plan(
        entry.blob_id,
        size=entry.size,
        byte_range=byte_range,
        filename=posixpath.basename(file_path),
        content_type=headers["Content-Type"],
    )
    response = _plan_response(plan, head=head)
    for key, value in headers.items():
        response[key] = value
    # hf_view is typed for HttpResponse; a streaming answer is just as valid.
    return cast(HttpResponse, response)


def _count_download(
    caller: Caller, repo: ModelRepo, commit: Commit, file_path: str
) -> None:
    """A whole-file GET of a counted file is a download (and a verified one)."""
    if download_is_counted(commit=commit, path=file_path):
        repo_record_download(repo=repo)
        download_record(user=caller.user, repo=repo, commit=commit)


def _plan_response(
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
        response = StreamingHttpResponse(plan.chunks)
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


urlpatterns: list[URLPattern] = [
    path("<str:namespace>/<str:name>/resolve/<path:rest>", resolve_file),
]
