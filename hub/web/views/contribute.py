"""Changes proposed from the browser: edit a text file, delete files.

Maintainers may commit directly or open a pull request; anyone else signed
in opens a pull request; a pull request's author (or a maintainer) adds
commits to it by working on ``refs/pr/N``. The rule is
``hub.community.commits.commit_submit``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from hub.accounts.actors import Actor
from hub.catalog.content import content_refusal
from hub.catalog.errors import EntryNotFoundError, RevisionNotFoundError
from hub.catalog.history import entry_text
from hub.catalog.models import Commit, ModelRepo, Ref, TreeEntry, pr_ref_num
from hub.catalog.revisions import ref_get, revision_split
from hub.catalog.services.operations import AddFile, DeleteFile
from hub.catalog.trees import file_get, tree_entries
from hub.community.commits import commit_submit
from hub.community.usecases import ref_can_push
from hub.core.errors import (
    ApplicationError,
    NotFoundError,
    PermissionDeniedError,
)
from hub.storage.services import blob_upload_bytes
from hub.web.views.common import (
    current_user,
    load_repo,
    page_errors,
    repo_context,
    revision_url,
)
from hub.web.views.discussions import discussion_path

LOGIN = "login"
# Text files up to this size can be edited in the browser.
MAX_EDIT_BYTES = 512 * 1024
MAX_DELETE_LISTING = 1000


class ChangeForm(forms.Form):
    title = forms.CharField(max_length=200, label="Commit message")
    description = forms.CharField(
        required=False,
        max_length=65536,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Extended description",
    )
    target = forms.ChoiceField(
        choices=[("pr", "Open a pull request"), ("commit", "Commit directly")],
        initial="pr",
        widget=forms.RadioSelect,
        required=False,
    )
    parent = forms.CharField(required=False, widget=forms.HiddenInput)


class EditForm(ChangeForm):
    content = forms.CharField(
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false"}),
        label="File content",
    )


def _where(
    request: HttpRequest, repo: ModelRepo, revision: str
) -> tuple[Commit, dict[str, Any]]:
    """The head to change and who may do what there."""
    user = current_user(request)
    context = repo_context(request, repo, "files")
    is_pr = pr_ref_num(revision) is not None
    try:
        ref: Ref | None = ref_get(repo=repo, name=revision)
    except RevisionNotFoundError:
        ref = None
    if ref is None or ref.kind == Ref.Kind.TAG:
        raise NotFoundError(
            f"{revision!r} is not a branch or pull request of {repo.full_name}: "
            "changes go to a branch."
        )
    can_push = ref_can_push(actor=Actor.of(user), repo=repo, ref_name=revision)
    if is_pr and not can_push:
        raise PermissionDeniedError(
            "Only the author of the pull request or a maintainer can add to "
            f"{revision}."
        )
    if not can_push and not context["can_contribute"]:
        raise PermissionDeniedError(f"You cannot propose changes to {repo.full_name}.")
    head = ref.commit
    context.update(
        {
            "revision": revision,
            "head": head,
            "is_pr_ref": is_pr,
            # Direct commits are offered to those who may push there; on a
            # PR ref every change is a commit on that PR.
            "can_commit": can_push,
            "must_open_pr": not can_push,
        }
    )
    return head, context


def _submit(
    request: HttpRequest,
    repo: ModelRepo,
    revision: str,
    form: ChangeForm,
    operations: list[Any],
    context: dict[str, Any],
) -> HttpResponse | None:
    data = form.cleaned_data
    open_pr = context["must_open_pr"] or (
        not context["is_pr_ref"] and data.get("target") != "commit"
    )
    try:
        pr, commit = commit_submit(
            actor=Actor.of(current_user(request)),
            repo=repo,
            revision=revision,
            operations=operations,
            title=data["title"],
            description=data["description"],
            create_pr=open_pr,
            expected_parent=data.get("parent") or None,
        )
    except PermissionDeniedError:
        raise
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        return None
    if pr is not None:
        messages.success(
            request,
            f"Pull request #{pr.num} opened."
            if open_pr
            else f"Committed to pull request #{pr.num}.",
        )
        return redirect(discussion_path(repo, pr.num))
    messages.success(request, f"Committed {commit.oid[:7]} to {revision}.")
    return redirect(f"/{repo.typed_id}/commit/{commit.oid}")


def _editable_text(
    request: HttpRequest, repo: ModelRepo, revision: str, path: str, entry: TreeEntry
) -> str | HttpResponse:
    """The file's text, or where to send a visitor who may not edit it here."""
    # Showing the text is downloading it: past the gate, and never the
    # bytes of a quarantined file.
    if content_refusal(actor=Actor.of(current_user(request)), repo=repo, entry=entry):
        messages.error(
            request, f"Get access to {repo.full_name} to see and edit its files."
        )
        return redirect(f"/{repo.typed_id}")
    text = None
    if not entry.blob.is_quarantined:
        text = entry_text(entry=entry, limit=MAX_EDIT_BYTES)
    if text is None:
        messages.error(
            request,
            f"{path} is not a small text file: upload a new version instead.",
        )
        return redirect(revision_url(repo, "blob", revision, path))
    return text


