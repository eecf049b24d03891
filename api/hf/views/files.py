"""Files of the HF protocol face: trees, paths-info, uploads, commits, downloads.

hf-protocol.md sections 2.6, 2.7, 2.13, 2.15, 2.16 and 3. Uploads of small
files are inlined in the commit body (``uploadMode: regular``); anything
above HUB_INLINE_UPLOAD_MAX_BYTES goes through Git LFS (api.hf.views.lfs).
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
import posixpath
import re
from typing import Any, BinaryIO, cast
from urllib.parse import parse_qs

from django.conf import settings
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.urls import URLPattern, path
from django.utils.http import content_disposition_header

from api.hf.auth import Caller
from api.hf.base import hf_view
from api.hf.commit_body import ndjson_lines
from api.hf.errors import hf_error, hf_error_from_exception
from api.hf.shapes import (
    next_link,
    query_bool,
    read_json_body,
    tree_file_json,
    tree_folder_json,
)
from api.hf.views.repos import load_repo
from hub.catalog.content import content_open
from hub.catalog.gitignore import path_is_ignored
from hub.catalog.models import TreeEntry
from hub.catalog.revisions import revision_resolve, revision_split
from hub.catalog.selectors import download_is_counted
from hub.catalog.services.operations import AddFile, DeleteFile, DeleteFolder, Operation
from hub.catalog.services.repos import repo_record_download
from hub.catalog.trees import (
    file_content_oid,
    tree_folder_oids,
    tree_items_at_paths,
    tree_list,
)
from hub.community.commits import commit_authorize, commit_preupload, commit_submit
from hub.core.errors import ApplicationError, ValidationError
from hub.core.names import validate_repo_path
from hub.core.parsing import int_param
from hub.ops.metrics import observe_download
from hub.reviews.services import download_record
from hub.storage.backends import LocalBlobStore
from hub.storage.s3 import S3BlobStore
from hub.storage.selectors import blob_read_bytes
from hub.storage.services import blob_claim, blob_store, blob_upload_bytes

TREE_PAGE_SIZE = 1000
# The client asks for 500 paths at a time when it copies files.
MAX_PATHS_INFO = 10_000
GITIGNORE_READ_LIMIT = 1024 * 1024
# Trees and paths-info --------------------------------------------------------


def _tree_item_json(item: Any, folder_oids: dict[str, str]) -> dict[str, Any]:
    if item.entry is not None:
        return tree_file_json(item.entry)
    return tree_folder_json(item.path, folder_oids.get(item.path, ""))


@hf_view("GET")
def repo_tree(
    request: HttpRequest, caller: Caller, namespace: str, name: str, rest: str
) -> HttpResponse:
    """2.6: files and folders under a path, 1000 per page with a ``Link`` next.

    Later pages name the resolved commit id, so a branch that moves between
    two pages cannot mix two trees in one listing.
    """
    repo = load_repo(caller, namespace, name)
    revision, folder = revision_split(repo=repo, rest=rest)
    folder = folder.strip("/")
    commit = revision_resolve(repo=repo, revision=revision)
    recursive = query_bool(request.GET.get("recursive"))
    items = tree_list(commit=commit, path=folder, recursive=recursive)
    cursor = int_param(request.GET.get("cursor"), name="cursor", default=0) or 0
    page = items[cursor : cursor + TREE_PAGE_SIZE]
    folder_oids: dict[str, str] = {}
    if any(item.type == "directory" for item in page):
        folder_oids = tree_folder_oids(commit=commit, path=folder)
    response = JsonResponse(
        [_tree_item_json(item, folder_oids) for item in page], safe=False
    )
    if cursor + TREE_PAGE_SIZE < len(items):
        params = {k: request.GET.getlist(k) for k in request.GET if k != "cursor"}
        params["cursor"] = [str(cursor + TREE_PAGE_SIZE)]
        suffix = f"/{folder}" if folder else ""
        response["Link"] = next_link(
            request, f"/api/models/{repo.full_name}/tree/{commit.oid}{suffix}", params
        )
    return response


def _paths_from_body(request: HttpRequest) -> list[str]:
    if request.content_type == "application/json":
        paths = read_json_body(request).get("paths", [])
        if isinstance(paths, str):
            paths = [paths]
    else:
        # Parsed by hand: Django's form parser stops at 1000 fields, and
        # HfFileSystem may ask for more paths at once.
        try:
            form = parse_qs(
                request.body.decode("utf-8"),
                max_num_fields=100_000,
                strict_parsing=False,
            )
        except (UnicodeDecodeError, ValueError) as exc:
            raise ValidationError(f"The form body cannot be read: {exc}.") from None
        paths = form.get("paths", [])
    if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
        raise ValidationError("'paths' must be a list of paths.")
    if len(paths) > MAX_PATHS_INFO:
        raise ValidationError(
            f"Ask for at most {MAX_PATHS_INFO} paths at once ({len(paths)} given)."
        )
    return paths


@hf_view("POST")
def paths_info(
    request: HttpRequest, caller: Caller, namespace: str, name: str, revision: str
) -> HttpResponse:
    """2.7: tree entries for the given paths; paths that do not exist are left out."""
    repo = load_repo(caller, namespace, name)
    commit = revision_resolve(repo=repo, revision=revision)
    items = tree_items_at_paths(commit=commit, paths=_paths_from_body(request))
    answer = []
    for item in items:
        oids = {} if item.entry else tree_folder_oids(commit=commit, path=item.path)
        answer.append(_tree_item_json(item, oids))
    return JsonResponse(answer, safe=False)


# Uploads ---------------------------------------------------------------------


def _upload_mode(size: int) -> str:
    # Files up to the inline limit travel base64-encoded in the commit, which
    # works for stock clients that have hf_xet installed; larger ones need
    # LFS (and HF_HUB_DISABLE_XET=1 on huggingface_hub >= 1.0). How a file
    # is *stored* (LFS or not) is decided by the commit service from
    # .gitattributes, independently of this.
    return "lfs" if size > settings.HUB_INLINE_UPLOAD_MAX_BYTES else "regular"


def _remote_oid(entry: TreeEntry, *, mode: str, size: int) -> str | None:
    """The id the client compares with its local file to skip unchanged ones."""
    if mode == "lfs":
        return entry.blob_id
    if not entry.is_lfs or entry.blob.git_sha1 or entry.size == size:
        return file_content_oid(entry=entry)
    return None  # a stored file of another size cannot be the same content


@hf_view("POST")
def preupload(
    request: HttpRequest, caller: Caller, namespace: str, name: str, revision: str
) -> HttpResponse:
    """2.13: upload mode, ignore flag and current remote id for each file."""
    repo = load_repo(caller, namespace, name)
    body = read_json_body(request)
    files = body.get("files")
    if not isinstance(files, list):
        raise ValidationError("'files' must be a list of {path, size, sample}.")
    wanted: list[tuple[str, int]] = []
    for item in files:
        if not isinstance(item, dict) or not isinstance(item.get("path"), str):
            raise ValidationError("Each item of 'files' needs a 'path'.")
        size = item.get("size", 0)
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise ValidationError(f"'size' of {item['path']!r} must be a byte count.")
        wanted.append((validate_repo_path(item["path"]), size))
    gitignore = body.get("gitIgnore")
    lookup = [p for p, _ in wanted]
    if not isinstance(gitignore, str):
        gitignore = None
        lookup.append(".gitignore")
    # Only files whose content the caller may read: their ids are what
    # lets a client skip uploading (or reference) the same content.
    commit, existing = commit_preupload(
        actor=caller,
        repo=repo,
        revision=revision,
        paths=lookup,
        create_pr=query_bool(request.GET.get("create_pr")),
    )
    hosted = existing.get(".gitignore")
    if gitignore is None and hosted is not None and hosted.size <= GITIGNORE_READ_LIMIT:
        gitignore = blob_read_bytes(
            sha256=hosted.blob_id, limit=GITIGNORE_READ_LIMIT
        ).decode("utf-8", errors="replace")
    answer = []
    for file_path, size in wanted:
        mode = _upload_mode(size)
        info: dict[str, Any] = {
            "path": file_path,
            "uploadMode": mode,
            "shouldIgnore": bool(gitignore)
            and path_is_ignored(path=file_path, gitignore=gitignore or ""),
        }
        entry = existing.get(file_path)
        if entry is not None:
            oid = _remote_oid(entry, mode=mode, size=size)
            if oid is not None:
                info["oid"] = oid
        answer.append(info)
    return JsonResponse({"files": answer, "commitOid": commit.oid})


# Commits ---------------------------------------------------------------------


def _op_path(value: dict[str, Any]) -> str:
    path_value = value.get("path")
    if not isinstance(path_value, str) or not path_value:
        raise ValidationError("Every commit operation needs a 'path'.")
    return path_value


def _read_commit_body(
    request: HttpRequest, caller: Caller
) -> tuple[dict[str, Any], list[Operation]]:
    header: dict[str, Any] | None = None
    operations: list[Operation] = []
    for data, blob in ndjson_lines(request):
        key, value = data.get("key"), data["value"]
        if key == "header":
            header = value
        elif key == "file":
            file_path = _op_path(value)
            if value.get("encoding", "base64") != "base64":
                raise ValidationError(
                    f"{file_path!r}: only base64 inline content is supported."
                )
            if blob is None:
                content = value.get("content")
                if not isinstance(content, str):
                    raise ValidationError(f"{file_path!r}: 'content' is missing.")
                try:
                    data_bytes = base64.b64decode(content, validate=True)
                except binascii.Error as exc:
                    raise ValidationError(
                        f"{file_path!r}: the content is not valid base64: {exc}."
                    ) from None
                blob = blob_upload_bytes(data=data_bytes)
            # The bytes came with this request: the caller holds them.
            blob_claim(blob=blob, user_id=caller.user.pk)
            operations.append(AddFile(file_path, blob.sha256))
        elif key == "lfsFile":
            file_path = _op_path(value)
            oid = value.get("oid")
            if value.get("algo", "sha256") != "sha256" or not isinstance(oid, str):
                raise ValidationError(f"{file_path!r}: 'oid' must be a sha256 digest.")
            size = value.get("size")
            if size is not None and (
                not isinstance(size, int) or isinstance(size, bool)
            ):
                raise ValidationError(f"{file_path!r}: 'size' must be a byte count.")
            # Copies of LFS files come without a size: the stored blob has it.
            # Whether the caller may use this content (and a given size is
            # right) is commit_submit's to decide.
            operations.append(AddFile(file_path, oid, size))
        elif key == "deletedFile":
            operations.append(DeleteFile(_op_path(value)))
        elif key == "deletedFolder":
            operations.append(DeleteFolder(_op_path(value)))
        else:
            raise ValidationError(f"Unknown commit operation {key!r}.")
    if header is None:
        raise ValidationError("The commit body has no header line.")
    return header, operations


@hf_view("POST")
def commit_view(
    request: HttpRequest, caller: Caller, namespace: str, name: str, revision: str
) -> HttpResponse:
    """2.15: apply an NDJSON list of operations to a branch, or open a PR with them."""
    repo = load_repo(caller, namespace, name)
    create_pr = query_bool(request.GET.get("create_pr"))
    # Before reading the body, which stores inline content.
    commit_authorize(actor=caller, repo=repo, revision=revision, create_pr=create_pr)
    header, operations = _read_commit_body(request, caller)
    summary = header.get("summary")
    description = header.get("description") or ""
    parent = header.get("parentCommit") or None
    if not isinstance(summary, str) or not isinstance(description, str):
        raise ValidationError("The header needs a 'summary' (the commit title).")
    if parent is not None and not isinstance(parent, str):
        raise ValidationError("'parentCommit' must be a commit id.")
    pr, commit = commit_submit(
        actor=caller,
        repo=repo,
        revision=revision,
        operations=operations,
        title=summary,
        description=description,
        create_pr=create_pr,
        expected_parent=parent,
    )
    answer: dict[str, Any] = {"success": True}
    if create_pr and pr is not None:
        answer["pullRequestUrl"] = request.build_absolute_uri(
            f"/{repo.full_name}/discussions/{pr.num}"
        )
    answer["commitOid"] = commit.oid
    answer["commitUrl"] = request.build_absolute_uri(
        f"/{repo.full_name}/commit/{commit.oid}"
    )
    answer["commitMessage"] = commit.message
    answer["hookOutput"] = ""
    return JsonResponse(answer)


# Downloads -------------------------------------------------------------------

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


@hf_view("GET", "HEAD")
def resolve_file(
    request: HttpRequest, caller: Caller, namespace: str, name: str, rest: str
) -> HttpResponse:
    """2.16: a file's bytes at a revision, with the headers hf_hub_download needs.

    Streams from the blob file (sendfile under gunicorn), or hands the
    file to nginx (X-Accel-Redirect, HUB_BLOB_ACCEL_REDIRECT_PREFIX), or
    redirects to a presigned S3 URL; honours one byte range exactly (206)
    and answers 416 for ranges past the end.
    """
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
    repo_commit = {"X-Repo-Commit": commit.oid}
    size = entry.size
    etag = entry.blob_id if entry.is_lfs else entry.git_oid
    headers = {
        **repo_commit,
        "ETag": f'"{etag}"',
        "X-Linked-Etag": f'"{etag}"',
        "X-Linked-Size": str(size),
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
    byte_range = None
    if not head and request.headers.get("Range"):
        try:
            byte_range = _parse_range(request.headers["Range"], size)
        except _Unsatisfiable:
            return hf_error(
                f"Range {request.headers['Range']!r} is outside the file "
                f"({size} bytes).",
                416,
                headers={**headers, "Content-Range": f"bytes */{size}"},
            )
    full_get = request.method == "GET" and "Range" not in request.headers
    if full_get and download_is_counted(commit=commit, path=file_path):
        repo_record_download(repo=repo)
        download_record(user=caller.user, repo=repo, commit=commit)
    store = blob_store()
    response: HttpResponse | StreamingHttpResponse
    if isinstance(store, S3BlobStore):
        # Bytes come from S3 directly: a redirect to a presigned URL that
        # carries the metadata itself, since the client reads HEAD answers
        # from another origin without following them (hf-protocol.md 2.16).
        response = HttpResponse(status=302)
        response["Location"] = store.download_url(
            entry.blob_id,
            filename=posixpath.basename(file_path),
            content_type=headers["Content-Type"],
        )
        if not head:
            observe_download(_range_length(byte_range, size), via="s3-redirect")
    elif head:
        response = HttpResponse(status=200)
        response["Content-Length"] = str(size)
    elif settings.HUB_BLOB_ACCEL_REDIRECT_PREFIX and isinstance(store, LocalBlobStore):
        # nginx sends the file (and honours Range) from an internal location.
        response = HttpResponse()
        response["X-Accel-Redirect"] = (
            settings.HUB_BLOB_ACCEL_REDIRECT_PREFIX + store.relative_path(entry.blob_id)
        )
        observe_download(_range_length(byte_range, size), via="x-accel")
    else:
        response = _file_response(entry, byte_range)
        observe_download(_range_length(byte_range, size), via="stream")
    for key, value in headers.items():
        response[key] = value
    # hf_view is typed for HttpResponse; a streaming answer is just as valid.
    return cast(HttpResponse, response)


def _range_length(byte_range: tuple[int, int] | None, size: int) -> int:
    return byte_range[1] - byte_range[0] + 1 if byte_range else size


def _file_response(
    entry: TreeEntry, byte_range: tuple[int, int] | None
) -> StreamingHttpResponse:
    store = blob_store()
    start, end = byte_range if byte_range else (0, entry.size - 1)
    length = end - start + 1 if entry.size else 0
    local = (
        store.local_path(entry.blob_id) if isinstance(store, LocalBlobStore) else None
    )
    response: StreamingHttpResponse
    if local is None:
        response = StreamingHttpResponse(
            store.iter_range(entry.blob_id, start, end) if length else iter(())
        )
    else:
        handle = open(local, "rb")  # noqa: SIM115 - closed by the response
        handle.seek(start)
        source: Any = _RangeFile(handle, length) if byte_range else handle
        response = FileResponse(source)
        # Larger reads than FileResponse's 4 KiB for servers without sendfile.
        response.block_size = 1024 * 1024
    if byte_range:
        response.status_code = 206
        response["Content-Range"] = f"bytes {start}-{end}/{entry.size}"
    response["Content-Length"] = str(length)
    return response


_REPO = "api/models/<str:namespace>/<str:name>"

urlpatterns: list[URLPattern] = [
    path(f"{_REPO}/tree/<path:rest>", repo_tree),
    path(f"{_REPO}/paths-info/<path:revision>", paths_info),
    path(f"{_REPO}/preupload/<path:revision>", preupload),
    path(f"{_REPO}/commit/<path:revision>", commit_view),
    path("<str:namespace>/<str:name>/resolve/<path:rest>", resolve_file),
]
