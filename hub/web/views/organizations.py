"""Organizations: create one, its members and roles, its profile settings.

Who may list, add, change or remove members and change the profile is
``hub.accounts.usecases``' to decide (members list, admins change, never
the last admin away); the views parse, call and render, and a refused
change comes back on the page with the use case's message and status.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from hub.accounts import usecases
from hub.accounts.actors import Actor
from hub.accounts.models import Membership, Organization
from hub.accounts.selectors import namespace_get
from hub.accounts.services import organization_create
from hub.core.errors import ApplicationError, NotFoundError
from hub.web.forms import MemberForm, OrganizationForm, OrganizationProfileForm
from hub.web.settings_forms import form_data
from hub.web.views.common import current_user, page_errors

LOGIN = "login"


@login_required(login_url=LOGIN)
@require_http_methods(["GET", "POST"])
def organization_new(request: HttpRequest) -> HttpResponse:
    """``/organizations/new``: create an organization; its creator is admin."""
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = organization_create(
                name=form.cleaned_data["name"],
                display_name=form.cleaned_data["display_name"],
                creator=current_user(request),
            )
        except ApplicationError as exc:
            form.add_error("name", exc.message)
        else:
            return redirect(f"/{org.name}")
    return render(request, "web/accounts/organization_new.html", {"form": form})


def _organization(name: str) -> Organization:
    namespace = namespace_get(name=name)
    if namespace.organization is None:
        raise NotFoundError(f"No organization is named {name!r}.")
    return namespace.organization


def _members_change(request: HttpRequest, actor: Actor, org: Organization) -> str:
    """Apply the posted change (``action``: set or remove); the message."""
    if request.POST.get("action") == "remove":
        username = request.POST.get("username", "")
        usecases.organization_member_remove(
            actor=actor, organization=org, username=username
        )
        return f"{username} was removed."
    data = form_data(MemberForm(request.POST))
    membership = usecases.organization_member_set(
        actor=actor, organization=org, username=data["username"], role=data["role"]
    )
    return f"{membership.user.username} is now {membership.get_role_display()}."


@login_required(login_url=LOGIN)
@require_http_methods(["GET", "HEAD", "POST"])
@page_errors
def organization_members(request: HttpRequest, name: str) -> HttpResponse:
    """``/organizations/{name}/members``: members see the list, admins add,
    change and remove members."""
    org = _organization(name)
    actor = Actor.of(request.user)
    members = usecases.organization_members(actor=actor, organization=org)
    error, status = "", 200
    if request.method == "POST":
        try:
            message = _members_change(request, actor, org)
        except ApplicationError as exc:
            error, status = exc.message, exc.http_status
        else:
            messages.success(request, message)
            return redirect(f"/organizations/{org.name}/members")
    context = {
        **_org_context(actor, org, "members"),
        "members": list(members),
        "roles": Membership.Role.choices,
        "error": error,
        "values": request.POST,
    }
    return render(request, "web/accounts/members.html", context, status=status)


def _is_admin(actor: Actor, org: Organization) -> bool:
    return usecases.organization_viewer_role(actor=actor, organization=org) == "admin"


def _org_context(actor: Actor, org: Organization, tab: str) -> dict[str, Any]:
    return {"org": org, "org_tab": tab, "is_admin": _is_admin(actor, org)}


@login_required(login_url=LOGIN)
@require_http_methods(["GET", "HEAD", "POST"])
@page_errors
def organization_settings(request: HttpRequest, name: str) -> HttpResponse:
    """``/organizations/{name}/settings``: display name and description (admins)."""
    org = _organization(name)
    actor = Actor.of(request.user)
    usecases.organization_require_admin(
        actor=actor, organization=org, what="change its profile"
    )
    form = OrganizationProfileForm(
        request.POST or None,
        initial={"display_name": org.display_name, "description": org.description},
    )
    status = 200
    if request.method == "POST" and not form.is_valid():
        status = 400
    elif request.method == "POST":
        try:
            usecases.organization_update_profile(
                actor=actor,
                organization=org,
                display_name=form.cleaned_data["display_name"],
                description=form.cleaned_data["description"],
            )
        except ApplicationError as exc:
            org.refresh_from_db()
            form.add_error(None, exc.message)
            status = exc.http_status
        else:
            messages.success(request, "The profile was saved.")
            return redirect(f"/organizations/{org.name}/settings")
    context = {**_org_context(actor, org, "settings"), "form": form}
    return render(
        request, "web/accounts/organization_settings.html", context, status=status
    )
