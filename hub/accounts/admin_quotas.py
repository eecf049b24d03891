"""Admin for staff's quota overrides: every change goes through
``namespace_quota_set``, which checks staff and records the audit event."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from hub.accounts.actors import Actor
from hub.accounts.models import NamespaceQuota
from hub.accounts.quotas import (
    DEFAULT,
    UNLIMITED,
    namespace_quota_set,
    quota_value_parse,
)
from hub.core.errors import ApplicationError


class NamespaceQuotaForm(forms.ModelForm):
    value = forms.CharField(
        max_length=40,
        help_text="A size (bytes, or 50GB, 1.5GiB), a number of repositories, "
        f"or '{UNLIMITED}'. Delete the row to go back to the hub's default.",
    )

    class Meta:
        model = NamespaceQuota
        fields = ("namespace", "kind")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            limit = self.instance.limit
            self.fields["value"].initial = UNLIMITED if limit is None else limit

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        value = str(data.get("value", "")).strip()
        kind = data.get("kind") or self.instance.kind
        if value.lower() == DEFAULT:
            self.add_error("value", "Delete the row to use the hub's default.")
        elif kind and value:
            # The service's own parse, shown as a field error.
            try:
                quota_value_parse(kind, value)
            except ApplicationError as exc:
                self.add_error("value", exc.message)
        return data


@admin.register(NamespaceQuota)
class NamespaceQuotaAdmin(admin.ModelAdmin):
    form = NamespaceQuotaForm
    list_display = ("namespace", "kind", "limit", "updated_at")
    list_filter = ("kind",)
    search_fields = ("namespace__name",)
    actions = None  # no bulk delete: each change is one audited service call
    raw_id_fields = ("namespace",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("namespace", "kind") if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool):
        namespace_quota_set(
            actor=Actor.of(request.user),
            namespace=obj.namespace,
            changes={obj.kind: form.cleaned_data["value"]},
        )
        saved = NamespaceQuota.objects.get(namespace=obj.namespace, kind=obj.kind)
        obj.pk, obj.limit = saved.pk, saved.limit

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        namespace_quota_set(
            actor=Actor.of(request.user),
            namespace=obj.namespace,
            changes={obj.kind: DEFAULT},
        )