def _edit_submit(
    request: HttpRequest,
    repo: ModelRepo,
    revision: str,
    form: EditForm,
    *,
    path: str,
    original: str | None,
    context: dict[str, Any],
) -> HttpResponse | None:
    """Commit (or propose) a valid edit; None with the form's errors set."""
    new_path = (request.POST.get("path") or path).strip().strip("/")
    if not new_path:
        form.add_error(None, "Name the file.")
        return None
    content = form.cleaned_data["content"].replace("\r\n", "\n")
    if original is not None and new_path == path and content == original:
        form.add_error("content", "Nothing changed.")
        return None
    blob = blob_upload_bytes(
        data=content.encode("utf-8"), claimed_by=current_user(request).pk
    )
    ops: list[Any] = [AddFile(new_path, blob.sha256)]
    if original is not None and new_path != path:
        ops.append(DeleteFile(path))
    return _submit(request, repo, revision, form, ops, context)


@login_required(login_url=LOGIN)
@require_http_methods(["GET", "POST"])
@page_errors
def edit_file(
    request: HttpRequest, namespace: str, name: str, rest: str
) -> HttpResponse:
    """``/{ns}/{name}/edit/{revision}/{path}``: edit a text file (or create one
    with ``?new=1``) and commit it or propose it as a pull request."""
    repo = load_repo(request, namespace, name)
    revision, path = revision_split(repo=repo, rest=rest)
    path = path.strip("/")
    head, context = _where(request, repo, revision)
    try:
        entry = file_get(commit=head, path=path) if path else None
    except EntryNotFoundError:
        entry = None
    original: str | None = None  # None: a new file
    if entry is None:
        if request.GET.get("new") != "1" and request.method == "GET":
            raise EntryNotFoundError(f"{path!r} does not exist at {revision}.")
    else:
        text = _editable_text(request, repo, revision, path, entry)
        if isinstance(text, HttpResponse):
            return text
        original = text
    creating = original is None
    initial = {
        "title": f"Create {path}" if creating else f"Update {path}",
        "content": original or "",
        "parent": head.oid,
        "target": "pr" if context["must_open_pr"] else "commit",
    }
    form = EditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        answer = _edit_submit(
            request, repo, revision, form, path=path, original=original, context=context
        )
        if answer is not None:
            return answer
    context.update({"form": form, "path": path, "creating": creating})
    return render(request, "web/discussions/edit_file.html", context)


@login_required(login_url=LOGIN)
@require_http_methods(["GET", "POST"])
@page_errors
def delete_files(
    request: HttpRequest, namespace: str, name: str, rest: str
) -> HttpResponse:
    """``/{ns}/{name}/delete/{revision}``: choose files to delete, then commit
    or propose the deletion as a pull request."""
    repo = load_repo(request, namespace, name)
    revision, _ = revision_split(repo=repo, rest=rest)
    head, context = _where(request, repo, revision)
    paths = list(
        tree_entries(commit=head).values_list("path", flat=True)[:MAX_DELETE_LISTING]
    )
    listed = set(paths)
    chosen = [p for p in request.POST.getlist("paths") if p in listed]
    initial = {
        "title": "Delete files",
        "parent": head.oid,
        "target": "pr" if context["must_open_pr"] else "commit",
    }
    form = ChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if not chosen:
            form.add_error(None, "Choose at least one file to delete.")
        else:
            ops: list[Any] = [DeleteFile(p) for p in chosen]
            answer = _submit(request, repo, revision, form, ops, context)
            if answer is not None:
                return answer
    context.update(
        {
            "form": form,
            "paths": paths,
            "chosen": set(chosen or request.GET.getlist("path")),
            "truncated": len(paths) >= MAX_DELETE_LISTING,
        }
    )
    return render(request, "web/discussions/delete_files.html", context)
