"""Discussions and pull requests of a model: list, new, the timeline page
(with a pull request's checks, reviews, commits and changed files) and the
actions posted from it.

Every rule lives in ``hub.community`` (services and selectors); these views
parse forms, call one service and redirect back with a message. Errors of
an action are shown as a message on the page the form came from.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from hub.accounts.actors import Actor
from hub.catalog.content import changes_readable
from hub.catalog.models import ModelRepo
from hub.community import pull_request_selectors, selectors
from hub.community.models import CommentRevision, Discussion, DiscussionEvent
from hub.community.services.comments import comment_create, comment_edit
from hub.community.services.discussions import (
    discussion_change_status,
    discussion_create,
    discussion_rename,
    discussion_set_pinned,
)
from hub.community.services.pull_requests import pull_request_merge, pull_request_review
from hub.community.usecases import participation_require
from hub.core.errors import ApplicationError, PermissionDeniedError, ValidationError
from hub.jobs.selectors.evals import eval_runs_of_commit
from hub.moderation.selectors import (
    discussion_unlock_reserved,
    hidden_comment_reasons,
)
from hub.moderation.services.discussions import (
    discussion_comment_hide,
    discussion_lock_set,
)
from hub.web.history import commit_file_diffs
from hub.web.markdown import markdown_html
from hub.web.presenters.checks import commit_checks
from hub.web.views.common import (
    canonical_redirect,
    current_user,
    load_repo,
    page_errors,
    repo_context,
)

LOGIN = "login"
PAGE_SIZE = 30
STATUS_TABS = ("open", "closed", "all")
TYPE_TABS = ("all", "discussion", "pull_request")
PR_TABS = ("conversation", "commits", "files")


class DiscussionForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(
        required=False,
        max_length=65536,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Markdown. Scripts, styles and event handlers are removed.",
    )


def discussion_path(repo: ModelRepo, num: int) -> str:
    return f"/{repo.typed_id}/discussions/{num}"


def _counts_context(repo: ModelRepo) -> dict[str, Any]:
    return {"community_counts": selectors.discussion_counts(repo=repo)}


@require_safe
@page_errors
def discussion_list(request: HttpRequest, namespace: str, name: str) -> HttpResponse:
    """``/{ns}/{name}/discussions``: open/closed/all, PRs or discussions, counts."""
    repo = load_repo(request, namespace, name)
    moved = canonical_redirect(request, repo, namespace, name)
    if moved is not None:
        return moved
    status = request.GET.get("status", "open")
    status = status if status in STATUS_TABS else "open"
    kind = request.GET.get("type", "all")
    kind = kind if kind in TYPE_TABS else "all"
    rows = selectors.discussion_list(
        repo=repo, type=kind, status=status, pinned_first=True
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("p"))

    def link(**change: str) -> str:
        params = {"status": status, "type": kind, **change}
        return f"?{urlencode(params)}"

    context = {
        **repo_context(request, repo, "community"),
        **_counts_context(repo),
        "page": page,
        "discussions": list(page.object_list),
        "status": status,
        "kind": kind,
        "status_links": [(s, link(status=s)) for s in STATUS_TABS],
        "type_links": [(t, link(type=t)) for t in TYPE_TABS],
        "prev_link": link(p=str(page.previous_page_number()))
        if page.has_previous()
        else "",
        "next_link": link(p=str(page.next_page_number())) if page.has_next() else "",
    }
    return render(request, "web/discussions/list.html", context)


@login_required(login_url=LOGIN)
@require_http_methods(["GET", "POST"])
@page_errors
def discussion_new(request: HttpRequest, namespace: str, name: str) -> HttpResponse:
    """``/{ns}/{name}/discussions/new``: open a discussion."""
    repo = load_repo(request, namespace, name)
    context = repo_context(request, repo, "community")
    if not context["can_contribute"]:
        raise PermissionDeniedError(f"You cannot open discussions on {repo.full_name}.")
    form = DiscussionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            discussion = discussion_create(
                repo=repo,
                author=current_user(request),
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect(discussion_path(repo, discussion.num))
    context.update({**_counts_context(repo), "form": form})
    return render(request, "web/discussions/new.html", context)


def _timeline(
    repo: ModelRepo, discussion: Discussion, revision: str
) -> list[dict[str, Any]]:
    """Events with rendered Markdown, edit history and, for hidden comments,
    the moderator's reason (at most three queries)."""
    events = list(selectors.discussion_events(discussion=discussion))
    hidden = [e.pk for e in events if e.is_hidden]
    reasons = hidden_comment_reasons(event_ids=hidden) if hidden else {}
    history: dict[int, list[CommentRevision]] = defaultdict(list)
    edited = [e.pk for e in events if getattr(e, "last_edited_at", None)]
    if edited:
        for rev in CommentRevision.objects.filter(event_id__in=edited).select_related(
            "edited_by"
        ):
            history[rev.event_id].append(rev)
    items = []
    for event in events:
        html = ""
        if event.content and not event.is_hidden:
            html = markdown_html(
                event.content, repo_base=f"/{repo.typed_id}", revision=revision
            )
        items.append(
            {
                "event": event,
                "html": html,
                "revisions": history.get(event.pk, []),
                "hidden_reason": reasons.get(event.pk, ""),
            }
        )
    return items


