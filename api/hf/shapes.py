"""JSON shapes of the Hugging Face protocol (hf-protocol.md section 2).

Pure builders: they take rows already loaded by selectors and return the
dicts the client parses. Optional objects are left out rather than sent as
``null`` where the client would choke on it (pitfall 10), dates are UTC
with a ``Z`` and commit ids are 40-hex.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, urlencode

from django.http import HttpRequest
from django.utils.html import escape, linebreaks

from api.hf.dates import hf_date
from hub.catalog import gitobjects
from hub.catalog.models import Commit, ModelRepo, Ref, TreeEntry
from hub.catalog.permissions import repo_gate_mode
from hub.core.errors import ValidationError
from hub.core.names import REPO_TYPE_PLURALS
from hub.core.parsing import json_parse

# Every model property these builders can produce; ``expand=`` picks some.
MODEL_PROPERTIES = (
    "author",
    "sha",
    "private",
    "gated",
    "disabled",
    "downloads",
    "downloadsAllTime",
    "likes",
    "trendingScore",
    "tags",
    "pipeline_tag",
    "library_name",
    "lastModified",
    "createdAt",
    "cardData",
    "siblings",
    "usedStorage",
    "safetensors",
    "model-index",
    "evalResults",
)
# What an answer holds when no ``expand=`` is given.
MODEL_INFO_DEFAULT = tuple(p for p in MODEL_PROPERTIES if p != "downloadsAllTime")
MODEL_LIST_DEFAULT = (
    "author",
    "private",
    "gated",
    "downloads",
    "likes",
    "trendingScore",
    "tags",
    "pipeline_tag",
    "library_name",
    "lastModified",
    "createdAt",
)


def repo_web_url(request: HttpRequest, repo: ModelRepo) -> str:
    """Absolute web URL of a repo, on the host the client called (1.8)."""
    return request.build_absolute_uri(f"/{repo.typed_id}")


def repo_api_path(repo: ModelRepo) -> str:
    """``/api/<type>s/<ns>/<name>``: where the repo's API routes start."""
    return f"/api/{REPO_TYPE_PLURALS[repo.repo_type]}/{repo.full_name}"


def xet_cas_url(request: HttpRequest) -> str:
    """The hub's Xet CAS, on the host the client called (``casUrl``)."""
    return request.build_absolute_uri("/xet")


