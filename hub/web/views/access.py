"""Gated models on the web: agree to the license and get access, and the
admins' page of access requests.

The gate itself shows on the model page (``web/repo/_gate.html``, data from
the ``gate_panel`` tag); the rules are ``hub.access.services``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from hub.access import usecases as access_usecases
from hub.access.services import license_accept
from hub.accounts.actors import Actor
from hub.catalog import usecases
from hub.core.errors import ApplicationError
from hub.licenses.models import LicenseAcceptance
from hub.web.views.common import current_user, load_repo, page_errors, repo_context

LOGIN = "login"
PAGE_SIZE = 100


@require_POST
@login_required(login_url=LOGIN)
@page_errors
def access_request_view(
    request: HttpRequest, namespace: str, name: str
) -> HttpResponse:
    """ "Agree and access": accept the license terms (the box must be ticked)."""
    repo = load_repo(request, namespace, name)
    if request.POST.get("accept") != "yes":
        messages.error(request, "Tick the box to accept the license terms first.")
        return redirect(f"/{repo.typed_id}#gate")
    fields = {}
    reason = request.POST.get("reason", "").strip()
    if reason:
        fields["reason"] = reason[:500]
    try:
        acceptance = license_accept(
            repo=repo, user=current_user(request), fields=fields
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(f"/{repo.typed_id}#gate")
    if acceptance.status == LicenseAcceptance.Status.ACCEPTED:
        messages.success(request, "You have access: the files are yours to download.")
    else:
        messages.success(
            request,
            "Your request was sent: the maintainers will review it and you will "
            "be notified.",
        )
    return redirect(f"/{repo.typed_id}#gate")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required(login_url=LOGIN)
@page_errors
def access_requests_page(
    request: HttpRequest, namespace: str, name: str
) -> HttpResponse:
    """The admins' list of access requests, with accept / reject buttons."""
    repo = load_repo(request, namespace, name)
    actor = Actor.of(request.user)
    usecases.repo_require_admin(actor=actor, repo=repo)
    if request.method == "POST":
        try:
            acceptance = access_usecases.access_request_decide(
                actor=actor,
                repo=repo,
                status=request.POST.get("status", ""),
                username=request.POST.get("username", "") or None,
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                f"{acceptance.user.username}: "
                f"{acceptance.get_status_display().lower()}.",
            )
        return redirect(f"/{repo.typed_id}/access-requests")
    requests = list(
        access_usecases.access_requests_list(actor=actor, repo=repo)[:PAGE_SIZE]
    )
    header = repo_context(request, repo, "access")
    context = {
        **header,
        "gate": header["abilities"].gate,
        "pending": [r for r in requests if r.status == "pending"],
        "decided": [r for r in requests if r.status != "pending"],
        "decide_url": f"/{repo.typed_id}/access-requests",
    }
    return render(request, "web/access/requests.html", context)
