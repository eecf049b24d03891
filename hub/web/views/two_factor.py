"""Two-factor pages: enrolment and turning it off (``/settings/two-factor``)
and the code step of signing in (``/login/code``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login

from hub.accounts.two_factor import (
    ENROL_DUE,
    recovery_codes_left,
    signin_code_check,
    signin_pending_user,
    totp_disable,
    totp_enrol_confirm,
    totp_enrol_start,
    totp_qr_svg,
    totp_secret_text,
    two_factor_device,
    two_factor_required,
)
from hub.core.errors import ApplicationError, AuthenticationError, RateLimitedError
from hub.web.security_forms import CodeForm
from hub.web.views.common import current_user

LOGIN = "login"


def _next(request: HttpRequest, default: str) -> str:
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(
        REDIRECT_FIELD_NAME, ""
    )
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _render_code_error(
    request: HttpRequest, template: str, context: dict, exc: ApplicationError
) -> HttpResponse:
    context["form"].add_error("code", exc.message)
    response = render(request, template, context, status=exc.http_status)
    if isinstance(exc, RateLimitedError):
        response["Retry-After"] = str(exc.retry_after)
    return response


@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: the session is signed in only here."""
    user = signin_pending_user(request.session)
    if user is None:
        return redirect(LOGIN)
    form = CodeForm(request.POST or None)
    context = {"form": form, "pending_user": user, "next": _next(request, "")}
    if request.method == "POST" and form.is_valid():
        try:
            user, backend, device = signin_code_check(
                request.session, code=form.cleaned_data["code"]
            )
        except AuthenticationError as exc:
            messages.error(request, exc.message)
            return redirect(LOGIN)
        except ApplicationError as exc:
            return _render_code_error(
                request, "web/accounts/login_code.html", context, exc
            )
        # The device is marked first: the sign-in's receiver sees a session
        # that gave its code (hub/accounts/receivers.py).
        request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        login(request, user, backend=backend)
        otp_login(request, device)
        return redirect(_next(request, "home"))
    status = 400 if request.method == "POST" else 200
    return render(request, "web/accounts/login_code.html", context, status=status)


def _enrolled(request: HttpRequest, codes: list[str]) -> HttpResponse:
    request.session.pop(ENROL_DUE, None)
    context = {"codes": codes, "next": _next(request, ""), "settings_nav": "two-factor"}
    response = render(request, "web/settings/two_factor_codes.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required(login_url=LOGIN)
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Enrol (QR code, secret, a first code; recovery codes shown once), or
    turn it off with a code."""
    user = current_user(request)
    form = CodeForm(request.POST or None)
    device = two_factor_device(user=user)
    context = {
        "form": form,
        "device": device,
        "required": two_factor_required(user=user),
        "next": _next(request, ""),
        "settings_nav": "two-factor",
    }
    status = 400 if form.errors else 200
    try:
        if request.method == "POST" and form.is_valid():
            code = form.cleaned_data["code"]
            if device is None:
                device, codes = totp_enrol_confirm(
                    user=user, code=code, keep_session_key=request.session.session_key
                )
                otp_login(request, device)
                return _enrolled(request, codes)
            totp_disable(user=user, code=code)
            messages.success(request, "Two-factor authentication is off.")
            return redirect("two-factor")
    except ApplicationError as exc:
        form.add_error("code", exc.message)
        status = exc.http_status
    if device is None:
        pending = totp_enrol_start(user=user)
        context.update(qr_svg=totp_qr_svg(pending), secret=totp_secret_text(pending))
    else:
        context["codes_left"] = recovery_codes_left(user=user)
    response = render(request, "web/settings/two_factor.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response
