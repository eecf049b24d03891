"""Accounts and repos of the HF protocol face: whoami, create, delete, move,
settings, card validation and Xet access tokens (hf-protocol.md 2.1, 2.2,
2.5, 2.12, 2.20, 2.21; ``models`` has the metadata, ``history`` refs and
commits). Each view parses the request, calls a use case with the caller and
renders the protocol's JSON (api.hf.shapes).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, path

from api.hf.auth import Caller
from api.hf.base import hf_view
from api.hf.errors import hf_error
from api.hf.routes import REPO_API
from api.hf.shapes import (
    query_bool,
    read_json_body,
    repo_web_url,
    xet_cas_url,
)
from hub.accounts.models import Membership
from hub.catalog import usecases
from hub.catalog.cards import card_parse
from hub.catalog.errors import RepoExistsError, RepoNotFoundError
from hub.catalog.models import ModelRepo
from hub.catalog.visibility import repo_get_visible
from hub.community.xet_tokens import xet_token_issue
from hub.core.errors import (
    AuthenticationError,
    ValidationError,
)
from hub.core.names import REPO_TYPES, repo_typed_id


def load_repo(caller: Caller, repo_type: str, namespace: str, name: str) -> ModelRepo:
    """The repo if the caller may see it; RepoNotFound (404) otherwise."""
    return repo_get_visible(
        user=caller.user,
        token=caller.token,
        namespace=namespace,
        name=name,
        repo_type=repo_type,
    )


def _repo_type_of(value: Any) -> str:
    """The repo type a body names ("type"/"repo_type"; absent: a model)."""
    if value in (None, ""):
        return "model"
    if value not in REPO_TYPES:
        raise ValidationError(
            f"Unknown repo type {value!r}: use one of {', '.join(REPO_TYPES)}."
        )
    return str(value)


def _split_repo_id(repo_id: Any, what: str) -> tuple[str, str]:
    if not isinstance(repo_id, str) or repo_id.count("/") != 1:
        raise ValidationError(f"{what} must be a repo id 'namespace/name'.")
    namespace, name = repo_id.split("/")
    return namespace, name


def _load_repo_exact(
    caller: Caller, repo_type: str, namespace: str, name: str
) -> ModelRepo:
    # Destructive calls must not follow a rename redirect: deleting an old id
    # would otherwise delete the repo that now lives under another id.
    repo = load_repo(caller, repo_type, namespace, name)
    if repo.full_name.lower() != f"{namespace}/{name}".lower():
        raise RepoNotFoundError(f"Repository {repo.typed_id} not found.")
    return repo


# Account ---------------------------------------------------------------------


@hf_view("GET")
def whoami(request: HttpRequest, caller: Caller) -> HttpResponse:
    """2.1: who the token belongs to, with the token's name and role."""
    if caller.token is None:
        raise AuthenticationError(
            "whoami needs a token: send 'Authorization: Bearer <token>'."
        )
    user = caller.user
    memberships = Membership.objects.filter(user=user).select_related("organization")
    orgs = [
        {
            "type": "org",
            "name": m.organization.name,
            "fullname": m.organization.display_name or m.organization.name,
            "roleInOrg": m.role,
        }
        for m in memberships.order_by("organization__name")
    ]
    return JsonResponse(
        {
            "type": "user",
            "id": str(user.pk),
            "name": user.username,
            "fullname": user.display_name or user.username,
            "email": user.email or None,
            "emailVerified": bool(user.email),
            "isPro": False,
            "orgs": orgs,
            "auth": {
                "type": "access_token",
                "accessToken": {
                    "displayName": caller.token.name,
                    "role": caller.token.scope,
                },
            },
        }
    )


# Repos -----------------------------------------------------------------------


@hf_view("POST")
def repo_create_view(request: HttpRequest, caller: Caller) -> HttpResponse:
    """2.2: create a repo (with its first commit); 409 with ``url`` if it exists."""
    body = read_json_body(request)
    repo_type = _repo_type_of(body.get("type"))
    usecases.require_user(caller)
    name = body.get("name")
    if not isinstance(name, str) or not name:
        raise ValidationError("'name' (the repository name) is required.")
    namespace_name = body.get("organization") or caller.user.username
    if not isinstance(namespace_name, str):
        raise ValidationError("'organization' must be a namespace name or null.")
    visibility = body.get("visibility")
    if visibility is not None:
        if visibility not in ("public", "private"):
            raise ValidationError("'visibility' must be 'public' or 'private'.")
        is_private = visibility == "private"
    else:
        # huggingface_hub 0.3x sends "private" instead of "visibility".
        is_private = bool(body.get("private") or False)
    try:
        repo = usecases.repo_create(
            actor=caller,
            namespace_name=namespace_name,
            name=name,
            is_private=is_private,
            repo_type=repo_type,
        )
    except RepoExistsError as exc:
        typed_id = repo_typed_id(repo_type, namespace_name, name)
        url = request.build_absolute_uri(f"/{typed_id}")
        return hf_error(exc.message, 409, extra={"url": url})
    return JsonResponse(
        {"url": repo_web_url(request, repo), "name": repo.full_name, "id": str(repo.pk)}
    )


@hf_view("DELETE")
def repo_delete_view(request: HttpRequest, caller: Caller) -> HttpResponse:
    """2.3: delete a repo and its history (admins only)."""
    body = read_json_body(request)
    repo_type = _repo_type_of(body.get("type"))
    name = body.get("name")
    if not isinstance(name, str) or not name:
        raise ValidationError("'name' (the repository name) is required.")
    namespace_name = body.get("organization")
    if not namespace_name:
        usecases.require_user(caller)
        namespace_name = caller.user.username
    repo = _load_repo_exact(caller, repo_type, str(namespace_name), name)
    usecases.repo_delete(actor=caller, repo=repo)
    return JsonResponse({})


