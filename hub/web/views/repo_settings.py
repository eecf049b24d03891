"""``/{namespace}/{name}/settings``: the repo admins' page — visibility,
gating and access requests, rename or transfer, delete. (Branches and tags,
which writers manage too, have their page: ``repo_refs``.)

Each form posts to ``settings/<action>``; the view parses it, calls the use
case (``hub.catalog.usecases``, ``hub.access.usecases``), which decides, and
answers with a redirect and a message, or the page again with the use
case's message and status (400, 403, 404, 409). The page itself is the
admins': others get what ``repo_require_admin`` says (a private repo they
cannot see is a 404, as everywhere).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from hub.access import usecases as access_usecases
from hub.accounts.actors import Actor
from hub.accounts.selectors import namespace_list_writable
from hub.catalog import usecases
from hub.catalog.errors import RepoNotFoundError
from hub.catalog.models import ModelRepo
from hub.core.errors import ApplicationError, ValidationError
from hub.web.settings_forms import (
    AccessDecisionForm,
    DeleteForm,
    GatingForm,
    MoveForm,
    VisibilityForm,
    form_data,
)
from hub.web.views.common import (
    canonical_redirect,
    load_repo,
    page_errors,
    repo_context,
)

LOGIN = "login"
ACCESS_REQUESTS_SHOWN = 100

# What a handler answers: where to go next and the success message.
Outcome = tuple[str, str]
Handler = Callable[[HttpRequest, Actor, ModelRepo], Outcome]


def _here(repo: ModelRepo, section: str) -> str:
    return f"/{repo.typed_id}/settings#{section}"


def _visibility(request: HttpRequest, actor: Actor, repo: ModelRepo) -> Outcome:
    data = form_data(VisibilityForm(request.POST))
    repo = usecases.repo_update_settings(
        actor=actor, repo=repo, is_private=data["visibility"] == "private"
    )
    state = "private" if repo.is_private else "public"
    return _here(repo, "visibility"), f"{repo.full_name} is now {state}."


def _gating(request: HttpRequest, actor: Actor, repo: ModelRepo) -> Outcome:
    data = form_data(GatingForm(request.POST))
    repo = usecases.repo_update_settings(actor=actor, repo=repo, gated=data["gated"])
    return _here(repo, "gating"), f"Gating: {repo.get_gated_display().lower()}."


def _access(request: HttpRequest, actor: Actor, repo: ModelRepo) -> Outcome:
    data = form_data(AccessDecisionForm(request.POST))
    acceptance = access_usecases.access_request_decide(
        actor=actor, repo=repo, status=data["status"], username=data["username"]
    )
    verdict = acceptance.get_status_display().lower()
    return _here(repo, "access-requests"), f"{acceptance.user.username}: {verdict}."


def _move(request: HttpRequest, actor: Actor, repo: ModelRepo) -> Outcome:
    data = form_data(MoveForm(request.POST))
    old = repo.full_name
    repo = usecases.repo_move(
        actor=actor,
        repo=repo,
        namespace_name=data["namespace"].strip(),
        name=data["name"].strip(),
    )
    if repo.full_name == old:
        return _here(repo, "move"), "The name is unchanged."
    return (
        _here(repo, "move"),
        f"{old} is now {repo.full_name}; its old address redirects here.",
    )


def _delete(request: HttpRequest, actor: Actor, repo: ModelRepo) -> Outcome:
    data = form_data(DeleteForm(request.POST))
    if data["confirm"] != repo.full_name:
        raise ValidationError(
            f"Type {repo.full_name} exactly to confirm: nothing was deleted."
        )
    full_name, owner = repo.full_name, repo.namespace.name
    usecases.repo_delete(actor=actor, repo=repo)
    return f"/{owner}", f"{full_name} was deleted."


# action in the URL → (handler, the page section its errors show in)
ACTIONS: dict[str, tuple[Handler, str]] = {
    "visibility": (_visibility, "visibility"),
    "gating": (_gating, "gating"),
    "access": (_access, "access-requests"),
    "move": (_move, "move"),
    "delete": (_delete, "delete"),
}


def _page_context(request: HttpRequest, repo: ModelRepo) -> dict[str, Any]:
    header = repo_context(request, repo, "settings")
    actor = Actor.of(request.user)
    requests = list(
        access_usecases.access_requests_list(actor=actor, repo=repo)[
            :ACCESS_REQUESTS_SHOWN
        ]
    )
    # Where the form offers to move the repo: the use case decides anyway.
    namespaces = [repo.namespace.name] + [
        ns.name
        for ns in namespace_list_writable(user=request.user)
        if ns.pk != repo.namespace_id
    ]
    return {
        **header,
        "gate": header["abilities"].gate,
        "gating_choices": ModelRepo.Gated.choices,
        "pending": [r for r in requests if r.status == "pending"],
        "decided": [r for r in requests if r.status != "pending"],
        "decide_url": f"/{repo.typed_id}/settings/access",
        "namespaces": namespaces,
    }


def _render(
    request: HttpRequest,
    repo: ModelRepo,
    *,
    section: str = "",
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    context = _page_context(request, repo)
    context.update({"error_section": section, "error": error, "values": request.POST})
    return render(request, "web/repo/settings.html", context, status=status)


@require_safe
@login_required(login_url=LOGIN)
@page_errors
def settings_page(request: HttpRequest, namespace: str, name: str) -> HttpResponse:
    """The settings page (the repo's admins)."""
    repo = load_repo(request, namespace, name)
    moved = canonical_redirect(request, repo, namespace, name)
    if moved is not None:
        return moved
    usecases.repo_require_admin(actor=Actor.of(request.user), repo=repo)
    return _render(request, repo)


@require_POST
@login_required(login_url=LOGIN)
@page_errors
def settings_action(
    request: HttpRequest, namespace: str, name: str, action: str
) -> HttpResponse:
    """One form of the settings page: the use case's answer, as a redirect
    with a message, or the page again with its error and status."""
    handler, section = ACTIONS.get(action, (None, ""))
    if handler is None:
        raise Http404(f"No settings action {action!r}.")
    repo = load_repo(request, namespace, name)
    if repo.full_name.lower() != f"{namespace}/{name}".lower():
        # A write never follows a rename redirect (as in both APIs): the old
        # id may be taken again, and the act must name what it acts on.
        raise RepoNotFoundError(f"Repository {namespace}/{name} not found.")
    actor = Actor.of(request.user)
    usecases.repo_require_admin(actor=actor, repo=repo)
    try:
        location, message = handler(request, actor, repo)
    except ApplicationError as exc:
        return _render(
            request, repo, section=section, error=exc.message, status=exc.http_status
        )
    messages.success(request, message)
    return redirect(location)
