"""Error pages are the hub's own, in its layout, with a message saying what to
do (the 500 page, under gunicorn with DEBUG off: tests/deploy/test_run_hub.py)."""

from __future__ import annotations

import psycopg
import pytest
from django.db import connection
from django.test import Client


@pytest.mark.django_db
def test_bad_host_header_gets_the_hubs_400_page(client):
    response = client.get("/models", HTTP_HOST="evil.example")
    assert response.status_code == 400
    body = response.content.decode()
    assert "That request could not be understood" in body
    assert "<title>Bad request · Model Commons</title>" in body
    assert 'class="site-header"' in body


@pytest.mark.django_db
def test_form_posted_without_its_csrf_token_gets_the_hubs_403_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login", {"username": "x", "password": "y"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "The form expired or cookies are blocked" in body
    assert 'class="site-header"' in body
    assert "<style" not in body  # Django's own page has an inline style


def _drop_connection_server_side() -> None:
    """PostgreSQL ends this thread's connection, as a restart would."""
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", (pid,))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("url", ["/api/models", "/api/v1/models"])
def test_a_request_whose_database_went_away_is_a_503_to_retry_not_a_500(client, url):
    client.raise_request_exception = False
    _drop_connection_server_side()
    response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["error"].startswith("The hub's database did not answer")
    # The next request gets a new connection (a server closes the broken one
    # at the end of the request; the test client leaves that to the test).
    connection.close()
    assert client.get(url).status_code == 200


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_page_whose_database_went_away_is_the_hubs_503_page(client):
    client.raise_request_exception = False
    _drop_connection_server_side()
    response = client.get("/models", HTTP_ACCEPT="text/html")
    assert response.status_code == 503
    body = response.content.decode()
    assert "The hub is briefly unavailable" in body
    assert "did not answer (it may be restarting)" in body
    assert 'class="site-header"' in body
    connection.close()