def _pull_request_context(
    request: HttpRequest,
    repo: ModelRepo,
    discussion: Discussion,
    timeline: list[dict[str, Any]],
    tab: str,
    *,
    may_push: bool,
) -> dict[str, Any]:
    """A pull request's head, checks, reviews, merge box and its tab's data
    (``?tab=commits|files``)."""
    head = pull_request_selectors.pull_request_head(discussion=discussion)
    events = [item["event"] for item in timeline]
    context: dict[str, Any] = {
        "head": head,
        "checks": commit_checks(commit=head) if head is not None else None,
        "reviews": pull_request_selectors.pull_request_review_summary(
            discussion=discussion, events=events
        ),
        "blockers": pull_request_selectors.pull_request_merge_blockers(
            discussion=discussion, head=head
        )
        if head is not None
        else [],
        "can_push": may_push
        and discussion.status in (Discussion.Status.OPEN, Discussion.Status.DRAFT),
        "commit_count": sum(1 for e in events if e.type == DiscussionEvent.Type.COMMIT),
        # Evaluations of the head, when the evaluation stack ran any.
        "eval_runs": eval_runs_of_commit(commit=head, user=request.user)
        if head
        else [],
    }
    if tab == "commits":
        context["commits"] = pull_request_selectors.pull_request_commits(
            discussion=discussion
        )
    elif tab == "files":
        changes = pull_request_selectors.pull_request_changes(discussion=discussion)
        readable = changes_readable(
            actor=Actor.of(request.user), repo=repo, changes=changes
        )
        context["diffs"] = commit_file_diffs(changes, readable=readable)
        context["weights"] = selectors.weight_facts(changes=changes)
    return context


@require_safe
@page_errors
def discussion_detail(
    request: HttpRequest, namespace: str, name: str, num: int
) -> HttpResponse:
    """``/{ns}/{name}/discussions/{num}``: the timeline; for a pull request
    also its checks, reviews, merge box, commits and changed files
    (``?tab=commits|files``)."""
    repo = load_repo(request, namespace, name)
    moved = canonical_redirect(request, repo, namespace, name)
    if moved is not None:
        return moved
    discussion = selectors.discussion_get(repo=repo, num=num)
    context = {**repo_context(request, repo, "community"), **_counts_context(repo)}
    user = request.user
    is_author = bool(user.is_authenticated and discussion.author_id == user.pk)
    tab = request.GET.get("tab", "conversation")
    tab = tab if tab in PR_TABS and discussion.is_pull_request else "conversation"
    timeline = _timeline(repo, discussion, discussion.target_branch or "main")
    context.update(
        {
            "discussion": discussion,
            "timeline": timeline,
            "is_author": is_author,
            "can_moderate": context["can_write"],
            "unlock_reserved": discussion_unlock_reserved(
                actor=Actor.of(user), discussion=discussion
            ),
            "can_edit": is_author or context["can_write"],
            "can_comment": context["can_contribute"]
            and (not discussion.is_locked or context["can_write"]),
            "pr_tab": tab,
            "review_states": DiscussionEvent.ReviewState.choices,
        }
    )
    if discussion.is_pull_request:
        context.update(
            _pull_request_context(
                request,
                repo,
                discussion,
                timeline,
                tab,
                may_push=is_author or context["can_write"],
            )
        )
    return render(request, "web/discussions/detail.html", context)


