"""Forms of the account security pages (/settings/..., the sign-in code
step, password reset). They parse input; the services in hub.accounts
decide (old password, codes, rates)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import SetPasswordForm

from hub.accounts.recovery import password_reset_complete
from hub.core.errors import ApplicationError


class EmailChangeForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label="Current password",
        strip=False,
        help_text="Changing the address that can reset your password needs it.",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PasswordChangeForm(SetPasswordForm):
    """The old password, then the new one twice (checked by the validators)."""

    old_password = forms.CharField(
        label="Current password",
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "current-password", "autofocus": True}
        ),
    )
    field_order = ["old_password", "new_password1", "new_password2"]


class ResetSetPasswordForm(SetPasswordForm):
    """Django's reset form, saving through ``password_reset_complete``."""

    def save(self, commit: bool = True) -> Any:
        try:
            password_reset_complete(
                user=self.user, new_password=self.cleaned_data["new_password1"]
            )
        except ApplicationError as exc:  # validators already ran: unlikely
            raise forms.ValidationError(exc.message) from exc
        return self.user


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        help_text=(
            "The 6 digits your authenticator app shows (to sign in or turn "
            "two-factor off, a recovery code works too)."
        ),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "autofocus": True,
                "spellcheck": "false",
            }
        ),
    )
