"""Model metadata of the HF protocol face: ``model_info`` and ``list_models``
(hf-protocol.md 2.3, 2.4). Each view parses the request, calls the catalog's
selectors through the caller's visibility and renders the protocol's JSON
(api.hf.shapes).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, path

from api.hf.auth import Caller
from api.hf.base import hf_view
from api.hf.evals import hub_eval_result_entries, hub_model_index
from api.hf.routes import REPO_API
from api.hf.shapes import (
    MODEL_INFO_DEFAULT,
    MODEL_LIST_DEFAULT,
    MODEL_PROPERTIES,
    model_index_json,
    model_json,
    next_link,
    query_bool,
    query_list,
    security_status_json,
    sibling_json,
)
from api.hf.views.repos import load_repo
from hub.catalog.repo_lists import (
    commit_tags,
    repo_list_page,
    repo_list_search,
    repo_tags_listed,
    repo_used_storage,
)
from hub.catalog.revisions import repo_heads, revision_resolve
from hub.catalog.trees import tree_entries, tree_paths_by_commit
from hub.core.parsing import int_param
from hub.jobs.selectors import checks_summary, validation_runs_of_commit
from hub.jobs.selectors.evals import eval_runs_of_commit
from hub.jobs.selectors.weights import commit_safetensors_parameters

MODELS_PAGE_SIZE = 100


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
    repo_type: str,
    namespace: str,
    name: str,
    revision: str = "main",
) -> HttpResponse:
    """2.4: a model at a revision: sha, card, tags, files, counters."""
    repo = load_repo(caller, repo_type, namespace, name)
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
        tags=commit_tags(repo=repo, commit=commit),
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
        runs = eval_runs_of_commit(commit=commit, user=caller.user, token=caller.token)
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


def _list_properties(request: HttpRequest) -> list[str]:
    properties = _properties(request, MODEL_LIST_DEFAULT)
    if not query_list(request, "expand"):
        if query_bool(request.GET.get("full")):
            properties += ["sha", "siblings", "cardData"]
        elif query_bool(request.GET.get("cardData")):
            properties.append("cardData")
    return properties


@hf_view("GET")
def model_list(
    request: HttpRequest, caller: Caller, repo_type: str = "model"
) -> HttpResponse:
    """2.5: search the catalog of one repo type (``/api/models``,
    ``/api/datasets``, ``/api/spaces``); 100 per page, ``Link`` to the next.

    Pages by keyset (an opaque cursor of the last row's sort value and id):
    each page costs the same at any depth.
    """
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
        repo_type=repo_type,
    )
    page, cursor = repo_list_page(
        repos,
        sort=request.GET.get("sort", ""),
        cursor=request.GET.get("cursor") or None,
        limit=_int_param(request, "limit", default=None),
        page_size=MODELS_PAGE_SIZE,
    )

    properties = _list_properties(request)
    heads = {}
    is_dataset = repo_type == "dataset"  # a dataset's tags name its files' formats
    if "sha" in properties or "siblings" in properties or is_dataset:
        heads = repo_heads(repo_ids=[repo.pk for repo in page])
    tags = repo_tags_listed(repos=page, heads=heads) if "tags" in properties else {}
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
                tags=tags.get(repo.pk, []),
                commit=head,
                siblings=siblings,
            )
        )
    response = JsonResponse(items, safe=False)
    if cursor is not None:
        params = {k: request.GET.getlist(k) for k in request.GET if k != "cursor"}
        params["cursor"] = [cursor]
        response["Link"] = next_link(request, request.path, params)
    return response


_REPO = REPO_API

urlpatterns: list[URLPattern] = [
    path("api/models", model_list),
    path("api/datasets", model_list, {"repo_type": "dataset"}),
    path("api/spaces", model_list, {"repo_type": "space"}),
    path(_REPO, model_info),
    path(f"{_REPO}/revision/<path:revision>", model_info),
]