# Actions posted from the page -------------------------------------------------


def _flag(request: HttpRequest, key: str) -> bool:
    return request.POST.get(key, "") in ("1", "true", "on", "yes")


def _act(
    request: HttpRequest, discussion: Discussion, action: str, event_id: int | None
) -> str:
    """Run one action; returns the message to show."""
    user = current_user(request)
    post = request.POST
    if action == "comment":
        comment_create(
            discussion=discussion, author=user, content=post.get("content", "")
        )
        return "Comment added."
    if action == "status":
        status = post.get("status", "")
        discussion_change_status(
            discussion=discussion,
            actor=user,
            status=status,
            comment=post.get("comment", ""),
        )
        return "Reopened." if status == "open" else "Closed."
    if action == "title":
        discussion_rename(
            discussion=discussion, actor=user, title=post.get("title", "")
        )
        return "Renamed."
    if action == "pin":
        pinned = _flag(request, "value")
        discussion_set_pinned(discussion=discussion, actor=user, pinned=pinned)
        return "Pinned." if pinned else "Unpinned."
    if action == "lock":
        locked = _flag(request, "value")
        discussion_lock_set(actor=Actor.of(user), discussion=discussion, locked=locked)
        return "Locked: only maintainers can comment." if locked else "Unlocked."
    if action == "review":
        pull_request_review(
            discussion=discussion,
            actor=user,
            state=post.get("state", ""),
            content=post.get("content", ""),
        )
        return "Review submitted."
    if action == "merge":
        merged = pull_request_merge(
            discussion=discussion, actor=user, comment=post.get("comment", "")
        )
        return f"Merged into {discussion.target_branch} ({merged.oid[:7]})."
    if action in ("edit", "hide") and event_id is not None:
        event = selectors.discussion_event_get(
            discussion=discussion, event_id=str(event_id)
        )
        if action == "edit":
            comment_edit(event=event, actor=user, content=post.get("content", ""))
            return "Comment edited."
        discussion_comment_hide(actor=Actor.of(user), comment=event)
        return "Comment hidden."
    raise ValidationError(f"Unknown action {action!r}.")


ACTIONS = ("comment", "status", "title", "pin", "lock", "review", "merge")


@login_required(login_url=LOGIN)
@require_POST
@page_errors
def discussion_action(
    request: HttpRequest,
    namespace: str,
    name: str,
    num: int,
    action: str,
    event_id: int | None = None,
) -> HttpResponse:
    """POST ``.../discussions/{num}/{action}`` (and ``comments/{id}/{edit|hide}``)."""
    repo = load_repo(request, namespace, name)
    discussion = selectors.discussion_get(repo=repo, num=num)
    if event_id is None and action not in ACTIONS:
        raise ValidationError(f"Unknown action {action!r}.")
    participation_require(
        actor=Actor.of(request.user), repo=repo, what="take part in discussions"
    )
    target = discussion_path(repo, num)
    try:
        note = _act(request, discussion, action, event_id)
    except PermissionDeniedError:
        raise  # a 403 page: the form was not offered to this visitor
    except ApplicationError as exc:  # bad input, conflicts, failing checks
        messages.error(request, exc.message)
    else:
        messages.success(request, note)
    return redirect(target)
