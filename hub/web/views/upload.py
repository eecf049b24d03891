"""Publishing from the browser: a new model, then files added to it.

The browser never sends file bytes to these views. It hashes each file
(SHA-256, in a worker, a slice at a time), asks ``upload_plan_view`` for
signed upload URLs (``hub.storage.uploads.upload_plan``, the same grants
the Git LFS batch API hands the Hugging Face client), PUTs each File
object to its URL, where the LFS endpoint streams it into the blob store,
and finally posts the list of (path, sha256) to ``upload_commit_view``,
which calls ``commit_create`` (or opens a pull request with it). A failed
or cancelled upload makes no commit; stored blobs that no commit
references are removed by the blob garbage collector after its grace
period, and multipart staging folders by the staging collector.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import yaml
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from hub.accounts.actors import Actor
from hub.accounts.selectors import namespace_list_writable
from hub.catalog import usecases
from hub.catalog.models import ModelRepo, Ref, pr_ref_num
from hub.catalog.revisions import ref_list, revision_resolve
from hub.catalog.services.commits import commit_create
from hub.catalog.services.operations import AddFile
from hub.community.commits import UploadObject, commit_submit, upload_plans
from hub.community.usecases import ref_can_push
from hub.core.errors import ApplicationError, PermissionDeniedError, ValidationError
from hub.core.parsing import json_parse
from hub.storage.services import blob_upload_bytes
from hub.storage.uploads import (
    MAX_BATCH_OBJECTS,
    TRANSFER_BASIC,
    TRANSFER_MULTIPART,
    UploadPlan,
)
from hub.web.forms import LIBRARIES, NewModelForm
from hub.web.views.common import (
    current_user,
    json_errors,
    load_repo,
    page_errors,
    repo_context,
)

LOGIN = "login"
MAX_COMMIT_FILES = 10_000


def _readme(data: dict[str, Any], name: str) -> bytes:
    """A first card: the chosen metadata as front matter, then sections for
    the owner to fill in (the usual model card outline; a short one for
    datasets and spaces, whose cards carry no task or library of a model)."""
    if data.get("repo_type", "model") != "model":
        return _plain_readme(data, name)
    meta: dict[str, Any] = {}
    if data.get("license"):
        meta["license"] = data["license"]
        if data["license"] == "other":
            for key in ("license_name", "license_link"):
                if data.get(key):
                    meta[key] = data[key]
    for key in ("pipeline_tag", "library_name"):
        if data.get(key):
            meta[key] = data[key]
    description = (data.get("description") or "").strip() or (
        "Describe the model here: what it does and who it is for."
    )
    details = [
        f"- **{label}:** {data[key]}"
        for key, label in (
            ("pipeline_tag", "Task"),
            ("library_name", "Library"),
            ("license", "License"),
        )
        if data.get(key)
    ]
    text = f"# {name}\n\n{description}\n\n"
    if details:
        text += "## Model details\n\n" + "\n".join(details) + "\n\n"
    text += (
        "## Intended uses and limitations\n\n"
        "_What the model is good for, and where it fails._\n\n"
        "## Training\n\n_The data and the procedure used to train it._\n"
    )
    if meta:
        front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)
        text = f"---\n{front}---\n\n{text}"
    return text.encode("utf-8")


def _plain_readme(data: dict[str, Any], name: str) -> bytes:
    noun = data["repo_type"]
    meta = {
        key: data[key]
        for key in ("license", "license_name", "license_link")
        if data.get(key) and (key == "license" or data["license"] == "other")
    }
    description = (data.get("description") or "").strip() or (
        f"Describe the {noun} here: what it holds and who it is for."
    )
    text = f"# {name}\n\n{description}\n"
    if noun == "dataset":
        text += (
            "\n## Dataset structure\n\n_Its files, configs and splits._\n\n"
            "## Sources and collection\n\n_Where the data comes from._\n"
        )
    if meta:
        front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)
        text = f"---\n{front}---\n\n{text}"
    return text.encode("utf-8")


@login_required(login_url=LOGIN)
@require_http_methods(["GET", "POST"])
def repo_new(request: HttpRequest) -> HttpResponse:
    """``/new``: create a model, dataset or space with a first README
    carrying its metadata."""
    user = current_user(request)
    owners = [ns.name for ns in namespace_list_writable(user=user)]
    form = NewModelForm(request.POST or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # Stored before the transaction: if the commit fails, the blob
            # has no reference and the garbage collector removes it.
            readme = blob_upload_bytes(data=_readme(data, data["name"]))
            with transaction.atomic():
                repo = usecases.repo_create(
                    actor=Actor.of(user),
                    namespace_name=data["owner"],
                    name=data["name"],
                    is_private=data["visibility"] == "private",
                    repo_type=data["repo_type"],
                )
                commit_create(
                    repo=repo,
                    operations=[AddFile("README.md", readme.sha256)],
                    title=f"Add {data['repo_type']} card",
                    author=user,
                )
        except ApplicationError as exc:
            # Name clashes and bad names belong to the name field; anything
            # else (a card the metadata made invalid, a permission) to the form.
            field = "name" if exc.code in ("repo_exists", "invalid") else None
            form.add_error(field, exc.message)
        else:
            return redirect(f"/{repo.typed_id}/upload")
    return render(
        request, "web/upload/new.html", {"form": form, "libraries": LIBRARIES}
    )


@login_required(login_url=LOGIN)
@require_http_methods(["GET"])
@page_errors
def upload_page(request: HttpRequest, namespace: str, name: str) -> HttpResponse:
    """``/{ns}/{name}/upload``: add files by drag-and-drop or picker."""
    repo = load_repo(request, namespace, name)
    context = repo_context(request, repo, "upload")
    if not context["can_write"] and not context["can_contribute"]:
        raise PermissionDeniedError(f"You cannot add files to {repo.full_name}.")
    branches = [r.name for r in ref_list(repo=repo, kinds=(Ref.Kind.BRANCH,)) if r.name]
    branch = request.GET.get("branch", "main")
    # Adding files to an open pull request: its author or a maintainer
    # commits to refs/pr/N itself (no new pull request).
    pr_num = None
    if pr_ref_num(branch) is not None and ref_can_push(
        actor=Actor.of(current_user(request)), repo=repo, ref_name=branch
    ):
        pr_num = pr_ref_num(branch)
        branches = [branch]
    elif branch not in branches:
        branch = "main"
    head = revision_resolve(repo=repo, revision=branch)
    context.update(
        {
            "branches": branches,
            "branch": branch,
            "pr_num": pr_num,
            "head": head,
            "folder": request.GET.get("folder", "").strip("/"),
            "plan_url": f"/{repo.typed_id}/upload/plan",
            "commit_url": f"/{repo.typed_id}/upload/commit",
        }
    )
    return render(request, "web/upload/upload.html", context)


def _json_body(request: HttpRequest) -> dict[str, Any]:
    body = json_parse(request.body) if request.body.strip() else {}
    if not isinstance(body, dict):
        raise ValidationError("The request body must be a JSON object.")
    return body


def _target(body: dict[str, Any]) -> tuple[str, bool]:
    """The branch named in the body and whether a pull request is asked for."""
    branch = body.get("branch") or "main"
    if not isinstance(branch, str):
        raise ValidationError("'branch' must be a branch name.")
    return branch, bool(body.get("pr"))


def _signed(repo: ModelRepo, route: str, extra: dict[str, Any], token: str) -> str:
    kwargs = {"namespace": repo.namespace.name, "name": repo.name, **extra}
    return f"{reverse(route, kwargs=kwargs)}?sig={quote(token, safe='')}"


def _plan_json(repo: ModelRepo, plan: UploadPlan) -> dict[str, Any]:
    answer: dict[str, Any] = {"oid": plan.oid, "size": plan.size}
    if plan.error is not None:
        answer["error"] = plan.error[1]
    elif not plan.transfer:
        answer["transfer"] = "stored"  # already held: nothing to send
    elif plan.transfer == TRANSFER_BASIC:
        answer["transfer"] = TRANSFER_BASIC
        answer["href"] = _signed(repo, "hf-lfs-object", {"oid": plan.oid}, plan.token)
    else:
        answer["transfer"] = TRANSFER_MULTIPART
        answer["chunk_size"] = plan.chunk_size
        answer["parts"] = [
            _signed(repo, "hf-lfs-part", {"oid": plan.oid, "part": n}, token)
            for n, token in enumerate(plan.part_tokens, start=1)
        ]
        answer["href"] = _signed(repo, "hf-lfs-complete", {"oid": plan.oid}, plan.token)
    return answer


@require_POST
@json_errors
def upload_plan_view(request: HttpRequest, namespace: str, name: str) -> HttpResponse:
    """Signed upload URLs for ``{"files": [{"oid", "size"}], "branch", "pr"}``."""
    repo = load_repo(request, namespace, name)
    body = _json_body(request)
    branch, open_pr = _target(body)
    files = body.get("files")
    if not isinstance(files, list) or len(files) > MAX_BATCH_OBJECTS:
        raise ValidationError(
            f"'files' must be a list of at most {MAX_BATCH_OBJECTS} {{oid, size}}."
        )
    objects = []
    for item in files:
        oid = item.get("oid") if isinstance(item, dict) else None
        size = item.get("size") if isinstance(item, dict) else None
        if (
            not isinstance(oid, str)
            or not isinstance(size, int)
            or isinstance(size, bool)
        ):
            raise ValidationError('Each file must be {"oid": sha256, "size": n}.')
        objects.append(UploadObject(oid, size))
    plans = upload_plans(
        actor=Actor.of(current_user(request)),
        repo=repo,
        ref_name=None if open_pr else branch,
        objects=objects,
        transfers=[TRANSFER_BASIC, TRANSFER_MULTIPART],
    )
    answers = [_plan_json(repo, plan) for plan in plans]
    return JsonResponse({"files": answers})


def _operations(files: Any) -> list[AddFile]:
    if not isinstance(files, list) or not files:
        raise ValidationError("Choose at least one file to commit.")
    if len(files) > MAX_COMMIT_FILES:
        raise ValidationError(f"Commit at most {MAX_COMMIT_FILES} files at once.")
    operations = []
    for item in files:
        path = item.get("path") if isinstance(item, dict) else None
        oid = item.get("oid") if isinstance(item, dict) else None
        if not isinstance(path, str) or not isinstance(oid, str):
            raise ValidationError('Each file must be {"path", "oid"}.')
        operations.append(AddFile(path, oid))
    return operations


@require_POST
@json_errors
def upload_commit_view(request: HttpRequest, namespace: str, name: str) -> HttpResponse:
    """Commit uploaded files: ``{"files": [{"path", "oid"}], "title", ...}``.

    To ``branch`` (writers, or a PR's author on ``refs/pr/N``), or as a new
    pull request against it with ``"pr": true``. ``parent`` (optional) is
    the head the page was opened on: if the branch moved since, nothing is
    committed (409) rather than silently committing on top.
    """
    repo = load_repo(request, namespace, name)
    body = _json_body(request)
    branch, open_pr = _target(body)
    operations = _operations(body.get("files"))
    title = body.get("title") or ""
    description = body.get("description") or ""
    parent = body.get("parent") or None
    if not all(isinstance(v, str) for v in (title, description)) or (
        parent is not None and not isinstance(parent, str)
    ):
        raise ValidationError("'title', 'description' and 'parent' must be text.")
    pr, commit = commit_submit(
        actor=Actor.of(current_user(request)),
        repo=repo,
        revision=branch,
        operations=operations,
        title=title,
        description=description,
        create_pr=open_pr,
        expected_parent=parent,
    )
    answer: dict[str, Any] = {"url": f"/{repo.typed_id}/commit/{commit.oid}"}
    if pr is not None:
        answer["url"] = f"/{repo.typed_id}/discussions/{pr.num}"
        if open_pr:
            answer["pull_request"] = pr.num
    answer["commit"] = commit.oid
    return JsonResponse(answer)
