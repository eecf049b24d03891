"""The operator commands as an operator runs them: ``manage.py`` processes.

Exit statuses, stdout that is only the JSON answer, the progress bar on
stderr only (drawn when stderr is a terminal: a pseudo-terminal here), and
rescan's messages on the embedded filesystem broker.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from django.conf import settings

from hub.jobs.models import ValidationRun
from hub.storage.stores import raw_store
from tests.databases import child_database_url
from tests.factories import commit_files, make_repo

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.slow,
]


@pytest.fixture
def env(tmp_path):
    """The hub's own settings on the test's database and blob root, with the
    embedded broker (no broker URL) under a folder of the test."""
    child = {
        key: value
        for key, value in os.environ.items()
        if key not in ("REDIS_URL", "CELERY_BROKER_URL", "HUB_CACHE_URL")
    }
    child.update(
        DJANGO_SETTINGS_MODULE="hub.settings",
        DATABASE_URL=child_database_url(),
        HUB_BLOB_ROOT=str(settings.HUB_BLOB_ROOT),
        HUB_VAR_DIR=str(tmp_path / "var"),
        COLUMNS="100",
    )
    return child


@pytest.fixture
def repo(owner):
    repo = make_repo(owner, "cli")
    commit_files(repo, {"a.txt": b"a", "b.txt": b"b"}, author=owner)
    ValidationRun.objects.update(status="succeeded")
    return repo


def manage(env, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def manage_on_terminal(env, *args: str) -> tuple[int, str, str]:
    """(status, stdout, stderr) with stderr a terminal and stdout a pipe."""
    master, slave = pty.openpty()
    # A terminal 100 columns wide (a new one is 0x0: tqdm would draw nothing).
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    proc = subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=slave,
    )
    os.close(slave)
    drawn = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        drawn += chunk
    os.close(master)
    assert proc.stdout is not None
    out = proc.stdout.read().decode()
    return proc.wait(timeout=180), out, drawn.decode(errors="replace")


def test_fsck_exits_0_when_sound_and_1_with_a_problem(env, repo):
    sound = manage(env, "hub_fsck", "--json")
    assert sound.returncode == 0, sound.stderr
    assert json.loads(sound.stdout)["ok"] is True
    blob = repo.commits.order_by("-pk").first().entries.get(path="a.txt").blob_id
    raw_store().delete(blob)
    broken = manage(env, "hub_fsck", "--json")
    assert broken.returncode == 1
    report = json.loads(broken.stdout)  # stdout stays pure JSON
    assert {(f["problem"], f["subject"]) for f in report["findings"]} >= {
        ("missing", blob)
    }
    assert "problems found." in broken.stderr
    assert "%|" not in broken.stderr  # no bar when stderr is not a terminal


@pytest.mark.parametrize(
    ("args", "label"),
    [
        (("hub_stats",), "counting"),
        (("hub_fsck",), "fsck"),
        (("hub_reindex", "--all"), "reindex"),
        (("hub_rescan", "--all", "--dry-run"), "rescan"),
    ],
)
def test_the_progress_bar_goes_to_stderr_and_stdout_is_the_json(env, repo, args, label):
    status, out, drawn = manage_on_terminal(env, *args, "--json")
    assert status == 0, drawn
    json.loads(out)
    assert label in drawn and "100%" in drawn
    assert "100%" not in out


def test_rescan_queues_on_the_embedded_filesystem_broker(env, repo, tmp_path):
    queue = tmp_path / "var" / "broker" / "queue"
    queue.mkdir(parents=True)  # as the worker does when it starts
    done = manage(env, "hub_rescan", repo.full_name, "--json")
    assert done.returncode == 0, done.stderr
    queued = json.loads(done.stdout)["queued"]
    assert len(queued) == 4  # .gitattributes, a.txt, b.txt, the repo check
    messages = list(queue.iterdir())
    assert len(messages) == 4
    assert ValidationRun.objects.filter(status="queued").count() == 4


def test_bad_arguments_exit_non_zero_with_the_reason(env, db):
    for args, reason in (
        (("hub_rescan",), "or --all"),
        (("hub_reindex", "nobody/none"), "There is no repo nobody/none"),
        (("hub_fsck", "--grace-seconds", "-5"), "0 or more"),
    ):
        done = manage(env, *args)
        assert done.returncode != 0 and reason in done.stderr
