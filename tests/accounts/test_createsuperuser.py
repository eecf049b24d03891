"""Users created with Django's createsuperuser get a namespace and obey its rules."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hub.accounts.models import Namespace, User


@pytest.mark.django_db
def test_createsuperuser_creates_the_users_namespace(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-admin-password")
    call_command("createsuperuser", "--noinput", username="root-admin", email="r@x.org")
    user = User.objects.get(username="root-admin")
    assert user.is_superuser
    assert Namespace.objects.get(name="root-admin").user == user


@pytest.mark.django_db
def test_createsuperuser_refuses_a_reserved_name(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-admin-password")
    with pytest.raises(CommandError, match="reserved"):
        call_command("createsuperuser", "--noinput", username="api", email="r@x.org")
    assert not User.objects.filter(username="api").exists()
