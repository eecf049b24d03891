"""Moderation pages: report something, the moderators' queue and actions,
and the audit log. Every rule is in ``hub.moderation`` (services and
selectors take the visitor as an ``Actor`` and refuse with a 403 page);
these views parse forms, call one service or selector and render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from hub.accounts.actors import Actor
from hub.core.errors import (
    ApplicationError,
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from hub.moderation.models import Report
from hub.moderation.selectors import (
    moderation_log,
    moderation_powers,
    report_list_for_moderator,
    report_target_resolve,
)
from hub.moderation.services.commands import moderation_act
from hub.moderation.services.reports import report_create, report_decide
from hub.web.views.common import current_user, page_errors

LOGIN = "login"
QUEUE_SIZE = 100
LOG_SIZE = 200


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return target
    return fallback


def _target_url(found: dict[str, Any]) -> str:
    if "repo" in found:
        return f"/{found['repo'].typed_id}"
    if "review" in found:
        review = found["review"]
        return f"/{review.repo.typed_id}#review-{review.pk}"
    if "comment" in found:
        discussion = found["comment"].discussion
        return f"/{discussion.repo.typed_id}/discussions/{discussion.num}"
    return f"/{found['target_user'].username}"


@require_http_methods(["GET", "HEAD", "POST"])
@login_required(login_url=LOGIN)
@page_errors
def report_page(request: HttpRequest) -> HttpResponse:
    """``/moderation/report?kind=…&target=…``: tell the moderators why."""
    source = request.POST if request.method == "POST" else request.GET
    kind, target = source.get("kind", ""), source.get("target", "")
    user = current_user(request)
    try:
        found = report_target_resolve(viewer=user, kind=kind, target=target)
    except ValidationError as exc:
        return render(request, "400.html", {"exception": exc.message}, status=400)
    back = _safe_next(request, _target_url(found))
    error = ""
    if request.method == "POST":
        try:
            report_create(
                actor=Actor.of(user),
                reason=request.POST.get("reason", ""),
                text=request.POST.get("text", "")[:5001],
                **found,
            )
        except ApplicationError as exc:
            error = exc.message
        else:
            messages.success(
                request, "Thank you: the moderators will look at your report."
            )
            return redirect(back)
    context = {
        "kind": kind,
        "target": target,
        "found": found,
        "reasons": Report.Reason.choices,
        "back": back,
        "error": error,
        "chosen": request.POST.get("reason", ""),
        "text": request.POST.get("text", ""),
    }
    return render(
        request, "web/moderation/report.html", context, status=400 if error else 200
    )


def _actor(request: HttpRequest) -> Actor:
    return Actor.of(request.user)


@require_safe
@login_required(login_url=LOGIN)
@page_errors
def queue_page(request: HttpRequest) -> HttpResponse:
    """The reports a moderator reads, with the actions that answer them
    (deciding, and who reported, for staff only)."""
    status = request.GET.get("status", Report.Status.OPEN)
    if status not in Report.Status.values:
        status = Report.Status.OPEN
    actor = _actor(request)
    reports = list(report_list_for_moderator(actor=actor, status=status)[:QUEUE_SIZE])
    context = {
        "reports": reports,
        "powers": moderation_powers(actor=actor),
        "status": status,
        "statuses": Report.Status.choices,
        "nav": "moderation",
    }
    return render(request, "web/moderation/queue.html", context)


@require_POST
@login_required(login_url=LOGIN)
@page_errors
def act_view(request: HttpRequest) -> HttpResponse:
    """Take a moderation action (a form of the queue); a refusal is a 403
    page naming the rule, other errors a message on the page."""
    report_id = request.POST.get("report") or None
    try:
        entry = moderation_act(
            actor=_actor(request),
            action=request.POST.get("action", ""),
            target=request.POST.get("target", ""),
            reason=request.POST.get("reason", ""),
            report_id=int(report_id) if report_id and report_id.isdigit() else None,
        )
    except (PermissionDeniedError, AuthenticationError):
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"Done: {entry.get_action_display().lower()} ({entry.target_label}).",
        )
    return redirect(_safe_next(request, "/moderation"))


@require_POST
@login_required(login_url=LOGIN)
@page_errors
def decide_view(request: HttpRequest, report_id: int) -> HttpResponse:
    """Resolve or dismiss a report without another action (staff only)."""
    try:
        report = report_decide(
            actor=_actor(request),
            report_id=report_id,
            status=request.POST.get("status", ""),
            note=request.POST.get("note", ""),
        )
    except (PermissionDeniedError, AuthenticationError, NotFoundError):
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Report {report.pk} {report.status}.")
    return redirect("/moderation")


@require_safe
@login_required(login_url=LOGIN)
@page_errors
def log_page(request: HttpRequest) -> HttpResponse:
    """The audit log: who did what to which target, why and when."""
    entries = list(moderation_log(actor=_actor(request))[:LOG_SIZE])
    return render(
        request, "web/moderation/log.html", {"entries": entries, "nav": "moderation"}
    )
