"""Accounts, repos, refs, history and metadata of the HF protocol face.

hf-protocol.md sections 2.1-2.5 and 2.8-2.12, 2.20, 2.21. Each view parses
the request, checks permissions with hub.catalog.permissions, calls one
service or selector and renders the protocol's JSON (api.hf.shapes).
"""

from __future__ import annotations

from itertools import islice
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, path

from api.hf.auth import Caller
from api.hf.base import hf_view
from api.hf.errors import hf_error
from api.hf.shapes import (
    MODEL_INFO_DEFAULT,
    MODEL_LIST_DEFAULT,
    MODEL_PROPERTIES,
    commit_item_json,
    model_index_json,
    model_json,
    next_link,
    query_bool,
    query_list,
    read_json_body,
    ref_json,
    repo_web_url,
    security_status_json,
    sibling_json,
)
from hub.accounts.models import Membership
from hub.catalog import usecases
from hub.catalog.cards import card_parse
from hub.catalog.errors import RepoExistsError, RepoNotFoundError
from hub.catalog.history import commit_history
from hub.catalog.models import ModelRepo, Ref
from hub.catalog.repo_lists import (
    card_data_tags,
    repo_list_search,
    repo_tags,
    repo_used_storage,
)
from hub.catalog.revisions import ref_list, repo_heads, revision_resolve
from hub.catalog.selectors import commit_safetensors_parameters
from hub.catalog.trees import tree_entries, tree_paths_by_commit
from hub.catalog.visibility import repo_get_visible
from hub.core.errors import (
    AuthenticationError,
    ValidationError,
)
from hub.core.parsing import int_param
from hub.jobs.selectors import checks_summary, validation_runs_of_commit
from hub.jobs.selectors.evals import (
    eval_runs_of_commit,
    hub_eval_result_entries,
    hub_model_index,
)

MODELS_PAGE_SIZE = 100
COMMITS_PAGE_SIZE = 100
XET_HINT = (
    "This hub does not serve Xet storage. Set HF_HUB_DISABLE_XET=1 in the "
    "environment before starting Python so that huggingface_hub uploads and "
    "downloads large files through Git LFS."
)


def load_repo(caller: Caller, namespace: str, name: str) -> ModelRepo:
    """The repo if the caller may see it; RepoNotFound (404) otherwise."""
    return repo_get_visible(
        user=caller.user, token=caller.token, namespace=namespace, name=name
    )


def _check_model_type(repo_type: Any) -> None:
    if repo_type not in (None, "", "model"):
        raise ValidationError(
            f"This hub hosts model repositories only, not {repo_type!r} repositories."
        )


def _split_repo_id(repo_id: Any, what: str) -> tuple[str, str]:
    if not isinstance(repo_id, str) or repo_id.count("/") != 1:
        raise ValidationError(f"{what} must be a repo id 'namespace/name'.")
    namespace, name = repo_id.split("/")
    return namespace, name


def _load_repo_exact(caller: Caller, namespace: str, name: str) -> ModelRepo:
    # Destructive calls must not follow a rename redirect: deleting an old id
    # would otherwise delete the repo that now lives under another id.
    repo = load_repo(caller, namespace, name)
    if repo.full_name.lower() != f"{namespace}/{name}".lower():
        raise RepoNotFoundError(f"Repository {namespace}/{name} not found.")
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
    _check_model_type(body.get("type"))
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
        )
    except RepoExistsError as exc:
        url = request.build_absolute_uri(f"/{namespace_name}/{name}")
        return hf_error(exc.message, 409, extra={"url": url})
    return JsonResponse(
        {"url": repo_web_url(request, repo), "name": repo.full_name, "id": str(repo.pk)}
    )


@hf_view("DELETE")
def repo_delete_view(request: HttpRequest, caller: Caller) -> HttpResponse:
    """2.3: delete a repo and its history (admins only)."""
    body = read_json_body(request)
    _check_model_type(body.get("type"))
    name = body.get("name")
    if not isinstance(name, str) or not name:
        raise ValidationError("'name' (the repository name) is required.")
    namespace_name = body.get("organization")
    if not namespace_name:
        usecases.require_user(caller)
        namespace_name = caller.user.username
    repo = _load_repo_exact(caller, str(namespace_name), name)
    usecases.repo_delete(actor=caller, repo=repo)
    return JsonResponse({})


