"""Files of the HF protocol face: trees, paths-info, uploads, commits, downloads.

hf-protocol.md sections 2.6, 2.7, 2.13, 2.15, 2.16 and 3. Uploads of small
files are inlined in the commit body (``uploadMode: regular``); anything
above HUB_INLINE_UPLOAD_MAX_BYTES goes through Xet (api.hf.views.xet_cas)
or, for clients without hf_xet, Git LFS (api.hf.views.lfs).
"""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import parse_qs

from django.conf import settings
from django.http import (
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.urls import URLPattern, path

from api.hf.auth import Caller
from api.hf.base import hf_view
from api.hf.commit_body import ndjson_lines
from api.hf.routes import REPO_API
from api.hf.shapes import (
    next_link,
    query_bool,
    read_json_body,
    repo_api_path,
    tree_file_json,
    tree_folder_json,
)
from api.hf.views.repos import load_repo
from hub.catalog.content import content_xet_hashes
from hub.catalog.gitignore import path_is_ignored
from hub.catalog.models import TreeEntry
from hub.catalog.revisions import revision_resolve, revision_split
from hub.catalog.services.operations import AddFile, DeleteFile, DeleteFolder, Operation
from hub.catalog.trees import (
    file_content_oid,
    tree_folder_oids,
    tree_items_at_paths,
    tree_list,
)
from hub.community.commits import commit_authorize, commit_preupload, commit_submit
from hub.core.errors import ValidationError
from hub.core.names import validate_repo_path
from hub.core.parsing import int_param
from hub.storage.selectors import blob_read_bytes
from hub.storage.services import blob_claim, blob_upload_bytes

TREE_PAGE_SIZE = 1000
# The client asks for 500 paths at a time when it copies files.
MAX_PATHS_INFO = 10_000
GITIGNORE_READ_LIMIT = 1024 * 1024
# Trees and paths-info --------------------------------------------------------


def _tree_item_json(
    item: Any, folder_oids: dict[str, str], xet_hashes: dict[str, str]
) -> dict[str, Any]:
    if item.entry is not None:
        return tree_file_json(item.entry, xet_hash=xet_hashes.get(item.path))
    return tree_folder_json(item.path, folder_oids.get(item.path, ""))


def _xet_hashes(caller: Caller, repo: Any, items: list[Any]) -> dict[str, str]:
    entries = [item.entry for item in items if item.entry is not None]
    return content_xet_hashes(actor=caller, repo=repo, entries=entries)


@hf_view("GET")
def repo_tree(
    request: HttpRequest,
    caller: Caller,
    repo_type: str,
    namespace: str,
    name: str,
    rest: str,
) -> HttpResponse:
    """2.6: files and folders under a path, 1000 per page with a ``Link`` next.

    Later pages name the resolved commit id, so a branch that moves between
    two pages cannot mix two trees in one listing.
    """
    repo = load_repo(caller, repo_type, namespace, name)
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
    xet_hashes = _xet_hashes(caller, repo, page)
    response = JsonResponse(
        [_tree_item_json(item, folder_oids, xet_hashes) for item in page],
        safe=False,
    )
    if cursor + TREE_PAGE_SIZE < len(items):
        params = {k: request.GET.getlist(k) for k in request.GET if k != "cursor"}
        params["cursor"] = [str(cursor + TREE_PAGE_SIZE)]
        suffix = f"/{folder}" if folder else ""
        response["Link"] = next_link(
            request, f"{repo_api_path(repo)}/tree/{commit.oid}{suffix}", params
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
    request: HttpRequest,
    caller: Caller,
    repo_type: str,
    namespace: str,
    name: str,
    revision: str,
) -> HttpResponse:
    """2.7: tree entries for the given paths; paths that do not exist are left out."""
    repo = load_repo(caller, repo_type, namespace, name)
    commit = revision_resolve(repo=repo, revision=revision)
    items = tree_items_at_paths(commit=commit, paths=_paths_from_body(request))
    xet_hashes = _xet_hashes(caller, repo, items)
    answer = []
    for item in items:
        oids = {} if item.entry else tree_folder_oids(commit=commit, path=item.path)
        answer.append(_tree_item_json(item, oids, xet_hashes))
    return JsonResponse(answer, safe=False)


# Uploads ---------------------------------------------------------------------


def _upload_mode(size: int) -> str:
    # Files up to the inline limit travel base64-encoded in the commit;
    # larger ones are "lfs": clients with hf_xet send them through Xet (the
    # hub's CAS), others through Git LFS. How a file is *stored* (LFS or
    # not) is decided by the commit service from .gitattributes,
    # independently of this.
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
    request: HttpRequest,
    caller: Caller,
    repo_type: str,
    namespace: str,
    name: str,
    revision: str,
) -> HttpResponse:
    """2.13: upload mode, ignore flag and current remote id for each file."""
    repo = load_repo(caller, repo_type, namespace, name)
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
        sizes=wanted,
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
    request: HttpRequest,
    caller: Caller,
    repo_type: str,
    namespace: str,
    name: str,
    revision: str,
) -> HttpResponse:
    """2.15: apply an NDJSON list of operations to a branch, or open a PR with them."""
    repo = load_repo(caller, repo_type, namespace, name)
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


_REPO = REPO_API

urlpatterns: list[URLPattern] = [
    path(f"{_REPO}/tree/<path:rest>", repo_tree),
    path(f"{_REPO}/paths-info/<path:revision>", paths_info),
    path(f"{_REPO}/preupload/<path:revision>", preupload),
    path(f"{_REPO}/commit/<path:revision>", commit_view),
]
