"""The audit log's core: one writer, names kept, and nothing rewrites it."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from hub.audit.models import AuditEvent
from hub.audit.services import audit_record
from hub.core.errors import PermissionDeniedError
from hub.ops.logs import request_client_var, request_id_var
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_an_event_keeps_who_from_where_and_outlives_the_user():
    user = make_user("ada")
    client = request_client_var.set(("203.0.113.9", "curl/8"))
    rid = request_id_var.set("req-1")
    try:
        event = audit_record("token.create", actor=user, target="laptop")
    finally:
        request_client_var.reset(client)
        request_id_var.reset(rid)
    user.delete()
    event = AuditEvent.objects.get(pk=event.pk)
    assert (event.actor_name, event.ip, event.user_agent, event.request_id) == (
        "ada",
        "203.0.113.9",
        "curl/8",
        "req-1",
    )
    assert event.target == "laptop"


def test_outside_a_request_the_address_is_blank_and_an_unknown_one_is_dropped():
    assert audit_record("auth.sign_in_failed", target="nobody").ip is None
    client = request_client_var.set(("unknown", ""))
    try:
        assert audit_record("auth.sign_in_failed", target="nobody").ip is None
    finally:
        request_client_var.reset(client)


def test_an_action_not_in_the_list_is_refused():
    with pytest.raises(ValueError):
        audit_record("repo.frobnicate")


def test_the_model_and_its_queryset_refuse_to_change_or_delete_events():
    event = audit_record("auth.sign_in_failed", target="x")
    event.target = "y"
    with pytest.raises(PermissionDeniedError):
        event.save()
    with pytest.raises(PermissionDeniedError):
        event.delete()
    with pytest.raises(PermissionDeniedError):
        AuditEvent.objects.filter(pk=event.pk).update(target="y")
    with pytest.raises(PermissionDeniedError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).target == "x"


def test_the_database_refuses_a_raw_update():
    event = audit_record("auth.sign_in_failed", target="x")
    with (
        pytest.raises(DatabaseError),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE audit_auditevent SET target = 'y' WHERE id = %s", [event.pk]
        )
    assert AuditEvent.objects.get(pk=event.pk).target == "x"


@pytest.mark.postgres
def test_postgresql_refuses_a_raw_delete():
    event = audit_record("auth.sign_in_failed", target="x")
    with (
        pytest.raises(DatabaseError),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()