@hf_view("POST")
def repo_move_view(request: HttpRequest, caller: Caller) -> HttpResponse:
    """Rename or transfer a repo: admin of the source, creator in the target."""
    body = read_json_body(request)
    _check_model_type(body.get("type"))
    source_ns, source_name = _split_repo_id(body.get("fromRepo"), "'fromRepo'")
    target_ns, target_name = _split_repo_id(body.get("toRepo"), "'toRepo'")
    repo = _load_repo_exact(caller, source_ns, source_name)
    repo = usecases.repo_move(
        actor=caller, repo=repo, namespace_name=target_ns, name=target_name
    )
    return JsonResponse({"url": repo_web_url(request, repo)})


@hf_view("PUT")
def repo_settings(
    request: HttpRequest, caller: Caller, namespace: str, name: str
) -> HttpResponse:
    """Change visibility (``private`` or ``visibility``) and gating (admins only)."""
    body = read_json_body(request)
    repo = load_repo(caller, namespace, name)
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


# Model metadata --------------------------------------------------------------


def _properties(request: HttpRequest, default: tuple[str, ...]) -> list[str]:
    expand = query_list(request, "expand")
    if not expand:
        return list(default)
    unknown = [p for p in expand if p not in MODEL_PROPERTIES]
    known = [p for p in expand if p in MODEL_PROPERTIES]
    if unknown and not known:
        # Properties of the HF Hub this hub does not compute (spaces,
        # inference, ...) are left out rather than refused.
        return []
    return known


@hf_view("GET")
def model_info(
    request: HttpRequest,
    caller: Caller,
    namespace: str,
    name: str,
    revision: str = "main",
) -> HttpResponse:
    """2.4: a model at a revision: sha, card, tags, files, counters."""
    repo = load_repo(caller, namespace, name)
    commit = revision_resolve(repo=repo, revision=revision)
    properties = _properties(request, MODEL_INFO_DEFAULT)
    siblings = None
    if "siblings" in properties:
        blobs = query_bool(request.GET.get("blobs"))
        siblings = [
            sibling_json(entry, blobs=blobs) for entry in tree_entries(commit=commit)
        ]
    used_storage = repo_used_storage(repo=repo) if "usedStorage" in properties else None
    safetensors = None
    if "safetensors" in properties:
        # Counted from the files' headers; left out when there is nothing
        # real to report.
        parameters = commit_safetensors_parameters(commit=commit)
        if parameters:
            safetensors = {"parameters": parameters, "total": sum(parameters.values())}
    card_data = commit.card_data or {}
    answer = model_json(
        repo,
        properties=properties,
        tags=card_data_tags(card_data=card_data),
        commit=commit,
        card_data=card_data,
        siblings=siblings,
        used_storage=used_storage,
        safetensors=safetensors,
    )
    if query_bool(request.GET.get("securityStatus")):
        answer["securityRepoStatus"] = security_status_json(
            checks_summary(commit=commit), validation_runs_of_commit(commit=commit)
        )
    if "model-index" in properties or "evalResults" in properties:
        # Hub-verified eval results (issue 7) beside the card's claims.
        runs = eval_runs_of_commit(commit=commit)
        base = request.build_absolute_uri("/").rstrip("/")
        if "model-index" in properties:
            index = model_index_json(
                card_data, hub_model_index(repo=repo, runs=runs, base_url=base)
            )
            if index:
                answer["model-index"] = index
        if "evalResults" in properties:
            entries = hub_eval_result_entries(runs=runs, base_url=base)
            if entries:
                answer["evalResults"] = entries
    return JsonResponse(answer)


def _int_param(request: HttpRequest, name: str, *, default: int | None) -> int | None:
    return int_param(request.GET.get(name), name=name, default=default)


