"""Moderation pages: report something, the moderators' queue and actions,
and the audit log. Every rule is in ``hub.moderation.services``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from hub.core.errors import ApplicationError, ValidationError
from hub.moderation.models import Report
from hub.moderation.selectors import (
    moderation_log,
    report_get_for_moderator,
    report_list_for_moderator,
    report_target_resolve,
    user_is_moderator,
)
from hub.moderation.services import moderation_act, report_create, report_decide
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
        return f"/{found['repo'].full_name}"
    if "review" in found:
        review = found["review"]
        return f"/{review.repo.full_name}#review-{review.pk}"
    if "comment" in found:
        discussion = found["comment"].discussion
        return f"/{discussion.repo.full_name}/discussions/{discussion.num}"
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
                reporter=user,
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


def _require_moderator(request: HttpRequest) -> None:
    if not user_is_moderator(user=request.user):
        raise PermissionDenied(
            "Only moderators (staff, or admins of an organization) see this page."
        )


@require_safe
@login_required(login_url=LOGIN)
@page_errors
def queue_page(request: HttpRequest) -> HttpResponse:
    """The reports a moderator decides, with the actions that answer them."""
    _require_moderator(request)
    status = request.GET.get("status", Report.Status.OPEN)
    if status not in Report.Status.values:
        status = Report.Status.OPEN
    reports = list(
        report_list_for_moderator(user=request.user, status=status)[:QUEUE_SIZE]
    )
    context = {
        "reports": reports,
        "status": status,
        "statuses": Report.Status.choices,
        "nav": "moderation",
    }
    return render(request, "web/moderation/queue.html", context)


@require_POST
@login_required(login_url=LOGIN)
@page_errors
def act_view(request: HttpRequest) -> HttpResponse:
    """Take a moderation action (a form of the queue)."""
    _require_moderator(request)
    report_id = request.POST.get("report") or None
    try:
        entry = moderation_act(
            actor=current_user(request),
            action=request.POST.get("action", ""),
            target=request.POST.get("target", ""),
            reason=request.POST.get("reason", ""),
            report_id=int(report_id) if report_id and report_id.isdigit() else None,
        )
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
    """Resolve or dismiss a report without another action."""
    _require_moderator(request)
    report = report_get_for_moderator(user=request.user, report_id=report_id)
    try:
        report = report_decide(
            report=report,
            actor=current_user(request),
            status=request.POST.get("status", ""),
            note=request.POST.get("note", ""),
        )
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
    _require_moderator(request)
    entries = list(moderation_log(user=request.user)[:LOG_SIZE])
    return render(
        request, "web/moderation/log.html", {"entries": entries, "nav": "moderation"}
    )
