"""Probes, metrics, request ids, JSON logs and production settings."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hub.ops.logs import JsonFormatter, RequestIdFilter, request_id_var
from tests.factories import commit_files, make_repo

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_answers_any_host_without_redirect(client, settings):
    settings.ALLOWED_HOSTS = ["hub.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    answer = client.get("/healthz", HTTP_HOST="10.1.2.3:8000")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok"}


def test_readyz_reports_every_check(client, db):
    answer = client.get("/readyz")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["status"] == "ready"
    assert set(body["checks"]) == {
        "database",
        "migrations",
        "broker",
        "blob_store",
        "scanners",
    }
    assert all(check["ok"] for check in body["checks"].values())


def test_readyz_reports_an_unreachable_broker(client, db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    answer = client.get("/readyz")
    assert answer.status_code == 503
    checks = answer.json()["checks"]
    assert checks["broker"]["ok"] is False
    assert "Connection" in checks["broker"]["error"]
    assert checks["database"]["ok"] is True


def test_readyz_reports_a_missing_blob_store(client, db, settings, tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    settings.HUB_BLOB_ROOT = tmp_path / "a-file" / "blobs"
    answer = client.get("/readyz")
    assert answer.status_code == 503
    assert answer.json()["checks"]["blob_store"]["ok"] is False


def test_probes_refuse_writes(client):
    assert client.post("/readyz").status_code == 405


def test_metrics_expose_latency_bytes_and_jobs(client, owner):
    repo = make_repo(owner, "m")
    commit_files(repo, {"weights.bin": b"\x00" * 4096}, author=owner)
    assert client.get(f"/{repo.full_name}/resolve/main/weights.bin").status_code == 200
    text = client.get("/metrics").content.decode()
    assert "hub_http_request_duration_seconds_bucket{" in text
    assert 'route="<str:namespace>/<str:name>/resolve/<path:rest>"' in text
    assert 'hub_download_bytes_total{via="stream"}' in text
    assert 'hub_jobs{queue="validation",state="queued"}' in text
    assert "hub_queue_depth{" in text


def test_metrics_token_is_required_when_set(client, db, settings):
    settings.HUB_METRICS_TOKEN = "s3cret-scrape"
    assert client.get("/metrics").status_code == 401
    ok = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-scrape")
    assert ok.status_code == 200


def test_request_id_is_echoed_or_generated(client, db):
    given = client.get("/healthz", HTTP_X_REQUEST_ID="abc-123")
    assert given["X-Request-ID"] == "abc-123"
    made = client.get("/api/models", HTTP_X_REQUEST_ID="bad id\n<script>")
    assert made["X-Request-ID"] != "bad id\n<script>"
    assert len(made["X-Request-ID"]) == 32


def test_json_log_lines_carry_the_request_id():
    record = logging.LogRecord(
        "hub.x", logging.WARNING, __file__, 1, "hi %s", ("you",), None
    )
    record.status = 201
    token = request_id_var.set("req-42")
    try:
        RequestIdFilter().filter(record)
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id_var.reset(token)
    assert line["message"] == "hi you"
    assert line["request_id"] == "req-42"
    assert line["level"] == "WARNING"
    assert line["status"] == 201


def test_uploaded_files_are_served_as_sandboxed_attachments(client, owner):
    repo = make_repo(owner, "page")
    commit_files(repo, {"index.html": b"<script>alert(1)</script>"}, author=owner)
    answer = client.get(f"/{repo.full_name}/resolve/main/index.html")
    assert answer.status_code == 200
    assert answer["Content-Disposition"].startswith("attachment")
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in answer["Content-Security-Policy"]
    assert answer["Content-Type"].startswith("text/plain")


def test_local_downloads_are_handed_to_nginx_when_configured(client, owner, settings):
    settings.HUB_BLOB_ACCEL_REDIRECT_PREFIX = "/_blobs/"
    repo = make_repo(owner, "accel")
    commit = commit_files(repo, {"w.bin": b"\x01" * 100}, author=owner)
    sha = commit.entries.get(path="w.bin").blob_id
    answer = client.get(f"/{repo.full_name}/resolve/main/w.bin")
    assert answer["X-Accel-Redirect"] == f"/_blobs/{sha[:2]}/{sha[2:4]}/{sha}"
    assert answer.content == b""
    assert answer["X-Linked-Size"] == "100"
    head = client.head(f"/{repo.full_name}/resolve/main/w.bin")
    assert "X-Accel-Redirect" not in head and head["Content-Length"] == "100"


# Production mode -----------------------------------------------------------------


def _settings_env(**overrides: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("HUB_") and k not in ("SECRET_KEY", "ALLOWED_HOSTS")
    }
    env["DJANGO_SETTINGS_MODULE"] = "hub.settings"
    env.update(overrides)
    return env


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


PRODUCTION = {
    "HUB_DEBUG": "false",
    "SECRET_KEY": "k" * 20 + "-production-secret-key-for-the-check-" + "z9" * 10,
    "ALLOWED_HOSTS": "hub.example.org",
}


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_mode_refuses_to_start_without(missing):
    env = _settings_env(**{k: v for k, v in PRODUCTION.items() if k != missing})
    result = _run(env, "-c", "import django; django.setup()")
    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr


def test_check_deploy_is_clean_in_production_mode():
    result = _run(
        _settings_env(**PRODUCTION),
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_embedded_mode_still_starts(tmp_path):
    env = _settings_env(HUB_VAR_DIR=str(tmp_path))
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env.pop("CELERY_BROKER_URL", None)
    result = _run(env, "manage.py", "check")
    assert result.returncode == 0, result.stderr
