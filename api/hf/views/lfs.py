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
before the object becomes usable (hub.storage.uploads). The wire format
(parsing requests, shaping answers) is api.hf.lfs.

Downloads are not served through LFS: a ``download`` batch answers each
object with a 404 error pointing at ``/resolve/``. The client never asks
for them; files are downloaded through the resolve URLs.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import re_path

from api.hf.auth import Caller
from api.hf.base import hf_view
from api.hf.errors import hf_error
from api.hf.lfs import (
    LFS_CONTENT_TYPE,
    lfs_batch_parse,
    lfs_download_answer,
    lfs_upload_answer,
    lfs_verify_parse,
    upload_complete,
)
from api.hf.routes import repo_type_of_prefix
from hub.catalog.visibility import repo_get_visible
from hub.community.commits import (
    upload_grant_open,
    upload_plans,
    upload_verify_for,
)
from hub.core.errors import ValidationError
from hub.core.parsing import json_parse
from hub.storage.uploads import (
    GrantKind,
    upload_receive_object,
    upload_receive_part,
)


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


@hf_view("POST")
def lfs_batch(
    request: HttpRequest,
    caller: Caller,
    namespace: str,
    name: str,
    repo_prefix: str | None = None,
) -> HttpResponse:
    """The LFS batch API: how (and whether) to upload each object."""
    repo = repo_get_visible(
        user=caller.user,
        token=caller.token,
        namespace=namespace,
        name=name,
        repo_type=repo_type_of_prefix(repo_prefix),
    )
    batch = lfs_batch_parse(_json_body(request))
    if batch.hash_algo != "sha256":
        # git-lfs batch API: an unsupported hash algorithm is a 409.
        return hf_error(f"Unsupported hash_algo {batch.hash_algo!r}: use sha256.", 409)
    if batch.operation == "download":
        return _lfs_json(lfs_download_answer(repo.typed_id, batch.objects))
    ref_name = batch.ref_name()
    plans = upload_plans(
        actor=caller,
        repo=repo,
        ref_name=ref_name,
        objects=batch.objects,
        transfers=batch.transfers(),
        direct=True,
    )
    return _lfs_json(lfs_upload_answer(request, repo, plans))


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
    request: HttpRequest,
    caller: Caller,
    namespace: str,
    name: str,
    repo_prefix: str | None = None,
) -> HttpResponse:
    """The verify step: 200 when the object is stored with the announced size."""
    repo_get_visible(
        user=caller.user,
        token=caller.token,
        namespace=namespace,
        name=name,
        repo_type=repo_type_of_prefix(repo_prefix),
    )
    oid, size = lfs_verify_parse(_json_body(request))
    upload_verify_for(actor=caller, oid=oid, size=size)
    return _lfs_json({})


# A dataset's or a space's LFS endpoint starts with its type's segment
# (``datasets/ns/name.git/...``); the signed upload URLs name the repo for
# readers only (the grant says what may be stored).
_LFS = r"^(?P<namespace>[^/]+)/(?P<name>[^/]+)\.git/info/lfs/objects"
_TYPED_LFS = rf"^(?P<repo_prefix>datasets|spaces)/{_LFS[1:]}"
_OID = r"(?P<oid>[0-9a-f]{64})"

urlpatterns = [
    re_path(rf"{_TYPED_LFS}/batch$", lfs_batch, name="hf-lfs-batch"),
    re_path(rf"{_TYPED_LFS}/verify$", lfs_verify, name="hf-lfs-verify"),
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
