"""Gated repos' access requests in the Hugging Face protocol.

The routes ``HfApi.list_pending_access_requests`` (and ``_accepted`` /
``_rejected``), ``accept_access_request``, ``reject_access_request``,
``cancel_access_request`` and ``grant_access`` call. They are for the
repo's admins and map onto ``hub.access`` (``access_request_decide``);
requesting access itself is a web or /api/v1 action, as on the HF Hub.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, path

from api.hf.auth import Caller
from api.hf.base import hf_view
from api.hf.dates import hf_date
from api.hf.routes import REPO_API
from api.hf.shapes import read_json_body
from api.hf.views.repos import load_repo
from hub.access import usecases
from hub.core.errors import ValidationError
from hub.licenses.models import LicenseAcceptance

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
    request: HttpRequest,
    caller: Caller,
    repo_type: str,
    namespace: str,
    name: str,
    status: str,
) -> HttpResponse:
    """The repo's access requests in one state, oldest first (admins)."""
    repo = load_repo(caller, repo_type, namespace, name)
    rows = usecases.access_requests_list(
        actor=caller, repo=repo, status=status
    ).order_by("created_at", "pk")
    return JsonResponse([_request_json(r) for r in rows[:MAX_LISTED]], safe=False)


def _target(body: dict[str, Any]) -> dict[str, str | None]:
    """The user a decision is about: by name, or by the id of their request."""
    username = body.get("user")
    request_id = body.get("requestId")
    return {
        "username": username if isinstance(username, str) else None,
        "request_id": request_id if isinstance(request_id, str) else None,
    }


@hf_view("POST")
def access_request_handle_view(
    request: HttpRequest, caller: Caller, repo_type: str, namespace: str, name: str
) -> HttpResponse:
    """Accept, reject or cancel (back to pending) a user's request (admins)."""
    repo = load_repo(caller, repo_type, namespace, name)
    body = read_json_body(request)
    status = body.get("status")
    if not isinstance(status, str):
        raise ValidationError("'status' must be accepted, rejected or pending.")
    row = usecases.access_request_decide(
        actor=caller, repo=repo, status=status, **_target(body)
    )
    return JsonResponse(_request_json(row))


@hf_view("POST")
def access_grant_view(
    request: HttpRequest, caller: Caller, repo_type: str, namespace: str, name: str
) -> HttpResponse:
    """Grant a user access without a request of theirs (admins)."""
    repo = load_repo(caller, repo_type, namespace, name)
    row = usecases.access_request_decide(
        actor=caller, repo=repo, status="accepted", **_target(read_json_body(request))
    )
    return JsonResponse(_request_json(row))


_REPO = f"{REPO_API}/user-access-request"

urlpatterns: list[URLPattern] = [
    path(f"{_REPO}/handle", access_request_handle_view),
    path(f"{_REPO}/grant", access_grant_view),
    path(f"{_REPO}/<str:status>", access_request_list_view),
]