@hf_view("POST")
def repo_move_view(request: HttpRequest, caller: Caller) -> HttpResponse:
    """Rename or transfer a repo: admin of the source, creator in the target."""
    body = read_json_body(request)
    repo_type = _repo_type_of(body.get("type"))
    source_ns, source_name = _split_repo_id(body.get("fromRepo"), "'fromRepo'")
    target_ns, target_name = _split_repo_id(body.get("toRepo"), "'toRepo'")
    repo = _load_repo_exact(caller, repo_type, source_ns, source_name)
    repo = usecases.repo_move(
        actor=caller, repo=repo, namespace_name=target_ns, name=target_name
    )
    return JsonResponse({"url": repo_web_url(request, repo)})


@hf_view("PUT")
def repo_settings(
    request: HttpRequest, caller: Caller, repo_type: str, namespace: str, name: str
) -> HttpResponse:
    """Change visibility (``private`` or ``visibility``) and gating (admins only)."""
    body = read_json_body(request)
    repo = load_repo(caller, repo_type, namespace, name)
    is_private: bool | None = None
    if "visibility" in body:
        if body["visibility"] not in ("public", "private"):
            raise ValidationError("'visibility' must be 'public' or 'private'.")
        is_private = body["visibility"] == "private"
    elif "private" in body:
        if not isinstance(body["private"], bool):
            raise ValidationError("'private' must be true or false.")
        is_private = body["private"]
    gated: str | None = None
    if "gated" in body:
        value = body["gated"]
        if value is False or value in ("off", "false"):
            gated = ModelRepo.Gated.OFF
        elif value in ("auto", "manual"):
            gated = value
        else:
            raise ValidationError("'gated' must be false, 'auto' or 'manual'.")
    repo = usecases.repo_update_settings(
        actor=caller, repo=repo, is_private=is_private, gated=gated
    )
    return JsonResponse(
        {
            "private": repo.is_private,
            "gated": False if repo.gated == ModelRepo.Gated.OFF else repo.gated,
        }
    )


# Cards, Xet, telemetry -------------------------------------------------------


@hf_view("POST")
def validate_yaml(request: HttpRequest, caller: Caller) -> HttpResponse:
    """2.12: check a README's metadata; JSON whatever ``Accept`` says; no auth."""
    try:
        body = read_json_body(request)
        content = body.get("content")
        if not isinstance(content, str):
            raise ValidationError("'content' (the README text) is required.")
        card = card_parse(content, repo_type=_repo_type_of(body.get("repoType")))
    except ValidationError as exc:
        message = exc.message
        valid_ids = exc.details.get("valid_ids")
        if valid_ids:
            message += " Valid license ids: " + ", ".join(valid_ids) + "."
        return JsonResponse({"errors": [{"message": message}]}, status=400)
    warnings = []
    if not card.raw:
        warnings.append(
            {
                "message": "empty or missing yaml metadata in repo card: add a "
                "'---' block with at least a license to README.md."
            }
        )
    return JsonResponse({"errors": [], "warnings": warnings})


@hf_view("GET")
def xet_token(
    request: HttpRequest,
    caller: Caller,
    repo_type: str,
    namespace: str,
    name: str,
    revision: str,
    write: bool,
) -> HttpResponse:
    """2.21: a short-lived Xet access token for the hub's CAS (``/xet``).

    ``xet-write-token/{rev}`` (``?create_pr=1`` for an upload that opens a
    pull request; ``rev`` may be ``None`` then) and ``xet-read-token/{rev}``.
    The answer carries the token in the body and in the headers the client
    reads (``X-Xet-*``).
    """
    repo = load_repo(caller, repo_type, namespace, name)
    # A write token needs an API token: a browser session authorizes
    # downloads only (these views are exempt from CSRF).
    actor = caller if not write or caller.token is not None else Caller.anonymous()
    access_token, expires_at = xet_token_issue(
        actor=actor,
        repo=repo,
        revision=revision,
        write=write,
        create_pr=query_bool(request.GET.get("create_pr")),
    )
    cas_url = xet_cas_url(request)
    response = JsonResponse(
        {"accessToken": access_token, "exp": expires_at, "casUrl": cas_url}
    )
    response["X-Xet-Cas-Url"] = cas_url
    response["X-Xet-Access-Token"] = access_token
    response["X-Xet-Token-Expiration"] = str(expires_at)
    response["Cache-Control"] = "no-store"
    return response


@hf_view("GET")
def agent_harnesses(request: HttpRequest, caller: Caller) -> HttpResponse:
    """2.20: the client's daily telemetry lookup; nothing to announce."""
    return JsonResponse({"standardEnvVars": [], "harnesses": {}})


_REPO = REPO_API

urlpatterns: list[URLPattern] = [
    path("api/whoami-v2", whoami),
    path("api/repos/create", repo_create_view),
    path("api/repos/delete", repo_delete_view),
    path("api/repos/move", repo_move_view),
    path("api/validate-yaml", validate_yaml),
    path("api/agent-harnesses", agent_harnesses),
    path(f"{_REPO}/settings", repo_settings),
    path(f"{_REPO}/xet-write-token/<path:revision>", xet_token, {"write": True}),
    path(f"{_REPO}/xet-read-token/<path:revision>", xet_token, {"write": False}),
]
