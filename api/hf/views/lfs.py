"""Git LFS uploads of the HF protocol (hf-protocol.md 2.14 and section 7).

* ``POST /{repo}.git/info/lfs/objects/batch``: the caller's token decides
  whether it may upload; the answer hands out self-authenticating URLs
  (the client sends no Authorization header on the PUTs).
* ``PUT  .../objects/{oid}?sig=``: a basic transfer, streamed to the store.
* ``PUT  .../objects/{oid}/parts/{n}?sig=``: one multipart part.
* ``POST .../objects/{oid}/complete?sig=``: assemble the parts.
* ``POST .../objects/verify``: the verify step (with auth).

With the S3 blob store, the batch answer points the PUTs (or the parts)
straight at presigned S3 URLs; the verify call (single PUT) or the
completion call (multipart) then reads the bytes back and checks them
before the object becomes usable (hub.storage.uploads).

Downloads are not served through LFS: a ``download`` batch answers each
object with a 404 error pointing at ``/resolve/``. The client never asks
for them; files are downloaded through the resolve URLs.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import re_path, reverse

from api.hf.auth import Caller
from api.hf.base import hf_view
from api.hf.errors import hf_error
from hub.catalog.visibility import repo_get_visible
from hub.community.commits import (
    UploadObject,
    upload_grant_open,
    upload_plans,
    upload_verify_for,
)
from hub.core.errors import ValidationError
from hub.core.parsing import json_parse
from hub.storage.uploads import (
    MAX_BATCH_OBJECTS,
    TRANSFER_BASIC,
    TRANSFER_MULTIPART,
    GrantKind,
    UploadPlan,
    upload_complete,
    upload_receive_object,
    upload_receive_part,
)

LFS_CONTENT_TYPE = "application/vnd.git-lfs+json"


def _lfs_json(data: dict[str, Any], status: int = 200) -> JsonResponse:
    # Always this content type, whatever Accept says (pitfall 8).
    return JsonResponse(data, status=status, content_type=LFS_CONTENT_TYPE)


def _json_body(request: HttpRequest) -> Any:
    """The parsed body (None when empty); ValidationError for bad JSON."""
    return json_parse(request.body) if request.body.strip() else None


def _content_length(request: HttpRequest) -> int | None:
    raw = request.META.get("CONTENT_LENGTH") or ""
    if not raw.strip():
        return None
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError("Content-Length must be a number of bytes.") from None
    if value < 0:
        raise ValidationError("Content-Length must not be negative.")
    return value


def _signature(request: HttpRequest) -> str:
    return request.GET.get("sig", "")


def _signed_url(
    request: HttpRequest, route: str, kwargs: dict[str, Any], token: str
) -> str:
    path = reverse(route, kwargs=kwargs)
    return request.build_absolute_uri(f"{path}?sig={quote(token, safe='')}")


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


def _object_answer(
    request: HttpRequest, namespace: str, name: str, plan: UploadPlan
) -> dict[str, Any]:
    entry: dict[str, Any] = {"oid": plan.oid, "size": plan.size}
    if plan.error is not None:
        code, message = plan.error
        entry["error"] = {"code": code, "message": message}
        return entry
    if not plan.transfer:
        # Already stored: no "actions" at all (never null), the client skips it.
        return entry
    repo_kwargs = {"namespace": namespace, "name": name}
    object_kwargs = {**repo_kwargs, "oid": plan.oid}
    if plan.transfer == TRANSFER_BASIC:
        # Direct (S3) plans PUT straight to a presigned URL; the verify call
        # below then checks the bytes before they become usable.
        upload: dict[str, Any] = {
            "href": plan.direct_href
            or _signed_url(request, "hf-lfs-object", object_kwargs, plan.token),
            "expires_in": plan.expires_in,
        }
    else:
        header = {"chunk_size": str(plan.chunk_size)}
        if plan.part_urls:
            for number, url in enumerate(plan.part_urls, start=1):
                header[str(number)] = url
        for number, token in enumerate(plan.part_tokens, start=1):
            header[str(number)] = _signed_url(
                request, "hf-lfs-part", {**object_kwargs, "part": number}, token
            )
        upload = {
            "href": _signed_url(request, "hf-lfs-complete", object_kwargs, plan.token),
            "header": header,
            "expires_in": plan.expires_in,
        }
    entry["authenticated"] = True
    entry["actions"] = {
        "upload": upload,
        # The client calls verify with its own Authorization header; no
        # credentials are echoed here.
        "verify": {
            "href": request.build_absolute_uri(
                reverse("hf-lfs-verify", kwargs=repo_kwargs)
            )
        },
    }
    return entry


@hf_view("POST")
def lfs_batch(
    request: HttpRequest, caller: Caller, namespace: str, name: str
) -> HttpResponse:
    """The LFS batch API: how (and whether) to upload each object."""
    repo = repo_get_visible(
        user=caller.user, token=caller.token, namespace=namespace, name=name
    )
    payload = _json_body(request)
    if not isinstance(payload, dict):
        raise ValidationError("The batch request body must be a JSON object.")
    operation = payload.get("operation")
    if operation not in ("upload", "download"):
        raise ValidationError('"operation" must be "upload" or "download".')
    objects = _parse_objects(payload)
    hash_algo = payload.get("hash_algo", "sha256")
    if hash_algo != "sha256":
        # git-lfs batch API: an unsupported hash algorithm is a 409.
        return hf_error(f"Unsupported hash_algo {hash_algo!r}: use sha256.", 409)
    if operation == "download":
        message = (
            "LFS downloads are not served here: download files from "
            f"/{repo.full_name}/resolve/<revision>/<path>."
        )
        return _lfs_json(
            {
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
        )
    ref = payload.get("ref")
    if ref is not None and not (
        isinstance(ref, dict) and isinstance(ref.get("name"), str)
    ):
        raise ValidationError('"ref" must be {"name": "<revision>"}.')
    transfers = payload.get("transfers")
    if transfers is not None and not (
        isinstance(transfers, list) and all(isinstance(t, str) for t in transfers)
    ):
        raise ValidationError('"transfers" must be a list of transfer names.')
    plans = upload_plans(
        actor=caller,
        repo=repo,
        ref_name=None if ref is None else ref["name"],
        objects=objects,
        transfers=transfers,
        direct=True,
    )
    # One adapter name for the whole answer (git-lfs); the client reads the
    # per-object header to tell multipart from basic, so mixing is fine.
    transfer = (
        TRANSFER_MULTIPART
        if any(p.transfer == TRANSFER_MULTIPART for p in plans)
        else TRANSFER_BASIC
    )
    return _lfs_json(
        {
            "transfer": transfer,
            "objects": [_object_answer(request, namespace, name, p) for p in plans],
            "hash_algo": "sha256",
        }
    )


@hf_view("PUT", rate_limited=False)
def lfs_object_upload(
    request: HttpRequest, caller: Caller, namespace: str, name: str, oid: str
) -> HttpResponse:
    """Basic transfer: the signed URL authorizes the upload, not a token."""
    grant = upload_grant_open(
        signature=_signature(request), kind=GrantKind.OBJECT, oid=oid
    )
    upload_receive_object(
        grant=grant, stream=request, content_length=_content_length(request)
    )
    return HttpResponse(status=200)


@hf_view("PUT", rate_limited=False)
def lfs_part_upload(
    request: HttpRequest,
    caller: Caller,
    namespace: str,
    name: str,
    oid: str,
    part: str,
) -> HttpResponse:
    """One part of a multipart transfer; answers the part's ETag."""
    grant = upload_grant_open(
        signature=_signature(request),
        kind=GrantKind.PART,
        oid=oid,
        part_number=int(part),
    )
    etag = upload_receive_part(
        grant=grant, stream=request, content_length=_content_length(request)
    )
    response = HttpResponse(status=200)
    response["ETag"] = etag
    return response


