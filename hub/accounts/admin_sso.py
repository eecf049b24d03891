"""The single sign-on links shown on a user's admin page (hub.accounts.sso).

Read-only: a link is made by the first sign-in only. Deleting one unlinks
the provider's account; its next sign-in then needs a free username.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hub.accounts.models import ExternalIdentity


class ExternalIdentityInline(admin.TabularInline):
    model = ExternalIdentity
    fields = (
        "provider",
        "subject",
        "managed_organizations",
        "created_at",
        "last_sign_in_at",
    )
    readonly_fields = fields
    extra = 0
    verbose_name = "single sign-on identity"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
