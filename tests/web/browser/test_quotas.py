"""Quotas in the browser: the upload page says why an upload over the quota
is refused (before any byte is sent), and the usage page shows the limits."""

from __future__ import annotations

import os

from playwright.sync_api import expect

from hub.catalog.models import Commit
from hub.storage.models import Blob
from tests.factories import make_repo, make_user

PASSWORD = "correct horse battery staple"


def _sign_in(page, user) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_label(f"Account menu for {user.username}")).to_be_visible()


def test_upload_over_the_quota_is_refused_with_the_reason_and_usage_shown(
    page, tmp_path, settings, screenshot
):
    settings.HUB_QUOTA_STORAGE_BYTES = 100_000
    settings.HUB_QUOTA_REPOS = 3
    owner = make_user("omar", password=PASSWORD)
    repo = make_repo(owner, "full-model", is_private=True)
    commits = Commit.objects.filter(repo=repo).count()
    big = tmp_path / "weights.bin"
    big.write_bytes(os.urandom(150_000))
    _sign_in(page, owner)
    page.goto("/omar/full-model/upload")
    page.set_input_files("#pick-files", [str(big)])
    page.get_by_label("Commit message").fill("Add the weights")
    page.get_by_role("button", name="Commit changes").click()
    expect(page.locator("#upload-message")).to_contain_text(
        "Storage quota of omar exceeded"
    )
    expect(page.locator("#upload-message")).to_contain_text(
        "this upload needs 150 kB more"
    )
    assert Commit.objects.filter(repo=repo).count() == commits
    assert not Blob.objects.filter(size=150_000).exists()

    page.get_by_label("Account menu for omar").click()
    page.get_by_role("link", name="Storage and quotas").click()
    page.wait_for_url("**/settings/usage")
    expect(page.locator("[data-quota=storage]")).to_contain_text("used of 100 kB")
    expect(page.locator("[data-quota=repos]")).to_have_text("1 of 3")
    expect(page.get_by_role("link", name="omar/full-model")).to_be_visible()
    screenshot(page, "usage")