def model_json(
    repo: ModelRepo,
    *,
    properties: Iterable[str],
    tags: list[str],
    commit: Commit | None = None,
    card_data: dict[str, Any] | None = None,
    siblings: list[dict[str, Any]] | None = None,
    used_storage: int | None = None,
    safetensors: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A model object (2.4/2.5) with ``id`` and the requested properties.

    Properties whose data was not given (``commit`` for ``sha``, ...) are
    left out, as are empty ``pipeline_tag``, ``library_name`` and
    ``cardData``.
    """
    if card_data is None:
        card_data = repo.card_data or {}
    # The gate in force: a license that must be accepted gates the model
    # even when its owner left the setting off.
    gate = repo_gate_mode(repo=repo)
    values: dict[str, Any] = {
        "author": repo.namespace.name,
        "private": repo.is_private,
        "gated": False if gate == ModelRepo.Gated.OFF else gate,
        "disabled": repo.disabled_at is not None,
        "downloads": repo.downloads,
        "downloadsAllTime": repo.downloads,
        "likes": repo.likes,
        "trendingScore": repo.trending_score,
        "tags": tags,
        "createdAt": hf_date(repo.created_at),
        "lastModified": hf_date(
            commit.created_at if commit is not None else repo.last_commit_at
        ),
    }
    if commit is not None:
        values["sha"] = commit.oid
    pipeline_tag = card_data.get("pipeline_tag")
    if isinstance(pipeline_tag, str) and pipeline_tag:
        values["pipeline_tag"] = pipeline_tag
    library_name = card_data.get("library_name")
    if isinstance(library_name, str) and library_name:
        values["library_name"] = library_name
    if card_data:
        values["cardData"] = card_data
    if siblings is not None:
        values["siblings"] = siblings
    if used_storage is not None:
        values["usedStorage"] = used_storage
    if safetensors is not None:
        values["safetensors"] = safetensors
    out: dict[str, Any] = {"id": repo.full_name}
    if repo.repo_type == ModelRepo.RepoType.MODEL:
        out["modelId"] = repo.full_name
    for prop in properties:
        if prop in values:
            out[prop] = values[prop]
    return out


def lfs_json(entry: TreeEntry, *, sha256_key: str) -> dict[str, Any]:
    """The ``lfs`` object of an LFS file: ``oid`` in trees, ``sha256`` in siblings."""
    pointer = gitobjects.lfs_pointer(sha256=entry.blob_id, size=entry.size)
    return {sha256_key: entry.blob_id, "size": entry.size, "pointerSize": len(pointer)}


def sibling_json(entry: TreeEntry, *, blobs: bool) -> dict[str, Any]:
    """One ``siblings`` item; with ``blobs`` also size, git blob id and LFS info."""
    item: dict[str, Any] = {"rfilename": entry.path}
    if blobs:
        item["size"] = entry.size
        item["blobId"] = entry.git_oid
        if entry.is_lfs:
            item["lfs"] = lfs_json(entry, sha256_key="sha256")
    return item


def tree_file_json(entry: TreeEntry, *, xet_hash: str | None = None) -> dict[str, Any]:
    """A file entry of a tree listing or paths-info answer; ``xetHash`` when
    the caller may fetch the file through Xet (the client then skips the
    HEAD call and downloads from the CAS with a read token)."""
    item: dict[str, Any] = {
        "type": "file",
        "oid": entry.git_oid,
        "size": entry.size,
        "path": entry.path,
    }
    if entry.is_lfs:
        item["lfs"] = lfs_json(entry, sha256_key="oid")
    if xet_hash is not None:
        item["xetHash"] = xet_hash
    return item


def tree_folder_json(path: str, oid: str) -> dict[str, Any]:
    """A folder entry: its git tree id as ``oid``."""
    return {"type": "directory", "oid": oid, "size": 0, "path": path}


def ref_json(ref: Ref) -> dict[str, Any]:
    """A ``branches``/``tags``/``pullRequests`` item of the refs answer."""
    if ref.kind == Ref.Kind.BRANCH:
        full = f"refs/heads/{ref.name}"
    elif ref.kind == Ref.Kind.TAG:
        full = f"refs/tags/{ref.name}"
    else:
        full = ref.name
    return {"name": ref.name, "ref": full, "targetCommit": ref.commit.oid}


def commit_item_json(commit: Commit, *, formatted: bool = False) -> dict[str, Any]:
    """A ``list_repo_commits`` item; ``formatted`` (HTML) only when asked."""
    author = commit.author.username if commit.author else commit.author_name
    item: dict[str, Any] = {
        "id": commit.oid,
        "title": commit.title,
        "message": commit.description,
        "authors": [{"user": author}],
        "date": hf_date(commit.created_at),
    }
    if formatted:
        item["formatted"] = {
            "title": escape(commit.title),
            "message": linebreaks(commit.description, autoescape=True)
            if commit.description
            else "",
        }
    return item


# Request parsing shared by the views ------------------------------------------


def read_json_body(request: HttpRequest) -> dict[str, Any]:
    """The request's JSON object body ({} when empty); ValidationError otherwise."""
    raw = request.body
    if not raw.strip():
        return {}
    data = json_parse(raw)
    if not isinstance(data, dict):
        raise ValidationError("The request body must be a JSON object.")
    return data


def query_bool(value: str | None, *, default: bool = False) -> bool:
    """A boolean query parameter: the words true/false (or 1/0), any case."""
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def query_list(request: HttpRequest, name: str) -> list[str]:
    """A repeated query parameter; ``name[]`` is accepted too (axios style)."""
    values = request.GET.getlist(name) + request.GET.getlist(f"{name}[]")
    return [v for v in values if v]


def next_link(request: HttpRequest, path: str, params: dict[str, Any]) -> str:
    """A ``Link`` header value pointing at the next page (absolute, 1.6)."""
    query = urlencode(params, doseq=True)
    url = request.build_absolute_uri(quote(path) + (f"?{query}" if query else ""))
    return f'<{url}>; rel="next"'


def security_status_json(summary: Any, runs: Any) -> dict[str, Any]:
    """``securityRepoStatus``: the commit's validation, as the client stores it.

    ``scansDone`` is false while checks are queued or running;
    ``filesWithIssues`` lists every file whose check failed or warned, with
    the validator's plain-words reasons.
    """
    issues = []
    for run in runs:
        if run.verdict in ("", "passed"):
            continue
        issues.append(
            {
                "path": run.path or "",
                "level": run.verdict,
                "messages": [f["message"] for f in run.findings][:5],
            }
        )
    return {
        "scansDone": summary.state not in ("pending", "none"),
        "state": summary.state,
        "counts": summary.counts,
        "filesWithIssues": issues,
    }


def model_index_json(
    card_data: dict[str, Any], hub_index: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """``model-index``: the card's claims (never verified) beside the hub's own
    sandboxed results (``verified: true``), as the client's ModelInfo reads it."""
    claimed = []
    index = card_data.get("model-index")
    if isinstance(index, list):
        for model in index[:10]:
            if not isinstance(model, dict):
                continue
            results = []
            for result in model.get("results") or []:
                if not isinstance(result, dict):
                    continue
                metrics = [
                    {**metric, "verified": False}
                    for metric in result.get("metrics") or []
                    if isinstance(metric, dict)
                ]
                results.append({**result, "metrics": metrics})
            claimed.append({**model, "results": results})
    return claimed + hub_index


def repo_ref_json(repo: Any) -> dict[str, str]:
    """A repo as discussions and likes name it."""
    return {"name": repo.full_name, "type": str(repo.repo_type)}
