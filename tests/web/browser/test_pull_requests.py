"""Pull requests in a real browser: a stranger proposes an edit from the
web, a validation worker checks it while the page watches, the owner is
notified, reviews and merges. Saves docs/screenshots/pull-request.png."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from hub.catalog.models import ModelRepo
from hub.catalog.revisions import revision_resolve
from hub.storage.selectors import blob_read_bytes
from tests.e2e.conftest import WorkerProcess
from tests.factories import commit_files, make_repo, make_user

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def validation_worker(tmp_path):
    worker = WorkerProcess(["validation"], tmp_path / "worker.log", {})
    try:
        yield worker.wait_ready()
    finally:
        worker.stop()


def _sign_in(page, user) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_label(f"Account menu for {user.username}")).to_be_visible()


def _sign_out(page, user) -> None:
    page.get_by_label(f"Account menu for {user.username}").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def test_stranger_edits_a_file_as_a_pr_and_the_owner_merges_it(
    page, screenshot, validation_worker
):
    maya = make_user("maya", password=PASSWORD)
    jun = make_user("jun", password=PASSWORD)
    repo = make_repo(maya, "tiny-llama")
    commit_files(
        repo,
        {
            "README.md": b"---\nlicense: apache-2.0\n---\n# Tiny llama\n",
            "config.json": b'{"model_type": "llama", "hidden_size": 8}\n',
        },
        author=maya,
        title="Add the model",
    )

    # jun proposes a change to config.json from its file editor.
    _sign_in(page, jun)
    page.goto("/maya/tiny-llama/edit/main/config.json")
    expect(page.get_by_text("proposed as a pull request")).to_be_visible()
    page.get_by_label("File content").fill(
        '{"model_type": "llama", "hidden_size": 16}\n'
    )
    page.get_by_label("Commit message").fill("Double the hidden size")
    page.get_by_role("button", name="Open pull request").click()
    expect(page).to_have_url(re.compile(r"/maya/tiny-llama/discussions/1$"))
    expect(
        page.get_by_role("heading", name=re.compile("Double the hidden"))
    ).to_be_visible()
    expect(page.get_by_role("button", name="Merge pull request")).to_have_count(0)
    _sign_out(page, jun)

    # maya sees the badge, opens the notification, watches the checks pass.
    _sign_in(page, maya)
    badge = page.locator("[data-unread-count]")
    expect(badge).to_have_text("1")
    page.get_by_role("link", name=re.compile("Notifications")).click()
    page.get_by_role(
        "button",
        name="jun opened pull request #1 on maya/tiny-llama: Double the hidden size",
        exact=True,
    ).click()
    expect(page).to_have_url(re.compile(r"/maya/tiny-llama/discussions/1$"))
    expect(page.locator("[data-pr-checks]")).to_contain_text(
        "All checks passed", timeout=60_000
    )
    merge = page.get_by_role("button", name="Merge pull request")
    expect(merge).to_be_enabled()
    expect(page.locator("[data-unread-count]")).to_have_count(0)

    page.get_by_label("Review comment").fill("Thanks, **looks right**.")
    page.get_by_role("button", name="Submit review").click()
    expect(page.get_by_text("Review submitted.")).to_be_visible()
    expect(page.locator("[data-review-state]")).to_have_text("Approved")
    screenshot(page, "pull-request", full_page=True)

    page.get_by_role("link", name="Files changed").click()
    expect(
        page.get_by_text('+{"model_type": "llama", "hidden_size": 16}')
    ).to_be_visible()
    page.get_by_role("link", name="Conversation").click()
    page.get_by_role("button", name="Merge pull request").click()
    expect(
        page.get_by_role("status").filter(has_text="Merged into main")
    ).to_be_visible()
    expect(page.locator(".discussion-head .badge.status-merged")).to_have_text("Merged")

    repo = ModelRepo.objects.get(pk=repo.pk)
    entry = revision_resolve(repo=repo, revision="main").entries.get(path="config.json")
    assert b'"hidden_size": 16' in blob_read_bytes(sha256=entry.blob_id, limit=4096)
