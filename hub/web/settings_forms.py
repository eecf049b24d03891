"""Forms of a repo's settings page. They parse input only: who may change
what, valid names, taken names and the protected default branch are the
use cases' to decide (``hub.catalog.usecases``, ``hub.access.usecases``),
and their errors come back on the page."""

from __future__ import annotations

from django import forms

from hub.catalog.models import ModelRepo, Ref
from hub.core.errors import ValidationError
from hub.licenses.models import LicenseAcceptance


class VisibilityForm(forms.Form):
    visibility = forms.ChoiceField(
        choices=[
            ("public", "Public — anyone can see and download it"),
            ("private", "Private — only you and the members of its organization"),
        ],
        widget=forms.RadioSelect,
    )


class GatingForm(forms.Form):
    gated = forms.ChoiceField(choices=ModelRepo.Gated.choices, widget=forms.RadioSelect)


class MoveForm(forms.Form):
    # A free text, not a choice among the namespaces offered: the use case
    # decides where the actor may create, and says so when they may not.
    namespace = forms.CharField(max_length=96)
    name = forms.CharField(max_length=96)


class DeleteForm(forms.Form):
    confirm = forms.CharField(max_length=200, required=False, strip=False)


_REF_KINDS = [(Ref.Kind.BRANCH, "Branch"), (Ref.Kind.TAG, "Tag")]


class RefCreateForm(forms.Form):
    kind = forms.ChoiceField(choices=_REF_KINDS)
    name = forms.CharField(max_length=255)
    revision = forms.CharField(max_length=255, required=False)


class RefDeleteForm(forms.Form):
    kind = forms.ChoiceField(choices=_REF_KINDS)
    name = forms.CharField(max_length=255)


class AccessDecisionForm(forms.Form):
    username = forms.CharField(max_length=150)
    status = forms.ChoiceField(choices=LicenseAcceptance.Status.choices)


def form_data(form: forms.Form) -> dict[str, str]:
    """The form's cleaned data; ValidationError (400) naming each bad field."""
    if form.is_valid():
        return form.cleaned_data
    problems = []
    for name, errors in form.errors.items():
        text = " ".join(str(error) for error in errors)
        problems.append(text if name == "__all__" else f"{name}: {text}")
    raise ValidationError("; ".join(problems))
