"""Accounts: sign up, profiles and organization pages, API tokens."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from hub.accounts.actors import Actor
from hub.accounts.models import Namespace, Organization
from hub.accounts.selectors import membership_list, namespace_get, token_list
from hub.accounts.services import token_create, token_revoke, user_create
from hub.accounts.two_factor import signin_pending_start, two_factor_enabled
from hub.accounts.usecases import organization_viewer_role
from hub.accounts.verification import email_verification_send
from hub.catalog.quotas import namespace_usage_can_view
from hub.catalog.visibility import repo_list_visible
from hub.core.errors import ApplicationError
from hub.web.forms import SignInForm, SignupForm, TokenForm
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

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if settings.HUB_OIDC_ENABLED:
            context["oidc_provider_name"] = settings.HUB_OIDC_PROVIDER_NAME
            context["sso_failed"] = self.request.GET.get("sso") == "failed"
        return context

    def form_valid(self, form: SignInForm) -> HttpResponse:  # type: ignore[override]
        """A user with two-factor on is not signed in yet: the code step
        (``/login/code``) does it."""
        user = form.get_user()
        if not two_factor_enabled(user=user):
            return super().form_valid(form)
        backend = str(getattr(user, "backend", AUTH_BACKEND))
        signin_pending_start(self.request.session, user=user, backend=backend)
        target = self.get_redirect_url()
        query = f"?next={quote(target)}" if target else ""
        return redirect(reverse("login-code") + query)

    def form_invalid(self, form: SignInForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_invalid(form)
        if form.retry_after is not None:
            response.status_code = 429
            response["Retry-After"] = str(form.retry_after)
        return response


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """``/signup``: create an account and sign in (404 while local accounts
    are off: accounts then come from single sign-on only)."""
    if not settings.HUB_LOCAL_ACCOUNTS:
        raise Http404("Accounts on this hub come from single sign-on.")
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
            email_verification_send(user=user)
            messages.success(request, f"Welcome, {user.username}!")
            return redirect("home")
    return render(request, "web/accounts/signup.html", {"form": form})


def _namespace_repos(request: HttpRequest, ns: Namespace, repo_type: str) -> list[Any]:
    """The namespace's repos of a type the visitor may see, latest first."""
    return list(
        repo_list_visible(user=request.user, repo_type=repo_type)
        .filter(namespace=ns)
        .order_by(F("last_commit_at").desc(nulls_last=True), "-pk")[:PROFILE_MODELS]
    )


@require_safe
@page_errors
def namespace_page(request: HttpRequest, namespace: str) -> HttpResponse:
    """``/{namespace}``: a user's profile or an organization's page."""
    ns = namespace_get(name=namespace)
    if ns.name != namespace:
        return redirect(f"/{ns.name}")
    context = {
        "ns": ns,
        "models": _namespace_repos(request, ns, "model"),
        "datasets": _namespace_repos(request, ns, "dataset"),
    }
    if ns.kind == Namespace.Kind.ORGANIZATION and ns.organization is not None:
        org = ns.organization
        context.update(
            {
                "org": org,
                "members": list(membership_list(organization=org)),
                "is_admin": organization_viewer_role(
                    actor=Actor.of(request.user), organization=org
                )
                == "admin",
                "can_see_usage": namespace_usage_can_view(
                    actor=Actor.of(request.user), namespace=ns
                ),
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
def tokens(request: HttpRequest) -> HttpResponse:
    """``/settings/tokens``: create (secret shown once), list and revoke tokens.

    The new secret is rendered in the answer to the POST itself, never put
    in a message or the session, so it exists only on this one page.
    """
    form = TokenForm(request.POST or None)
    new_secret, status = "", 200
    if request.method == "POST" and form.is_valid():
        days = form.cleaned_data.get("expires_in")
        expires_at = timezone.now() + timedelta(days=int(days)) if days else None
        try:
            token, new_secret = token_create(
                user=current_user(request),
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                expires_at=expires_at,
                repo_ids=form.cleaned_data["repo_ids"],
                by=current_user(request),
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            status = exc.http_status
        else:
            form = TokenForm()
    elif request.method == "POST":
        status = 400
    context = {
        "form": form,
        "new_secret": new_secret,
        "tokens": list(token_list(user=current_user(request))),
    }
    response = render(request, "web/settings/tokens.html", context, status=status)
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
