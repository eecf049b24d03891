"""Forms of the pages. They parse input only: every rule (names, roles,
licenses, card metadata) is checked by the service the view calls, whose
errors the view puts back on the form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import validate_password

from hub.accounts.models import ApiToken, Membership, User
from hub.accounts.signin import SignInThrottledError, user_sign_in
from hub.catalog.pipeline_tags import PIPELINE_TAGS
from hub.core.errors import ApplicationError
from hub.core.names import validate_namespace_name
from hub.core.ratelimit import client_ip
from hub.licenses.selectors import license_list

LIBRARIES = (
    "transformers",
    "diffusers",
    "sentence-transformers",
    "peft",
    "timm",
    "gguf",
    "llama.cpp",
    "onnx",
    "safetensors",
    "pytorch",
    "keras",
    "scikit-learn",
)


class SignupForm(forms.Form):
    username = forms.CharField(
        max_length=96,
        help_text="Letters, digits, '-', '_' or '.'. It is also your namespace.",
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    email = forms.EmailField(
        required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_username(self) -> str:
        # The service checks again; this only reports a bad name together
        # with the password's problems instead of one after the other.
        username = str(self.cleaned_data["username"])
        try:
            validate_namespace_name(username)
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message) from None
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords differ.")
        elif first:
            probe = User(username=data.get("username", ""), email=data.get("email", ""))
            try:
                validate_password(first, user=probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class SignInForm(AuthenticationForm):
    """Django's sign-in form, checked by ``user_sign_in`` (its backoff)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": (
            "The username and password did not match. Both are case-sensitive."
        ),
    }
    # Seconds to wait when sign-in is backing off; the view sends it as
    # Retry-After.
    retry_after: int | None = None

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = user_sign_in(
                    request=self.request,
                    username=username,
                    password=password,
                    ip=client_ip(self.request) if self.request else "unknown",
                )
            except SignInThrottledError as exc:
                self.retry_after = exc.retry_after
                raise forms.ValidationError(exc.message, code="throttled") from None
            except ApplicationError as exc:  # a directory user the hub refuses
                raise forms.ValidationError(exc.message, code=exc.code) from None
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


def _license_choices() -> list[tuple[str, str]]:
    choices = [("", "No license yet")]
    choices += [(row.id, f"{row.name} ({row.id})") for row in license_list()]
    return choices


class NewModelForm(forms.Form):
    repo_type = forms.ChoiceField(
        label="Type",
        choices=[
            ("model", "Model — weights, configuration and a model card"),
            ("dataset", "Dataset — data files and a dataset card"),
            ("space", "Space — an app's files, stored (this hub never runs it)"),
        ],
        initial="model",
        # A form posted without it (an older page) creates a model.
        required=False,
        widget=forms.RadioSelect,
    )
    owner = forms.ChoiceField(label="Owner")
    name = forms.CharField(
        label="Name",
        max_length=96,
        help_text="Letters, digits, '-', '_' or '.', e.g. tiny-llama-1b.",
    )
    visibility = forms.ChoiceField(
        choices=[
            ("public", "Public — anyone can see and download it"),
            ("private", "Private — only you and your organization"),
        ],
        initial="public",
        widget=forms.RadioSelect,
    )
    license = forms.ChoiceField(
        required=False,
        choices=(),
        widget=forms.Select(attrs={"data-reveal": "other:other-license"}),
    )
    license_name = forms.CharField(
        required=False,
        max_length=200,
        help_text="For the license “other”: its name.",
    )
    license_link = forms.URLField(
        assume_scheme="https",
        required=False,
        help_text="For the license “other”: where its text is.",
    )
    pipeline_tag = forms.ChoiceField(label="Task (models)", required=False, choices=())
    library_name = forms.CharField(
        label="Library (models)",
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"list": "libraries"}),
    )
    description = forms.CharField(
        label="Short description",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, owners: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner_field = self.fields["owner"]
        assert isinstance(owner_field, forms.ChoiceField)
        owner_field.choices = [(name, name) for name in owners]
        license_field = self.fields["license"]
        assert isinstance(license_field, forms.ChoiceField)
        license_field.choices = _license_choices()
        task_field = self.fields["pipeline_tag"]
        assert isinstance(task_field, forms.ChoiceField)
        task_field.choices = [("", "Not set")] + [(t, t) for t in PIPELINE_TAGS]

    def clean_repo_type(self) -> str:
        return self.cleaned_data.get("repo_type") or "model"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("license") == "other" and not data.get("license_name"):
            self.add_error("license_name", "Name the license when it is “other”.")
        return data


class OrganizationForm(forms.Form):
    name = forms.CharField(
        max_length=96, help_text="Letters, digits, '-', '_' or '.'; its namespace."
    )
    display_name = forms.CharField(max_length=150, required=False)


class OrganizationProfileForm(forms.Form):
    display_name = forms.CharField(
        max_length=150, required=False, help_text="Shown instead of its name."
    )
    description = forms.CharField(
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One or two sentences on its profile page.",
    )


class MemberForm(forms.Form):
    username = forms.CharField(max_length=96)
    role = forms.ChoiceField(choices=Membership.Role.choices, initial="read")


EXPIRY_CHOICES = [
    ("", "Never"),
    ("7", "In 7 days"),
    ("30", "In 30 days"),
    ("90", "In 90 days"),
    ("365", "In a year"),
]


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What it is for, e.g. “laptop” or “CI”."
    )
    scope = forms.ChoiceField(
        choices=[
            (ApiToken.Scope.READ, "Read — download and browse"),
            (ApiToken.Scope.WRITE, "Write — also create models and push"),
        ],
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
    )
    expires_in = forms.ChoiceField(
        label="Expires", choices=EXPIRY_CHOICES, required=False
    )
    repo_ids = forms.CharField(
        label="Limit to models",
        required=False,
        max_length=5000,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": "namespace/name", "spellcheck": "false"}
        ),
        help_text=(
            "One model id per line (namespace/name). The token then reaches "
            "only these models, and nothing private elsewhere. Empty: "
            "everything you may reach."
        ),
    )

    def clean_repo_ids(self) -> list[str]:
        """The ids as a list (one per line or comma); the service checks them."""
        text = str(self.cleaned_data.get("repo_ids") or "")
        return [part for part in text.replace(",", "\n").split() if part]
