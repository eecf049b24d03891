"""Account security pages: the e-mail address and its verification, the
password (change, and reset by e-mail), and the list of sessions."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from hub.accounts.recovery import password_change, password_reset_request
from hub.accounts.sessions import (
    session_list,
    session_rekey,
    session_revoke,
    sessions_revoke_others,
)
from hub.accounts.verification import (
    email_change,
    email_is_verified,
    email_verification_send,
    email_verify,
)
from hub.core.errors import ApplicationError, RateLimitedError
from hub.core.ratelimit import client_ip
from hub.web.security_forms import (
    EmailChangeForm,
    PasswordChangeForm,
    PasswordResetRequestForm,
    ResetSetPasswordForm,
)
from hub.web.views.common import current_user, page_errors

LOGIN = "login"


def _refused(response: HttpResponse, error: ApplicationError | None) -> HttpResponse:
    """A form page refused by a wait (wrong passwords too often) answers
    429 with Retry-After; other refusals re-render as they are."""
    if error is not None and error.retry_after is not None:
        response.status_code = error.http_status
        response["Retry-After"] = str(error.retry_after)
    return response


@login_required(login_url=LOGIN)
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    """``/settings/account``: the e-mail address, its state, a new link."""
    user = current_user(request)
    form = EmailChangeForm(initial={"email": user.email})
    error: ApplicationError | None = None
    if request.method == "POST" and request.POST.get("action") == "resend":
        try:
            if email_verification_send(user=user):
                messages.success(
                    request, f"A verification link was sent to {user.email}."
                )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("settings-account")
    if request.method == "POST":
        form = EmailChangeForm(request.POST)
        if form.is_valid():
            try:
                changed = email_change(
                    user=user,
                    email=form.cleaned_data["email"],
                    password=form.cleaned_data["password"],
                )
            except ApplicationError as exc:
                form.add_error(exc.details.get("field"), exc.message)
                error = exc
            else:
                if changed:
                    messages.success(
                        request,
                        f"Your address is now {user.email}; follow the link sent "
                        "to it to verify it.",
                    )
                return redirect("settings-account")
    context = {
        "form": form,
        "verified": email_is_verified(user=user),
        "settings_nav": "account",
    }
    return _refused(render(request, "web/settings/account.html", context), error)


@require_safe
def email_verify_view(request: HttpRequest, token: str) -> HttpResponse:
    """The link of a verification mail (no sign-in needed: the link proves
    the mailbox)."""
    try:
        user = email_verify(token=token)
    except ApplicationError as exc:
        return render(
            request,
            "web/settings/email_verify.html",
            {"error": exc.message},
            status=400,
        )
    messages.success(request, f"Your address {user.email} is verified.")
    return redirect("settings-account" if request.user.is_authenticated else LOGIN)


@login_required(login_url=LOGIN)
@require_http_methods(["GET", "POST"])
def password(request: HttpRequest) -> HttpResponse:
    """``/settings/password``: change it; other sessions are signed out, this
    one stays signed in."""
    user = current_user(request)
    form = PasswordChangeForm(user, request.POST or None)
    error: ApplicationError | None = None
    if request.method == "POST" and form.is_valid():
        try:
            password_change(
                user=user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
                keep_session_key=request.session.session_key,
            )
        except ApplicationError as exc:
            form.add_error(exc.details.get("field"), exc.message)
            error = exc
        else:
            old_key = request.session.session_key
            update_session_auth_hash(request, user)
            session_rekey(old_key=old_key, new_key=request.session.session_key)
            messages.success(
                request,
                "Your password was changed; your other sessions were signed out.",
            )
            return redirect("settings-password")
    context = {"form": form, "settings_nav": "password"}
    return _refused(render(request, "web/settings/password.html", context), error)


@require_http_methods(["GET", "POST"])
def password_forgot(request: HttpRequest) -> HttpResponse:
    """``/login/forgot``: ask for a reset link. The answer is the same for
    every address, with or without an account."""
    form = PasswordResetRequestForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            password_reset_request(
                email=form.cleaned_data["email"], ip=client_ip(request)
            )
        except RateLimitedError as exc:
            form.add_error(None, exc.message)
            response = render(
                request, "web/accounts/forgot.html", {"form": form}, status=429
            )
            response["Retry-After"] = str(exc.retry_after)
            return response
        context = {
            "sent_to": form.cleaned_data["email"],
            "form": PasswordResetRequestForm(),
            "reset_minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
        }
        return render(request, "web/accounts/forgot.html", context)
    if request.method == "POST":
        status = 400
    return render(request, "web/accounts/forgot.html", {"form": form}, status=status)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """``/login/reset/<uidb64>/<token>``: Django's view checks the link (and
    moves the token out of the address into the session before the form is
    shown); the new password is set by ``password_reset_complete``."""

    template_name = "web/accounts/reset.html"
    form_class = ResetSetPasswordForm
    success_url = reverse_lazy(LOGIN)

    def form_valid(self, form: ResetSetPasswordForm) -> HttpResponse:
        messages.success(self.request, "Your password was reset. Sign in with it.")
        return super().form_valid(form)


@login_required(login_url=LOGIN)
@require_safe
def sessions(request: HttpRequest) -> HttpResponse:
    """``/settings/sessions``: where the account is signed in."""
    context = {
        "sessions": list(session_list(user=current_user(request))),
        "current_key": request.session.session_key,
        "settings_nav": "sessions",
    }
    return render(request, "web/settings/sessions.html", context)


@login_required(login_url=LOGIN)
@require_POST
@page_errors
def session_revoke_view(request: HttpRequest, session_id: int) -> HttpResponse:
    """Sign one of the visitor's own sessions out (another's id is 404)."""
    session_revoke(user=current_user(request), session_id=session_id)
    messages.success(request, "That session was signed out.")
    return redirect("settings-sessions")


@login_required(login_url=LOGIN)
@require_POST
def sessions_revoke_others_view(request: HttpRequest) -> HttpResponse:
    """Sign out everywhere but here."""
    ended = sessions_revoke_others(
        user=current_user(request), keep_session_key=request.session.session_key
    )
    messages.success(
        request, f"Signed out of {ended} other session{'s' if ended != 1 else ''}."
    )
    return redirect("settings-sessions")
