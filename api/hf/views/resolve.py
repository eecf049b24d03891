"""Downloads of the HF protocol face: ``/{repo}/resolve/{revision}/{path}``.

hf-protocol.md 2.16. The use case (``content_open_url_path``) decides who may read
the file; the blob store plans how its bytes travel and ``api.hf.downloads``
turns the plan into a response, with the headers ``hf_hub_download`` needs,
honouring one byte range exactly (206) and answering 416 for ranges past
the end. A file with a Xet form also names its Xet id and where to get a
read token (``X-Xet-Hash``, ``Link: <...>; rel="xet-auth"``), so clients
with hf_xet fetch it from the CAS; the others get the bytes here.
"""

from __future__ import annotations

import functools
import mimetypes
import posixpath
from typing import cast

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils.http import content_disposition_header

import api.hf.routes  # noqa: F401  (registers the URL converters)
from api.hf.auth import Caller
from api.hf.base import hf_view
from api.hf.downloads import (
    RangeNotSatisfiable,
    after_response,
    parse_range,
    plan_response,
)
from api.hf.errors import hf_error, hf_error_from_exception
from api.hf.shapes import repo_api_path
from api.hf.views.repos import load_repo
from hub.catalog.content import content_open_url_path
from hub.catalog.models import Commit, ModelRepo, TreeEntry
from hub.catalog.selectors import download_is_counted
from hub.catalog.services.repos import repo_record_download
from hub.core.errors import ApplicationError
from hub.reviews.services import download_record
from hub.storage.selectors import blob_download_plan, blob_xet_hash

_TEXT_TYPES = {".json": "application/json", ".md": "text/markdown; charset=utf-8"}


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


def _xet_headers(
    request: HttpRequest, repo: ModelRepo, commit: Commit, entry: TreeEntry
) -> dict[str, str]:
    """``X-Xet-Hash`` and the read-token link for an LFS file with a Xet form
    (huggingface_hub: ``parse_xet_file_data_from_response``)."""
    if not entry.is_lfs:
        return {}
    xet_hash = blob_xet_hash(blob=entry.blob)
    if xet_hash is None:
        return {}
    token_url = request.build_absolute_uri(
        f"{repo_api_path(repo)}/xet-read-token/{commit.oid}"
    )
    return {"X-Xet-Hash": xet_hash, "Link": f'<{token_url}>; rel="xet-auth"'}


@hf_view("GET", "HEAD")
def resolve_file(
    request: HttpRequest,
    caller: Caller,
    repo_type: str,
    namespace: str,
    name: str,
    rest: str,
) -> HttpResponse:
    """2.16: a file's bytes at a revision, with the headers hf_hub_download needs."""
    head = request.method == "HEAD"
    repo = load_repo(caller, repo_type, namespace, name)
    try:
        opened = content_open_url_path(actor=caller, repo=repo, rest=rest)
    except ApplicationError as exc:
        oid = getattr(exc, "commit_oid", None)
        return hf_error_from_exception(
            exc,
            head=head,
            headers={"X-Repo-Commit": oid} if oid else None,
            anonymous=not caller.user.is_authenticated,
        )
    commit, entry = opened.commit, opened.entry
    file_path = entry.path
    headers = _file_headers(commit, entry, file_path)
    headers.update(_xet_headers(request, repo, commit, entry))
    byte_range = None
    if not head and request.headers.get("Range"):
        try:
            byte_range = parse_range(request.headers["Range"], entry.size)
        except RangeNotSatisfiable:
            return hf_error(
                f"Range {request.headers['Range']!r} is outside the file "
                f"({entry.size} bytes).",
                416,
                headers={**headers, "Content-Range": f"bytes */{entry.size}"},
            )
    plan = blob_download_plan(
        blob=entry.blob,
        byte_range=byte_range,
        filename=posixpath.basename(file_path),
        content_type=headers["Content-Type"],
    )
    response = plan_response(plan, head=head)
    for key, value in headers.items():
        response[key] = value
    if request.method == "GET" and "Range" not in request.headers:
        # Counted once the server has sent the answer (with X-Accel, its
        # headers): the count's writes and commits were the time to first
        # byte of a counted download (issue 17).
        after_response(
            response, functools.partial(_count_download, caller, repo, commit, entry)
        )
    # hf_view is typed for HttpResponse; a streaming answer is just as valid.
    return cast(HttpResponse, response)


def _count_download(
    caller: Caller, repo: ModelRepo, commit: Commit, entry: TreeEntry
) -> None:
    """A whole-file GET of a counted file is a download (and a verified one),
    written in one transaction (one commit to wait for, not three)."""
    if download_is_counted(commit=commit, path=entry.path):
        with transaction.atomic():
            repo_record_download(repo=repo)
            download_record(user=caller.user, repo=repo, commit=commit)


urlpatterns: list[URLPattern] = [
    path(
        "<hf_repo_prefix:repo_type>/<str:namespace>/<str:name>/resolve/<path:rest>",
        resolve_file,
    ),
    path(
        "<str:namespace>/<str:name>/resolve/<path:rest>",
        resolve_file,
        {"repo_type": "model"},
    ),
]
