"""``/notifications``: the signed-in user's notifications, newest first."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from hub.notifications.selectors import notification_list
from hub.notifications.services import notifications_mark_read
from hub.web.views.common import current_user

LOGIN = "login"
PAGE_SIZE = 50


@login_required(login_url=LOGIN)
@require_safe
def notifications(request: HttpRequest) -> HttpResponse:
    """The list (``?unread=1`` for unread only), 50 a page."""
    unread_only = request.GET.get("unread") == "1"
    rows = notification_list(user=current_user(request), unread_only=unread_only)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("p"))
    return render(
        request,
        "web/notifications/list.html",
        {
            "page": page,
            "items": list(page.object_list),
            "unread_only": unread_only,
            "nav": "notifications",
        },
    )


@login_required(login_url=LOGIN)
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    """Mark one (``id``), or all (no id), read; then open ``next`` if it is
    the notification's own link, else go back to the list."""
    user = current_user(request)
    raw = request.POST.get("id", "")
    if raw.isdigit():
        notifications_mark_read(user=user, ids=[int(raw)])
        target = notification_list(user=user).filter(pk=int(raw)).first()
        if target is not None and request.POST.get("open") == "1":
            return redirect(target.url)
    elif raw:
        messages.error(request, "Unknown notification.")
    else:
        count = notifications_mark_read(user=user)
        messages.success(
            request, f"{count} notification{'s' if count != 1 else ''} marked read."
        )
    return redirect("notifications")
