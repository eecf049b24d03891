"""Small HTTP helpers for attacker-side tests (raw requests, no client)."""

from __future__ import annotations

import json
from typing import Any

import requests


def bearer(secret: str | None) -> dict[str, str]:
    return {"authorization": f"Bearer {secret}"} if secret else {}


def ndjson_commit(
    hub_url: str,
    secret: str,
    repo_id: str,
    lines: list[dict[str, Any]],
    *,
    revision: str = "main",
    create_pr: bool = False,
) -> requests.Response:
    """POST an NDJSON commit as huggingface_hub would, lines after the header."""
    header = {"key": "header", "value": {"summary": "attack", "description": ""}}
    body = "\n".join(json.dumps(line) for line in [header, *lines])
    return requests.post(
        f"{hub_url}/api/models/{repo_id}/commit/{revision}"
        + ("?create_pr=1" if create_pr else ""),
        data=body.encode(),
        headers={**bearer(secret), "Content-Type": "application/x-ndjson"},
        timeout=30,
    )


def lfs_line(path: str, oid: str, size: int | None = None) -> dict[str, Any]:
    value: dict[str, Any] = {"path": path, "algo": "sha256", "oid": oid}
    if size is not None:
        value["size"] = size
    return {"key": "lfsFile", "value": value}


LFS_HEADERS = {
    "Accept": "application/vnd.git-lfs+json",
    "Content-Type": "application/vnd.git-lfs+json",
}


def lfs_batch(
    hub_url: str,
    secret: str,
    repo_id: str,
    objects: list[tuple[str, int]],
    *,
    ref: str | None = "main",
    transfers: tuple[str, ...] = ("basic", "multipart"),
) -> requests.Response:
    body: dict[str, Any] = {
        "operation": "upload",
        "transfers": list(transfers),
        "objects": [{"oid": oid, "size": size} for oid, size in objects],
        "hash_algo": "sha256",
    }
    if ref is not None:
        body["ref"] = {"name": ref}
    return requests.post(
        f"{hub_url}/{repo_id}.git/info/lfs/objects/batch",
        json=body,
        headers={**bearer(secret), **LFS_HEADERS},
        timeout=30,
    )
