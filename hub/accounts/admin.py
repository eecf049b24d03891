"""Admin for accounts.

Rows that carry a rule (a name in the shared name space, the last admin of
an organization, a token's secret) are written through the services, so the
admin cannot create a user without a namespace or leave an org without an
admin. Names are read-only once set: renaming a namespace is a feature of
its own (repository ids and redirects), not an admin edit.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UsernameField
from django.db.models import Count, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from hub.accounts import (
    admin_quotas,  # noqa: F401  (registers its admin)
    admin_tokens,  # noqa: F401  # registers ApiTokenAdmin
)
from hub.accounts.admin_sso import ExternalIdentityInline
from hub.accounts.memberships import membership_remove, membership_set
from hub.accounts.models import Membership, Namespace, Organization, User
from hub.accounts.selectors import namespace_name_is_taken
from hub.accounts.services import (
    organization_create,
    user_create,
    user_privileges_set,
)
from hub.core.errors import ApplicationError
from hub.core.names import validate_namespace_name


def _clean_new_namespace_name(value: str) -> str:
    """Form-level version of the services' name check, to show a field error."""
    try:
        validate_namespace_name(value)
    except ApplicationError as exc:
        raise forms.ValidationError(exc.message) from exc
    if namespace_name_is_taken(name=value):
        raise forms.ValidationError(
            f"The name {value!r} is already taken by a user or an organization."
        )
    return value


class UserCreationAdminForm(AdminUserCreationForm):
    """Django's add form, plus the shared name-space rules."""

    class Meta:
        model = User
        fields = ("username", "email")
        field_classes = {"username": UsernameField}

    def clean_username(self) -> str:
        username = super().clean_username()
        if not username:  # already refused as a case-insensitive duplicate
            return ""
        return _clean_new_namespace_name(username)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = UserCreationAdminForm
    inlines = (ExternalIdentityInline,)
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "email",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            "Personal info",
            {"fields": ("display_name", "first_name", "last_name", "email")},
        ),
        (
            "Permissions",
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ),
            },
        ),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    list_display = (
        "username",
        "email",
        "display_name",
        "is_active",
        "is_staff",
        "date_joined",
        "last_login",
    )
    list_filter = ("is_active", "is_staff", "is_superuser", "date_joined", "groups")
    search_fields = ("username", "display_name", "email", "first_name", "last_name")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = tuple(super().get_readonly_fields(request, obj))
        if obj is None:
            return readonly
        # is_active: banning and lifting a ban are moderation actions (a
        # reason, the audit log, the user told): the actions on the list.
        return (*readonly, "username", "is_active", "last_login", "date_joined")

    def save_form(self, request: HttpRequest, form: Any, change: bool) -> Any:
        if change:
            return super().save_form(request, form, change)
        # New users come from the service, which creates their namespace too.
        data = form.cleaned_data
        password = data.get("password1") if data.get("set_usable_password") else None
        return user_create(
            username=data["username"],
            email=data.get("email", ""),
            password=password,
            by=request.user,  # type: ignore[arg-type]  # staff, signed in
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool):
        if not change:  # on add, save_form has saved the user already
            return
        # Staff and superuser status change through the service (audited).
        wanted = (obj.is_staff, obj.is_superuser)
        saved = User.objects.get(pk=obj.pk)
        obj.is_staff, obj.is_superuser = saved.is_staff, saved.is_superuser
        super().save_model(request, obj, form, change)
        user_privileges_set(
            user=obj,
            is_staff=wanted[0],
            is_superuser=wanted[1],
            by=request.user,  # type: ignore[arg-type]  # staff, signed in
        )

    def save_related(self, request: HttpRequest, form: Any, formsets, change: bool):
        if change:  # the add form has no related fields
            super().save_related(request, form, formsets, change)


class MembershipInlineFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        """Refuse edits that would leave the organization without an admin."""
        super().clean()
        if any(self.errors):
            return
        admins = [
            form
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("role") == Membership.Role.ADMIN
            and form.cleaned_data["user"].is_active
        ]
        if not admins:
            raise forms.ValidationError(
                "An organization needs at least one active admin."
            )


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipInlineFormSet
    fields = ("user", "role", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("user",)
    extra = 0


class OrganizationAddForm(forms.ModelForm):
    """The organization form on add, plus the shared name-space rules."""

    class Meta:
        model = Organization
        fields = ("name", "display_name", "description")

    def clean_name(self) -> str:
        return _clean_new_namespace_name(self.cleaned_data["name"])


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "display_name", "member_count", "created_at")
    search_fields = ("name", "display_name", "description")
    list_filter = ("created_at",)
    ordering = ("name",)
    inlines = (MembershipInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organization]:
        return (
            super().get_queryset(request).annotate(_member_count=Count("memberships"))
        )

    @admin.display(description="Members", ordering="_member_count")
    def member_count(self, obj: Any) -> int:
        return obj._member_count

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("name", "created_at") if obj is not None else ("created_at",)

    def get_inlines(self, request: HttpRequest, obj: Any) -> Any:
        # On add the creator becomes the first admin (see save_form).
        return self.inlines if obj is not None else ()

    def get_form(
        self,
        request: HttpRequest,
        obj: Any = None,
        change: bool = False,
        **kwargs: Any,
    ) -> Any:
        if obj is None:
            kwargs.setdefault("form", OrganizationAddForm)
        return super().get_form(request, obj, change, **kwargs)

    def save_form(self, request: HttpRequest, form: Any, change: bool) -> Any:
        if change:
            return super().save_form(request, form, change)
        # Through the service: the namespace and the creator's admin
        # membership come with the organization.
        data = form.cleaned_data
        organization = organization_create(
            name=data["name"],
            creator=request.user,  # type: ignore[arg-type]
            display_name=data.get("display_name", ""),
        )
        organization.description = data.get("description", "")
        return organization

    def save_related(self, request: HttpRequest, form: Any, formsets, change: bool):
        if change:  # the add form has neither inlines nor m2m fields
            super().save_related(request, form, formsets, change)

    def save_formset(
        self, request: HttpRequest, form: Any, formset: Any, change: bool
    ) -> None:
        if formset.model is not Membership:
            super().save_formset(request, form, formset, change)
            return
        # Through the services, in an order that never leaves the organization
        # without an admin halfway: promotions to admin first, then other
        # roles, then removals. MembershipInlineFormSet.clean has checked the
        # end state.
        organization, staff = form.instance, cast(User, request.user)
        sets: list[tuple[User, str]] = []
        removed_user_ids: list[int] = []
        for member_form in formset.forms:
            data = member_form.cleaned_data
            if not data:
                continue
            # The form has already written its data onto the instance: the
            # user the row held before the edit is in the form's initial data.
            old_user_id = member_form.initial.get("user") if data.get("id") else None
            if data.get("DELETE"):
                if old_user_id is not None:
                    removed_user_ids.append(old_user_id)
                continue
            if not member_form.has_changed():
                continue
            if old_user_id is not None and old_user_id != data["user"].pk:
                removed_user_ids.append(old_user_id)  # the row names someone else
            sets.append((data["user"], data["role"]))
        sets.sort(key=lambda item: item[1] != Membership.Role.ADMIN)
        before = dict(
            Membership.objects.filter(organization=organization).values_list(
                "user_id", "role"
            )
        )
        # What formset.save() would have recorded, for the admin's history.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = (
            [],
            [],
            [],
        )
        # A concurrent edit can still make a service refuse: the exception
        # then rolls back the admin view's transaction, all or nothing.
        for user, role in sets:
            membership = membership_set(
                organization=organization, user=user, role=role, by=staff
            )
            if user.pk not in before:
                formset.new_objects.append(membership)
            elif before[user.pk] != role:
                formset.changed_objects.append((membership, ["role"]))
        removed = Membership.objects.filter(
            organization=organization, user_id__in=removed_user_ids
        ).select_related("user")
        for membership in removed:
            membership_remove(organization=organization, user=membership.user, by=staff)
            formset.deleted_objects.append(membership)


@admin.register(Namespace)
class NamespaceAdmin(admin.ModelAdmin):
    """Read-only: namespaces are created and removed with their owner."""

    list_display = ("name", "kind", "user", "organization")
    list_filter = ("kind",)
    search_fields = ("name", "user__username", "organization__name")
    list_select_related = ("user", "organization")
    ordering = ("name",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


from hub.accounts import admin_security  # noqa: E402,F401  (sessions, recovery codes)
