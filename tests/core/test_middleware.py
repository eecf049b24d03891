import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/api/v1/models?tag=a%00b", "/api/models?search=x%00", "/api/v1/licenses/mi%00t"],
)
def test_nul_bytes_are_a_clear_400_not_a_server_error(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL" in response.json()["error"]["message"]


POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/", "/models", "/login", "/api/v1/models", "/api/models", "/nobody/x/y"]
)
def test_every_response_carries_the_strict_content_security_policy(client, url):
    response = client.get(url)
    assert response["Content-Security-Policy"] == POLICY


@pytest.mark.django_db
def test_operators_allow_card_images_from_listed_sites_only(client, settings):
    settings.HUB_CSP_IMG_SOURCES = ["https://images.example.org"]
    policy = client.get("/")["Content-Security-Policy"]
    assert "img-src 'self' data: https://images.example.org;" in policy
    assert "script-src 'self';" in policy


@pytest.mark.parametrize(
    "value", ["https://x.example; script-src *", "'unsafe-inline'", "https://a b"]
)
def test_a_source_that_would_change_the_policy_is_refused_at_start(value):
    env = {**os.environ, "HUB_CSP_IMG_SOURCES": value}
    result = subprocess.run(
        [sys.executable, "-c", "import hub.settings"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "HUB_CSP_IMG_SOURCES" in result.stderr
    assert "is not a CSP source" in result.stderr