@hf_view("GET")
def model_list(request: HttpRequest, caller: Caller) -> HttpResponse:
    """2.5: search the catalog; 100 per page, ``Link`` to the next page."""
    gated_param = request.GET.get("gated")
    repos = repo_list_search(
        user=caller.user,
        token=caller.token,
        search=request.GET.get("search", "").strip(),
        author=request.GET.get("author", "").strip(),
        tags=query_list(request, "filter"),
        pipeline_tag=request.GET.get("pipeline_tag", "").strip(),
        gated=None if gated_param in (None, "") else query_bool(gated_param),
        sort=request.GET.get("sort", ""),
    )
    limit = _int_param(request, "limit", default=None)
    offset = _int_param(request, "cursor", default=0) or 0
    size = MODELS_PAGE_SIZE
    if limit is not None:
        size = max(0, min(size, limit - offset))
    page = list(repos[offset : offset + size + 1]) if size else []
    has_more = len(page) > size
    page = page[:size]

    properties = _properties(request, MODEL_LIST_DEFAULT)
    if not query_list(request, "expand"):
        if query_bool(request.GET.get("full")):
            properties += ["sha", "siblings", "cardData"]
        elif query_bool(request.GET.get("cardData")):
            properties.append("cardData")
    heads = {}
    if "sha" in properties or "siblings" in properties:
        heads = repo_heads(repo_ids=[repo.pk for repo in page])
    paths: dict[int, list[str]] = {}
    if "siblings" in properties:
        paths = tree_paths_by_commit(commit_ids=[c.pk for c in heads.values()])
    items = []
    for repo in page:
        head = heads.get(repo.pk)
        siblings = None
        if "siblings" in properties and head is not None:
            siblings = [{"rfilename": p} for p in paths.get(head.pk, [])]
        items.append(
            model_json(
                repo,
                properties=properties,
                tags=repo_tags(repo=repo),
                commit=head,
                siblings=siblings,
            )
        )
    response = JsonResponse(items, safe=False)
    if has_more:
        params = {k: request.GET.getlist(k) for k in request.GET if k != "cursor"}
        params["cursor"] = [str(offset + size)]
        response["Link"] = next_link(request, "/api/models", params)
    return response


# Refs and history ------------------------------------------------------------


def _pr_number(ref: Ref) -> int:
    tail = ref.name.rsplit("/", 1)[-1]
    return int(tail) if tail.isdigit() else 0


@hf_view("GET")
def repo_refs(
    request: HttpRequest, caller: Caller, namespace: str, name: str
) -> HttpResponse:
    """2.8: branches, tags, converts (none) and, if asked, pull request refs."""
    repo = load_repo(caller, namespace, name)
    refs = list(ref_list(repo=repo))
    answer: dict[str, Any] = {
        "branches": [ref_json(r) for r in refs if r.kind == Ref.Kind.BRANCH],
        "tags": [ref_json(r) for r in refs if r.kind == Ref.Kind.TAG],
        "converts": [],
    }
    if query_bool(request.GET.get("include_prs")):
        prs = sorted(
            (r for r in refs if r.kind == Ref.Kind.PULL_REQUEST), key=_pr_number
        )
        answer["pullRequests"] = [ref_json(r) for r in prs]
    return JsonResponse(answer)


@hf_view("GET")
def repo_commits(
    request: HttpRequest, caller: Caller, namespace: str, name: str, revision: str
) -> HttpResponse:
    """2.9: first-parent history of a revision, newest first, ``Link``-paginated.

    The next page's URL names the next commit by id, so pages stay
    consistent even when the branch moves meanwhile.
    """
    repo = load_repo(caller, namespace, name)
    formatted = "formatted" in query_list(request, "expand")
    commits = list(
        islice(commit_history(repo=repo, revision=revision), COMMITS_PAGE_SIZE + 1)
    )
    items = [
        commit_item_json(c, formatted=formatted) for c in commits[:COMMITS_PAGE_SIZE]
    ]
    response = JsonResponse(items, safe=False)
    if len(commits) > COMMITS_PAGE_SIZE:
        following = commits[COMMITS_PAGE_SIZE]
        params = {k: request.GET.getlist(k) for k in request.GET}
        response["Link"] = next_link(
            request,
            f"/api/models/{repo.full_name}/commits/{following.oid}",
            params,
        )
    return response


