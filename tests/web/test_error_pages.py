"""Error pages are the hub's own, in its layout, with a message saying what to
do (the 500 page, under gunicorn with DEBUG off: tests/deploy/test_run_hub.py)."""

from __future__ import annotations

import pytest
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
