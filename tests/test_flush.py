"""The suite's flush and restore (tests/flush.py) leave what Django's do.

Every transactional test ends with the flush and the next one restores the
migrated data: if the cheaper pair left a row behind, or restored less
than the migrations made, later tests would see another test's data.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection

from hub.audit.services import audit_record
from hub.licenses.models import License
from tests.factories import commit_files, make_repo, make_user


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


@pytest.mark.django_db(transaction=True)
def test_flush_empties_every_table_written_and_restore_brings_back_the_migrations():
    migrated = row_counts()
    assert migrated["licenses.License"] > 0 and migrated["auth.Permission"] > 0
    owner = make_user("flushed")
    repo = make_repo(owner, "model")
    commit_files(repo, {"README.md": b"# flushed\n"}, author=owner)
    audit_record("repo.create", actor=owner, repo=repo.full_name)  # has triggers
    first = License.objects.order_by("pk").first()
    assert first is not None
    License.objects.filter(pk=first.pk).update(name="Changed")

    call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
    assert {label: n for label, n in row_counts().items() if n} == {}

    migrated_data = connection._test_serialized_contents  # type: ignore[attr-defined]
    connection.creation.deserialize_db_from_string(migrated_data)
    assert row_counts() == migrated
    assert not License.objects.filter(name="Changed").exists()
    assert (
        Permission.objects.filter(content_type__in=ContentType.objects.all()).count()
        == migrated["auth.Permission"]
    )
