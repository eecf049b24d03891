"""The git-lfs wire format of the HF protocol (hf-protocol.md 2.14, section 7).

Parsing what the client sends (batch requests, the multipart completion
body, the verify body) and shaping what it reads (per-object actions with
their hrefs, multipart part headers). The upload sessions themselves —
grants, plans, staging, parts, promotion — are the domain's
(``hub.storage.uploads``); who may upload is decided by the use cases
(``hub.community.commits``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.http import HttpRequest
from django.urls import reverse

from hub.catalog.models import ModelRepo
from hub.community.commits import UploadObject
from hub.core.errors import ValidationError
from hub.core.names import REPO_TYPE_PLURALS
from hub.storage.models import Blob
from hub.storage.uploads import (
    MAX_BATCH_OBJECTS,
    TRANSFER_BASIC,
    TRANSFER_MULTIPART,
    UploadGrant,
    UploadPlan,
    upload_assemble,
    upload_completed_blob,
    upload_parts_staged,
)

LFS_CONTENT_TYPE = "application/vnd.git-lfs+json"


# Batch requests ----------------------------------------------------------------


@dataclass(frozen=True)
class BatchRequest:
    """A parsed batch request (``hash_algo`` is checked by the view: a 409)."""

    operation: str
    objects: list[UploadObject]
    hash_algo: str
    payload: dict[str, Any]

    def ref_name(self) -> str | None:
        """The ``ref`` of an upload request; ValidationError when malformed."""
        ref = self.payload.get("ref")
        if ref is not None and not (
            isinstance(ref, dict) and isinstance(ref.get("name"), str)
        ):
            raise ValidationError('"ref" must be {"name": "<revision>"}.')
        return None if ref is None else str(ref["name"])

    def transfers(self) -> list[str] | None:
        """The transfers the client offers; ValidationError when malformed."""
        transfers = self.payload.get("transfers")
        if transfers is not None and not (
            isinstance(transfers, list) and all(isinstance(t, str) for t in transfers)
        ):
            raise ValidationError('"transfers" must be a list of transfer names.')
        return transfers


def lfs_batch_parse(payload: Any) -> BatchRequest:
    """The batch request body; ValidationError when it is not one."""
    if not isinstance(payload, dict):
        raise ValidationError("The batch request body must be a JSON object.")
    operation = payload.get("operation")
    if operation not in ("upload", "download"):
        raise ValidationError('"operation" must be "upload" or "download".')
    return BatchRequest(
        operation=str(operation),
        objects=_parse_objects(payload),
        hash_algo=str(payload.get("hash_algo", "sha256")),
        payload=payload,
    )


def _parse_objects(payload: dict[str, Any]) -> list[UploadObject]:
    objects = payload.get("objects")
    if not isinstance(objects, list):
        raise ValidationError('"objects" must be a list of {"oid", "size"}.')
    if len(objects) > MAX_BATCH_OBJECTS:
        raise ValidationError(
            f"At most {MAX_BATCH_OBJECTS} objects per batch request, "
            f"not {len(objects)}."
        )
    parsed = []
    for item in objects:
        oid = item.get("oid") if isinstance(item, dict) else None
        size = item.get("size") if isinstance(item, dict) else None
        if (
            not isinstance(oid, str)
            or not isinstance(size, int)
            or isinstance(size, bool)
        ):
            raise ValidationError(
                'Each object must be {"oid": <sha256 hex>, "size": <bytes>}.'
            )
        parsed.append(UploadObject(oid, size))
    return parsed


# Batch answers ------------------------------------------------------------------


def lfs_download_answer(
    full_name: str, objects: Iterable[UploadObject]
) -> dict[str, Any]:
    """Downloads are not served through LFS: each object a 404 to /resolve/."""
    message = (
        "LFS downloads are not served here: download files from "
        f"/{full_name}/resolve/<revision>/<path>."
    )
    return {
        "transfer": TRANSFER_BASIC,
        "objects": [
            {
                "oid": item.oid,
                "size": item.size,
                "error": {"code": 404, "message": message},
            }
            for item in objects
        ],
        "hash_algo": "sha256",
    }


def lfs_upload_answer(
    request: HttpRequest, repo: ModelRepo, plans: Sequence[UploadPlan]
) -> dict[str, Any]:
    """The batch answer to an upload request, one entry per plan."""
    # One adapter name for the whole answer (git-lfs); the client reads the
    # per-object header to tell multipart from basic, so mixing is fine.
    transfer = (
        TRANSFER_MULTIPART
        if any(p.transfer == TRANSFER_MULTIPART for p in plans)
        else TRANSFER_BASIC
    )
    return {
        "transfer": transfer,
        "objects": [_object_answer(request, repo, p) for p in plans],
        "hash_algo": "sha256",
    }


def _signed_url(
    request: HttpRequest, route: str, kwargs: dict[str, Any], token: str
) -> str:
    path = reverse(route, kwargs=kwargs)
    return request.build_absolute_uri(f"{path}?sig={quote(token, safe='')}")


def _upload_action(
    request: HttpRequest, object_kwargs: dict[str, Any], plan: UploadPlan
) -> dict[str, Any]:
    if plan.transfer == TRANSFER_BASIC:
        # Direct (S3) plans PUT straight to a presigned URL; the verify call
        # then checks the bytes before they become usable.
        return {
            "href": plan.direct_href
            or _signed_url(request, "hf-lfs-object", object_kwargs, plan.token),
            "expires_in": plan.expires_in,
        }
    header = {"chunk_size": str(plan.chunk_size)}
    if plan.part_urls:
        for number, url in enumerate(plan.part_urls, start=1):
            header[str(number)] = url
    for number, token in enumerate(plan.part_tokens, start=1):
        header[str(number)] = _signed_url(
            request, "hf-lfs-part", {**object_kwargs, "part": number}, token
        )
    return {
        "href": _signed_url(request, "hf-lfs-complete", object_kwargs, plan.token),
        "header": header,
        "expires_in": plan.expires_in,
    }


def _object_answer(
    request: HttpRequest, repo: ModelRepo, plan: UploadPlan
) -> dict[str, Any]:
    entry: dict[str, Any] = {"oid": plan.oid, "size": plan.size}
    if plan.error is not None:
        code, message = plan.error
        entry["error"] = {"code": code, "message": message}
        return entry
    if not plan.transfer:
        # Already stored: no "actions" at all (never null), the client skips it.
        return entry
    repo_kwargs = {"namespace": repo.namespace.name, "name": repo.name}
    typed_kwargs = dict(repo_kwargs)
    if repo.repo_type != "model":
        typed_kwargs["repo_prefix"] = REPO_TYPE_PLURALS[repo.repo_type]
    entry["authenticated"] = True
    entry["actions"] = {
        "upload": _upload_action(request, {**repo_kwargs, "oid": plan.oid}, plan),
        # The client calls verify with its own Authorization header; no
        # credentials are echoed here.
        "verify": {
            "href": request.build_absolute_uri(
                reverse("hf-lfs-verify", kwargs=typed_kwargs)
            )
        },
    }
    return entry


# Multipart completion and verify ---------------------------------------------------


def upload_complete(*, grant: UploadGrant, payload: Any) -> Blob:
    """Complete a multipart upload from its completion body.

    ``payload`` is the decoded body, ``{"oid", "parts": [{"partNumber",
    "etag"}]}`` (None when it was not JSON): every part 1..N must be listed
    once, with the ETag its PUT answered. The staged parts are removed
    whatever the outcome. Idempotent: completing an object already stored
    for this user returns its Blob. Raises ValidationError (body, parts,
    ETags) or BlobIntegrityError.
    """
    with upload_parts_staged(grant):
        if not isinstance(payload, dict) or not isinstance(payload.get("parts"), list):
            raise ValidationError(
                'The completion body must be JSON: {"oid": ..., "parts": [...]}.'
            )
        if payload.get("oid") != grant.oid:
            raise ValidationError("The completion oid differs from the upload's oid.")
        existing = upload_completed_blob(grant=grant)
        if existing is not None:
            # A retried completion whose first attempt stored the blob.
            return existing
        etags = _parse_parts(grant, payload["parts"])
        return upload_assemble(grant=grant, etags=etags)


def _normalise_etag(value: object) -> str:
    text = str(value).strip()
    if text.startswith("W/"):
        text = text[2:]
    return text.strip('"')


def _parse_parts(grant: UploadGrant, parts: Iterable[Any]) -> dict[int, str]:
    found: dict[int, str] = {}
    for item in parts:
        if not isinstance(item, dict):
            raise ValidationError('Each part must be {"partNumber": n, "etag": "..."}.')
        number, etag = item.get("partNumber"), item.get("etag")
        if not isinstance(number, int) or isinstance(number, bool):
            raise ValidationError("partNumber must be an integer.")
        if not isinstance(etag, str) or not etag:
            raise ValidationError(f"Part {number} has no etag.")
        if number in found:
            raise ValidationError(f"Part {number} is listed twice.")
        found[number] = _normalise_etag(etag)
    expected = set(range(1, grant.part_count + 1))
    if set(found) != expected:
        missing = sorted(expected - set(found))
        extra = sorted(set(found) - expected)
        detail = []
        if missing:
            detail.append(f"missing parts {_short_list(missing)}")
        if extra:
            detail.append(f"unknown parts {_short_list(extra)}")
        raise ValidationError(
            f"This upload has {grant.part_count} parts: {'; '.join(detail)}."
        )
    return found


def _short_list(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:10])
    return shown + (", ..." if len(numbers) > 10 else "")


def lfs_verify_parse(payload: Any) -> tuple[str, int]:
    """(oid, size) of a verify body; ValidationError when it is not one."""
    oid = payload.get("oid") if isinstance(payload, dict) else None
    size = payload.get("size") if isinstance(payload, dict) else None
    if not isinstance(oid, str) or not isinstance(size, int) or isinstance(size, bool):
        raise ValidationError('The verify body must be {"oid": ..., "size": ...}.')
    return oid, size