@hf_view("POST", rate_limited=False)
def lfs_multipart_complete(
    request: HttpRequest, caller: Caller, namespace: str, name: str, oid: str
) -> HttpResponse:
    """Completion of a multipart transfer: assemble and verify the object."""
    grant = upload_grant_open(
        signature=_signature(request), kind=GrantKind.COMPLETE, oid=oid
    )
    upload_complete(grant=grant, payload=_json_body(request))
    return _lfs_json({})


@hf_view("POST")
def lfs_verify(
    request: HttpRequest, caller: Caller, namespace: str, name: str
) -> HttpResponse:
    """The verify step: 200 when the object is stored with the announced size."""
    repo_get_visible(
        user=caller.user, token=caller.token, namespace=namespace, name=name
    )
    payload = _json_body(request)
    oid = payload.get("oid") if isinstance(payload, dict) else None
    size = payload.get("size") if isinstance(payload, dict) else None
    if not isinstance(oid, str) or not isinstance(size, int) or isinstance(size, bool):
        raise ValidationError('The verify body must be {"oid": ..., "size": ...}.')
    upload_verify_for(actor=caller, oid=oid, size=size)
    return _lfs_json({})


_LFS = r"^(?P<namespace>[^/]+)/(?P<name>[^/]+)\.git/info/lfs/objects"
_OID = r"(?P<oid>[0-9a-f]{64})"

urlpatterns = [
    re_path(rf"{_LFS}/batch$", lfs_batch, name="hf-lfs-batch"),
    re_path(rf"{_LFS}/verify$", lfs_verify, name="hf-lfs-verify"),
    re_path(rf"{_LFS}/{_OID}$", lfs_object_upload, name="hf-lfs-object"),
    re_path(
        rf"{_LFS}/{_OID}/parts/(?P<part>[1-9][0-9]{{0,5}})$",
        lfs_part_upload,
        name="hf-lfs-part",
    ),
    re_path(
        rf"{_LFS}/{_OID}/complete$", lfs_multipart_complete, name="hf-lfs-complete"
    ),
]
