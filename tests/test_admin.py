"""Every model is in the admin, and its list, search and change pages work."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from tests.factories import commit_files, make_org, make_repo, make_user

DOMAIN_APPS = {
    "accounts",
    "licenses",
    "storage",
    "catalog",
    "community",
    "jobs",
    "reviews",
    "moderation",
}


@pytest.fixture
def admin_client_with_data(client, db):
    root = make_user("root-admin")
    root.is_staff = root.is_superuser = True
    root.save()
    org = make_org("lab", creator=root)
    repo = make_repo(org, "model", creator=root)
    commit_files(repo, {"README.md": b"---\nlicense: mit\n---\n"}, author=root)
    client.force_login(root)
    return client


def test_every_domain_model_is_registered_or_inline():
    inlines = {
        inline.model
        for model_admin in admin.site._registry.values()
        for inline in model_admin.inlines
    }
    missing = [
        m._meta.label
        for m in apps.get_models()
        if m._meta.app_label in DOMAIN_APPS
        and m not in admin.site._registry
        and m not in inlines
    ]
    assert missing == []


def test_changelists_search_and_change_pages_load(admin_client_with_data):
    client = admin_client_with_data
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in DOMAIN_APPS:
            continue
        info = (model._meta.app_label, model._meta.model_name)
        url = reverse("admin:{}_{}_changelist".format(*info))
        assert client.get(url).status_code == 200, url
        assert model_admin.search_fields, f"{model._meta.label} has no search"
        assert client.get(url, {"q": "a"}).status_code == 200, url
        obj = model._default_manager.first()
        if obj is not None:
            change = reverse("admin:{}_{}_change".format(*info), args=[obj.pk])
            assert client.get(change).status_code == 200, change
