"""The README's first command, run as a new user runs it: ``scripts/run-hub.sh``.

The embedded default (SQLite, blobs and broker on disk) served by gunicorn
with DEBUG off: a signed-in user browses the catalog and its facet counts
(issue 13, hole 10: these were 500s on SQLite), static files are served, and
when something breaks the visitor gets the hub's own error page, never a
traceback. Ctrl-C stops the web server and both workers.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import socket
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
import requests

from tests.web.conftest import safetensors_bytes
from tests.xet.e2e_support import MIB, auth, run_client

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
# What the test runner's environment sets and a new user's shell does not.
NOT_INHERITED = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "SECRET_KEY")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def embedded_hub(tmp_path):
    """scripts/run-hub.sh on a fresh data folder; yields (base URL, log)."""
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("HUB_")
        and key not in NOT_INHERITED
        and key not in ("ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        HUB_VAR_DIR=str(tmp_path / "var"),
        HUB_PORT=str(port),
        HUB_EVAL_WORKDIR=str(tmp_path / "evals"),
    )
    log_path = tmp_path / "run-hub.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            ["bash", "scripts/run-hub.sh"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as in a terminal
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while True:
            assert proc.poll() is None, log_path.read_text()[-4000:]
            assert time.monotonic() < deadline, log_path.read_text()[-4000:]
            try:
                if requests.get(base + "/", timeout=10).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(1)
        yield base, log_path
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C in its terminal
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                pytest.fail("run-hub.sh did not stop on Ctrl-C")
        deadline = time.monotonic() + 30
        while _group_alive(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.5)
        if _group_alive(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail("a worker or the web server outlived run-hub.sh")


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _xet_round_trip(base: str, token: str, folder: Path) -> None:
    """The stock client (Xet on) uploads a file over the inline limit to the
    embedded hub; its worker verifies the file's bytes and checks it, so a
    stranger can then download it; the client downloads it through Xet."""
    created = requests.post(
        base + "/api/repos/create",
        json={"name": "xet-demo", "type": "model"},
        headers=auth(token),
        timeout=30,
    )
    assert created.status_code == 200, created.text
    data = folder / "model.safetensors"
    data.write_bytes(safetensors_bytes(3 * MIB))  # 12 MiB: over the inline limit
    digest = hashlib.sha256(data.read_bytes()).hexdigest()
    run_client(
        base, token, "upload-file", "demo/xet-demo", str(data), "model.safetensors",
        home=folder / "client-up",
    )  # fmt: skip
    url = f"{base}/demo/xet-demo/resolve/main/model.safetensors"
    deadline = time.monotonic() + 120
    while requests.head(url, timeout=30).status_code != 200:  # checks pending
        assert time.monotonic() < deadline, "the worker never passed the checks"
        time.sleep(1)
    got = run_client(
        base, token, "download", "demo/xet-demo", "model.safetensors",
        home=folder / "client-down",
    )  # fmt: skip
    assert got["sha256"] == {"model.safetensors": digest}


def _sign_in(base: str, username: str, password: str) -> requests.Session:
    session = requests.Session()
    session.get(base + "/login", timeout=30)
    response = session.post(
        base + "/login",
        data={
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
            "username": username,
            "password": password,
        },
        headers={"Referer": base + "/login"},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, response.text[:2000]
    return session


def test_run_hub_serves_signed_in_users_and_shows_its_own_error_pages(
    embedded_hub,
):
    base, log_path = embedded_hub
    log = log_path.read_text()
    token = re.search(r"Write token \(shown once\): (\S+)", log)
    assert token is not None, log[-4000:]
    assert "gunicorn" in log.lower()  # not the development server

    demo = _sign_in(base, "demo", "demo-password")
    page = demo.get(base + "/models", timeout=30)
    assert page.status_code == 200, page.text[:2000]
    assert "Account menu for demo" in page.text
    facets = demo.get(base + "/api/v1/models?facets=all", timeout=30)
    assert facets.status_code == 200, facets.text[:2000]
    assert set(facets.json()["facets"]) >= {"license", "task", "library"}
    with_token = requests.get(
        base + "/api/v1/models?facets=all",
        headers={"Authorization": f"Bearer {token.group(1)}"},
        timeout=30,
    )
    assert with_token.status_code == 200, with_token.text[:2000]
    _xet_round_trip(base, token.group(1), log_path.parent)

    css = requests.get(base + "/static/css/hub.css", timeout=30)
    assert css.status_code == 200
    assert css.headers["Content-Type"].startswith("text/css")
    assert "Content-Security-Policy" in page.headers

    missing = demo.get(base + "/no-such-user/no-such-model/tree/main/x", timeout=30)
    assert missing.status_code == 404
    assert "This page does not exist" in missing.text
    assert "URLconf" not in missing.text  # DEBUG's page lists the URL patterns

    # The database breaks under a signed-in visitor (a session table lost):
    # the answer is the hub's page, with nothing of the error in it.
    db = sqlite3.connect(Path(log_path.parent, "var", "hub.sqlite3"))
    db.execute("ALTER TABLE django_session RENAME TO django_session_lost")
    db.commit()
    db.close()
    broken = demo.get(base + "/models", timeout=30)
    assert broken.status_code == 500
    assert "Something went wrong on our side" in broken.text
    assert 'class="site-header"' in broken.text  # the site's layout
    for leak in ("Traceback", "OperationalError", "django_session", "sqlite"):
        assert leak not in broken.text
    assert "Content-Security-Policy" in broken.headers