@hf_view("POST", "DELETE")
def repo_branch(
    request: HttpRequest, caller: Caller, namespace: str, name: str, branch: str
) -> HttpResponse:
    """2.10: create a branch at ``startingPoint`` (409 if it exists), or delete it."""
    repo = load_repo(caller, namespace, name)
    if request.method == "DELETE":
        usecases.ref_delete(actor=caller, repo=repo, kind=Ref.Kind.BRANCH, name=branch)
        return JsonResponse({})
    body = read_json_body(request)
    starting_point = body.get("startingPoint")
    if starting_point is not None and not isinstance(starting_point, str):
        raise ValidationError("'startingPoint' must be a revision name or commit id.")
    ref = usecases.ref_create(
        actor=caller,
        repo=repo,
        kind=Ref.Kind.BRANCH,
        name=branch,
        revision=starting_point or None,
    )
    return JsonResponse(ref_json(ref))


@hf_view("POST", "DELETE")
def repo_tag(
    request: HttpRequest, caller: Caller, namespace: str, name: str, revision: str
) -> HttpResponse:
    """2.11: POST tags the revision in the path; DELETE removes the tag named there.

    Tags are lightweight: a ``message`` is accepted but not stored.
    """
    repo = load_repo(caller, namespace, name)
    if request.method == "DELETE":
        usecases.ref_delete(actor=caller, repo=repo, kind=Ref.Kind.TAG, name=revision)
        return JsonResponse({})
    body = read_json_body(request)
    tag = body.get("tag")
    if not isinstance(tag, str) or not tag:
        raise ValidationError("'tag' (the new tag's name) is required.")
    ref = usecases.ref_create(
        actor=caller, repo=repo, kind=Ref.Kind.TAG, name=tag, revision=revision
    )
    return JsonResponse(ref_json(ref))


# Cards, Xet, telemetry -------------------------------------------------------


@hf_view("POST")
def validate_yaml(request: HttpRequest, caller: Caller) -> HttpResponse:
    """2.12: check a README's metadata; JSON whatever ``Accept`` says; no auth."""
    try:
        body = read_json_body(request)
        content = body.get("content")
        if not isinstance(content, str):
            raise ValidationError("'content' (the README text) is required.")
        _check_model_type(body.get("repoType"))
        card = card_parse(content)
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


@hf_view("GET", "POST")
def xet_token(
    request: HttpRequest, caller: Caller, namespace: str, name: str, revision: str
) -> HttpResponse:
    """2.21: Xet is not served; point the client at an explanation (see below)."""
    # hf_xet reports only the status and the final URL of a failed token
    # request, never the body or X-Error-Message: a same-origin redirect to a
    # URL that spells the fix makes the user's error message say it.
    response = HttpResponse(status=302)
    response["Location"] = request.build_absolute_uri(
        "/api/xet-not-served/set-HF_HUB_DISABLE_XET=1"
    )
    response["X-Error-Message"] = XET_HINT
    return response


@hf_view("GET", "POST", "HEAD")
def xet_not_served(request: HttpRequest, caller: Caller, hint: str) -> HttpResponse:
    """501 with the fix, for Xet clients (not retried by the client, unlike 5xx)."""
    return hf_error(XET_HINT, 501, head=request.method == "HEAD")


@hf_view("GET")
def agent_harnesses(request: HttpRequest, caller: Caller) -> HttpResponse:
    """2.20: the client's daily telemetry lookup; nothing to announce."""
    return JsonResponse({"standardEnvVars": [], "harnesses": {}})


_REPO = "api/models/<str:namespace>/<str:name>"

urlpatterns: list[URLPattern] = [
    path("api/whoami-v2", whoami),
    path("api/repos/create", repo_create_view),
    path("api/repos/delete", repo_delete_view),
    path("api/repos/move", repo_move_view),
    path("api/validate-yaml", validate_yaml),
    path("api/agent-harnesses", agent_harnesses),
    path("api/xet-not-served/<path:hint>", xet_not_served),
    path("api/models", model_list),
    path(_REPO, model_info),
    path(f"{_REPO}/revision/<path:revision>", model_info),
    path(f"{_REPO}/settings", repo_settings),
    path(f"{_REPO}/refs", repo_refs),
    path(f"{_REPO}/commits/<path:revision>", repo_commits),
    path(f"{_REPO}/branch/<path:branch>", repo_branch),
    path(f"{_REPO}/tag/<path:revision>", repo_tag),
    path(f"{_REPO}/xet-write-token/<path:revision>", xet_token),
    path(f"{_REPO}/xet-read-token/<path:revision>", xet_token),
]
