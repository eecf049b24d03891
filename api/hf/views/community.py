"""Discussions and pull requests in the HF protocol (hf-protocol.md 2.17).

Any authenticated reader with a write-scoped token may open discussions and
pull requests, comment and like; renaming, closing and editing are for the
author or a maintainer, merging for maintainers only (the services enforce
those rules). Optional objects such as ``author`` are left out, never null.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import path

from api.hf.auth import Caller
from api.hf.base import hf_view
from api.hf.dates import hf_date
from api.hf.routes import REPO_API
from api.hf.shapes import repo_ref_json
from api.hf.views.repos import load_repo
from hub.catalog import usecases
from hub.catalog.models import ModelRepo
from hub.community import pull_request_selectors, selectors
from hub.community.models import Discussion, DiscussionEvent
from hub.community.services import comments
from hub.community.services.discussions import (
    discussion_change_status,
    discussion_create,
    discussion_rename,
)
from hub.community.services.pull_requests import pull_request_merge
from hub.community.usecases import participation_require
from hub.core.errors import ValidationError
from hub.core.parsing import int_param, json_parse
from hub.moderation.services.discussions import discussion_comment_hide

# hf-protocol.md 2.17: the client pages with ?p= and stops on count.
DISCUSSIONS_PAGE_SIZE = 50


# Parsing and checks ---------------------------------------------------------


def _body(request: HttpRequest) -> dict[str, Any]:
    """The JSON object sent, or {} for an empty body (merge may send none)."""
    if not request.body.strip():
        return {}
    data = json_parse(request.body)
    if not isinstance(data, dict):
        raise ValidationError("The request body must be a JSON object.")
    return data


def _text(data: dict[str, Any], key: str, *, required: bool = True) -> str:
    value = data.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise ValidationError(f"'{key}' must be a string.")
    return value


def _flag(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true", "yes")


def _require_participant(caller: Caller, repo: ModelRepo, what: str) -> None:
    participation_require(actor=caller, repo=repo, what=what)


def _discussion(
    caller: Caller, repo_type: str, namespace: str, name: str, num: int
) -> tuple[ModelRepo, Discussion]:
    repo = load_repo(caller, repo_type, namespace, name)
    return repo, selectors.discussion_get(repo=repo, num=num)


# Rendering ------------------------------------------------------------------


def _user_json(user: Any) -> dict[str, Any]:
    return {
        "name": user.username,
        "fullname": user.display_name or user.username,
        "type": "user",
    }


def _with_author(data: dict[str, Any], user: Any) -> dict[str, Any]:
    # The client does .get("author", {}).get("name"): null would crash it.
    if user is not None:
        data["author"] = _user_json(user)
    return data


def _event_json(event: DiscussionEvent) -> dict[str, Any]:
    data: dict[str, Any]
    if event.type == DiscussionEvent.Type.COMMENT:
        # Set by selectors.discussion_events (the only source of events here).
        edited_at = event.last_edited_at  # type: ignore[attr-defined]
        data = {
            "edited": edited_at is not None,
            "hidden": event.is_hidden,
            "latest": {
                "raw": selectors.event_visible_content(event=event),
                "updatedAt": hf_date(edited_at or event.created_at),
            },
        }
        if event.is_hidden and event.hidden_by is not None:
            data["hiddenBy"] = event.hidden_by.username
    elif event.type == DiscussionEvent.Type.REVIEW:
        # Not an HF event type: the client keeps it as a plain
        # DiscussionEvent (``_event`` holds this JSON), so it never breaks.
        data = {**event.data, "comment": event.content}
    else:
        data = dict(event.data)
    return _with_author(
        {
            "id": str(event.pk),
            "type": event.type,
            "createdAt": hf_date(event.created_at),
            "data": data,
        },
        event.author,
    )


def _event_response(key: str, event: DiscussionEvent) -> JsonResponse:
    event = selectors.discussion_event_get(
        discussion=event.discussion, event_id=str(event.pk)
    )
    return JsonResponse({key: _event_json(event)})


def _discussion_json(discussion: Discussion) -> dict[str, Any]:
    return _with_author(
        {
            "num": discussion.num,
            "title": discussion.title,
            "status": discussion.status,
            "createdAt": hf_date(discussion.created_at),
            "isPullRequest": discussion.is_pull_request,
            "repo": repo_ref_json(discussion.repo),
        },
        discussion.author,
    )


# Discussions ----------------------------------------------------------------


@hf_view("GET", "POST")
def discussions(
    request: HttpRequest, caller: Caller, repo_type: str, namespace: str, name: str
) -> JsonResponse:
    """GET: one page of discussions (``p``, filters). POST: open one, ``{"num"}``."""
    repo = load_repo(caller, repo_type, namespace, name)
    if request.method == "POST":
        _require_participant(caller, repo, "open discussions and pull requests")
        data = _body(request)
        discussion = discussion_create(
            repo=repo,
            author=caller.user,
            title=_text(data, "title"),
            description=_text(data, "description", required=False),
            is_pull_request=data.get("pullRequest") is True,
        )
        return JsonResponse({"num": discussion.num})
    page = int_param(request.GET.get("p"), name="p", default=0) or 0
    qs = selectors.discussion_list(
        repo=repo,
        type=request.GET.get("type"),
        status=request.GET.get("status"),
        author=request.GET.get("author"),
    )
    start = page * DISCUSSIONS_PAGE_SIZE
    items = list(qs[start : start + DISCUSSIONS_PAGE_SIZE])
    return JsonResponse(
        {
            "discussions": [_discussion_json(d) for d in items],
            "count": qs.count(),
            "start": start,
        }
    )


@hf_view("GET")
def discussion_details(
    request: HttpRequest,
    caller: Caller,
    repo_type: str,
    namespace: str,
    name: str,
    num: int,
) -> JsonResponse:
    """A discussion with its events; for PRs the base, conflicts and diff."""
    _, discussion = _discussion(caller, repo_type, namespace, name, num)
    body = _discussion_json(discussion)
    events = selectors.discussion_events(discussion=discussion)
    body["events"] = [_event_json(event) for event in events]
    if discussion.is_pull_request:
        changes: dict[str, str] = {"base": f"refs/heads/{discussion.target_branch}"}
        if discussion.merge_commit is not None:
            changes["mergeCommitId"] = discussion.merge_commit.oid
        body["changes"] = changes
        body["filesWithConflicts"] = pull_request_selectors.pull_request_conflicts(
            discussion=discussion
        )
        if _flag(request.GET.get("diff")):
            body["diff"] = pull_request_selectors.pull_request_diff(
                discussion=discussion, user=caller.user, token=caller.token
            )
    return JsonResponse(body)


@hf_view("POST")
def discussion_comment(
    request: HttpRequest,
    caller: Caller,
    repo_type: str,
    namespace: str,
    name: str,
    num: int,
) -> JsonResponse:
    """Add a comment: ``{"comment"}`` → ``{"newMessage": event}``."""
    repo, discussion = _discussion(caller, repo_type, namespace, name, num)
    _require_participant(caller, repo, "comment")
    event = comments.comment_create(
        discussion=discussion,
        author=caller.user,
        content=_text(_body(request), "comment"),
    )
    return _event_response("newMessage", event)


@hf_view("POST")
def comment_edit(
    request: HttpRequest,
    caller: Caller,
    repo_type: str,
    namespace: str,
    name: str,
    num: int,
    comment_id: str,
) -> JsonResponse:
    """Edit a comment: ``{"content"}`` → ``{"updatedComment": event}``."""
    repo, discussion = _discussion(caller, repo_type, namespace, name, num)
    _require_participant(caller, repo, "edit comments")
    event = selectors.discussion_event_get(discussion=discussion, event_id=comment_id)
    event = comments.comment_edit(
        event=event, actor=caller.user, content=_text(_body(request), "content")
    )
    return _event_response("updatedComment", event)


@hf_view("POST")
def comment_hide(
    request: HttpRequest,
    caller: Caller,
    repo_type: str,
    namespace: str,
    name: str,
    num: int,
    comment_id: str,
) -> JsonResponse:
    """Hide a comment for good → ``{"updatedComment": event}`` (who may:
    ``hub.moderation.services.discussions.discussion_comment_hide``)."""
    _, discussion = _discussion(caller, repo_type, namespace, name, num)
    event = selectors.discussion_event_get(discussion=discussion, event_id=comment_id)
    event = discussion_comment_hide(actor=caller, comment=event)
    return _event_response("updatedComment", event)


@hf_view("POST")
def discussion_title(
    request: HttpRequest,
    caller: Caller,
    repo_type: str,
    namespace: str,
    name: str,
    num: int,
) -> JsonResponse:
    """Rename: ``{"title"}`` → ``{"newTitle": event}``."""
    repo, discussion = _discussion(caller, repo_type, namespace, name, num)
    _require_participant(caller, repo, "rename discussions")
    event = discussion_rename(
        discussion=discussion, actor=caller.user, title=_text(_body(request), "title")
    )
    return _event_response("newTitle", event)


@hf_view("POST")
def discussion_status(
    request: HttpRequest,
    caller: Caller,
    repo_type: str,
    namespace: str,
    name: str,
    num: int,
) -> JsonResponse:
    """Close or reopen: ``{"status", "comment"?}`` → ``{"newStatus": event}``."""
    repo, discussion = _discussion(caller, repo_type, namespace, name, num)
    _require_participant(caller, repo, "close or reopen discussions")
    data = _body(request)
    event = discussion_change_status(
        discussion=discussion,
        actor=caller.user,
        status=_text(data, "status"),
        comment=_text(data, "comment", required=False),
    )
    return _event_response("newStatus", event)


@hf_view("POST")
def discussion_merge(
    request: HttpRequest,
    caller: Caller,
    repo_type: str,
    namespace: str,
    name: str,
    num: int,
) -> JsonResponse:
    """Merge a pull request (maintainers); a conflict is a 409 naming the paths."""
    repo, discussion = _discussion(caller, repo_type, namespace, name, num)
    usecases.repo_require_write(actor=caller, repo=repo)
    commit = pull_request_merge(
        discussion=discussion,
        actor=caller.user,
        comment=_text(_body(request), "comment", required=False),
    )
    return JsonResponse(
        {"status": Discussion.Status.MERGED, "mergeCommitId": commit.oid}
    )


_REPO = REPO_API
_ONE = f"{_REPO}/discussions/<int:num>"

urlpatterns = [
    path(f"{_REPO}/discussions", discussions),
    path(_ONE, discussion_details),
    path(f"{_ONE}/comment", discussion_comment),
    path(f"{_ONE}/comment/<str:comment_id>/edit", comment_edit),
    path(f"{_ONE}/comment/<str:comment_id>/hide", comment_hide),
    path(f"{_ONE}/title", discussion_title),
    path(f"{_ONE}/status", discussion_status),
    path(f"{_ONE}/merge", discussion_merge),
]
