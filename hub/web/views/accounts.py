"""Accounts: sign up, profiles and organizations, members, API tokens."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from hub.accounts.models import Namespace, Organization
from hub.accounts.selectors import (
    membership_list,
    namespace_get,
    organization_role,
    token_list,
    user_get_by_username,
)
from hub.accounts.services import (
    membership_remove,
    membership_set,
    organization_create,
    token_create,
    token_revoke,
    user_create,
)
from hub.catalog.visibility import repo_list_visible
from hub.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from hub.web.forms import (
    MemberForm,
    OrganizationForm,
    SignInForm,
    SignupForm,
    TokenForm,
)
from hub.web.views.common import current_user, page_errors

LOGIN = "login"
AUTH_BACKEND = "django.contrib.auth.backends.ModelBackend"
PROFILE_MODELS = 60


class SignInView(auth_views.LoginView):
    """``/login``: sign in; ``user_sign_in`` backs off after failures, and the
    page then answers 429 with Retry-After and says how long to wait."""

    template_name = "web/accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True
    next_page = "home"

    def form_invalid(self, form: SignInForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_invalid(form)
        if form.retry_after is not None:
            response.status_code = 429
            response["Retry-After"] = str(form.retry_after)
        return response


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """``/signup``: create an account and sign in."""
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = user_create(
                username=data["username"],
                email=data.get("email") or "",
                password=data["password1"],
            )
        except ApplicationError as exc:
            form.add_error("username", exc.message)
        else:
            login(request, user, backend=AUTH_BACKEND)
            messages.success(request, f"Welcome, {user.username}!")
            return redirect("home")
    return render(request, "web/accounts/signup.html", {"form": form})


@require_safe
@page_errors
def namespace_page(request: HttpRequest, namespace: str) -> HttpResponse:
    """``/{namespace}``: a user's profile or an organization's page."""
    ns = namespace_get(name=namespace)
    if ns.name != namespace:
        return redirect(f"/{ns.name}")
    models = list(
        repo_list_visible(user=request.user)
        .filter(namespace=ns)
        .order_by(F("last_commit_at").desc(nulls_last=True), "-pk")[:PROFILE_MODELS]
    )
    context = {"ns": ns, "models": models}
    if ns.kind == Namespace.Kind.ORGANIZATION and ns.organization is not None:
        org = ns.organization
        context.update(
            {
                "org": org,
                "members": list(membership_list(organization=org)),
                "is_admin": organization_role(organization=org, user=request.user)
                == "admin"
                or request.user.is_superuser,
            }
        )
        return render(request, "web/accounts/organization.html", context)
    profile_user = ns.user
    context.update(
        {
            "profile_user": profile_user,
            "organizations": list(
                Organization.objects.filter(memberships__user=profile_user).order_by(
                    "name"
                )
            ),
        }
    )
    return render(request, "web/accounts/profile.html", context)


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


def _admin_org(request: HttpRequest, name: str) -> Organization:
    ns = namespace_get(name=name)
    if ns.organization is None:
        raise NotFoundError(f"No organization is named {name!r}.")
    org = ns.organization
    role = organization_role(organization=org, user=request.user)
    if role != "admin" and not request.user.is_superuser:
        raise PermissionDeniedError("Only the organization's admins manage members.")
    return org


@login_required(login_url=LOGIN)
@require_http_methods(["GET", "POST"])
@page_errors
def organization_members(request: HttpRequest, name: str) -> HttpResponse:
    """``/organizations/{name}/members``: add, change and remove members."""
    org = _admin_org(request, name)
    form = MemberForm()
    if request.method == "POST":
        action = request.POST.get("action", "set")
        try:
            if action == "remove":
                member = user_get_by_username(username=request.POST.get("username", ""))
                membership_remove(
                    organization=org, user=member, by=current_user(request)
                )
                messages.success(request, f"{member.username} was removed.")
                return redirect(f"/organizations/{org.name}/members")
            form = MemberForm(request.POST)
            if form.is_valid():
                member = user_get_by_username(username=form.cleaned_data["username"])
                membership_set(
                    organization=org,
                    user=member,
                    role=form.cleaned_data["role"],
                    by=current_user(request),
                )
                messages.success(
                    request, f"{member.username} is now {form.cleaned_data['role']}."
                )
                return redirect(f"/organizations/{org.name}/members")
        except ApplicationError as exc:
            messages.error(request, exc.message)
    context = {
        "org": org,
        "members": list(membership_list(organization=org)),
        "form": form,
        "roles": MemberForm.base_fields["role"].choices,  # type: ignore[attr-defined]
    }
    return render(request, "web/accounts/members.html", context)


@login_required(login_url=LOGIN)
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """``/settings/tokens``: create (secret shown once), list and revoke tokens.

    The new secret is rendered in the answer to the POST itself, never put
    in a message or the session, so it exists only on this one page.
    """
    form = TokenForm(request.POST or None)
    new_secret = ""
    if request.method == "POST" and form.is_valid():
        days = form.cleaned_data.get("expires_in")
        expires_at = timezone.now() + timedelta(days=int(days)) if days else None
        try:
            token, new_secret = token_create(
                user=current_user(request),
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                expires_at=expires_at,
                by=current_user(request),
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            form = TokenForm()
    context = {
        "form": form,
        "new_secret": new_secret,
        "tokens": list(token_list(user=current_user(request))),
    }
    response = render(request, "web/settings/tokens.html", context)
    if new_secret:
        response["Cache-Control"] = "no-store"
    return response


@login_required(login_url=LOGIN)
@require_POST
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the visitor's own tokens (others' are 404)."""
    token = token_list(user=current_user(request)).filter(pk=pk).first()
    if token is None:
        raise Http404("No such token.")
    token_revoke(token=token, by=current_user(request))
    messages.success(request, f"The token “{token.name}” was revoked.")
    return redirect("tokens")
