"""Gated repos' access requests in the Hugging Face protocol.

The routes ``HfApi.list_pending_access_requests`` (and ``_accepted`` /
``_rejected``), ``accept_access_request``, ``reject_access_request``,
``cancel_access_request`` and ``grant_access`` call. They are for the
repo's admins and map onto ``hub.licenses`` (``access_request_decide``);
requesting access itself is a web or /api/v1 action, as on the HF Hub.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, path

from api.hf.auth import Caller
from api.hf.base import hf_view
from api.hf.dates import hf_date
from api.hf.shapes import read_json_body
from api.hf.views.repos import load_repo, require_admin
from hub.accounts.selectors import user_get_by_username
from hub.core.errors import ValidationError
from hub.core.parsing import int_param
from hub.licenses.models import LicenseAcceptance
from hub.licenses.selectors import access_request_list
from hub.licenses.services import access_request_decide

# Requests answered per listing (the client follows no pagination here
# unless a Link header is sent; an admin's queue is far smaller).
MAX_LISTED = 10_000


def _request_json(row: LicenseAcceptance) -> dict[str, Any]:
    return {
        "requestId": str(row.pk),
        "user": {"user": row.user.username, "fullname": row.user.display_name},
        "status": row.status,
        "timestamp": hf_date(row.created_at),
        "fields": row.fields or {},
    }


@hf_view("GET")
def access_request_list_view(
    request: HttpRequest, caller: Caller, namespace: str, name: str, status: str
) -> HttpResponse:
    """The repo's access requests in one state, oldest first (admins)."""
    repo = load_repo(caller, namespace, name)
    require_admin(caller, repo)
    if status not in LicenseAcceptance.Status.values:
        raise ValidationError("Use pending, accepted or rejected.")
    rows = access_request_list(repo=repo, status=status).order_by("created_at", "pk")
    return JsonResponse([_request_json(r) for r in rows[:MAX_LISTED]], safe=False)


def _target_user(repo: Any, body: dict[str, Any]) -> Any:
    if isinstance(body.get("user"), str) and body["user"]:
        return user_get_by_username(username=body["user"])
    request_id = body.get("requestId")
    if isinstance(request_id, str) and request_id.isdigit():
        pk = int_param(request_id, name="requestId")
        row = access_request_list(repo=repo).filter(pk=pk).first()
        if row is not None:
            return row.user
    raise ValidationError("Name the request's 'user' (or a known 'requestId').")


@hf_view("POST")
def access_request_handle_view(
    request: HttpRequest, caller: Caller, namespace: str, name: str
) -> HttpResponse:
    """Accept, reject or cancel (back to pending) a user's request (admins)."""
    repo = load_repo(caller, namespace, name)
    require_admin(caller, repo)
    body = read_json_body(request)
    status = body.get("status")
    if status not in LicenseAcceptance.Status.values:
        raise ValidationError("'status' must be accepted, rejected or pending.")
    user = _target_user(repo, body)
    row = access_request_decide(repo=repo, actor=caller.user, user=user, status=status)
    return JsonResponse(_request_json(row))


@hf_view("POST")
def access_grant_view(
    request: HttpRequest, caller: Caller, namespace: str, name: str
) -> HttpResponse:
    """Grant a user access without a request of theirs (admins)."""
    repo = load_repo(caller, namespace, name)
    require_admin(caller, repo)
    user = _target_user(repo, read_json_body(request))
    row = access_request_decide(
        repo=repo, actor=caller.user, user=user, status="accepted"
    )
    return JsonResponse(_request_json(row))


_REPO = "api/models/<str:namespace>/<str:name>/user-access-request"

urlpatterns: list[URLPattern] = [
    path(f"{_REPO}/handle", access_request_handle_view),
    path(f"{_REPO}/grant", access_grant_view),
    path(f"{_REPO}/<str:status>", access_request_list_view),
]
