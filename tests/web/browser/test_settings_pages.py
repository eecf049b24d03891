"""Settings pages in a real browser: a repo admin makes a model private,
renames it and follows the old address, deletes it by typing its id; a
user creates a token limited to one model; an org admin manages members."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from hub.accounts.models import ApiToken, Membership
from hub.catalog.models import ModelRepo
from tests.factories import commit_files, make_org, make_repo, make_user

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"


def _sign_in(page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_label(f"Account menu for {username}")).to_be_visible()


def test_repo_admin_makes_private_renames_and_deletes(page, screenshot):
    maya = make_user("maya", password=PASSWORD)
    repo = make_repo(maya, "tiny")
    commit_files(repo, {"README.md": b"# Tiny\n"}, author=maya)
    _sign_in(page, "maya")

    page.goto("/maya/tiny")
    page.get_by_role("navigation", name="Model").get_by_role(
        "link", name="Settings"
    ).click()
    expect(page).to_have_url(re.compile(r"/maya/tiny/settings$"))
    page.get_by_role("button", name="Make private").click()
    expect(page.get_by_text("maya/tiny is now private.")).to_be_visible()
    expect(page.locator(".repo-header .badge.private").first).to_have_text(
        re.compile("Private")
    )

    move = page.locator("#move")
    move.get_by_label("Model name").fill("tiny-v2")
    move.get_by_role("button", name="Rename or transfer").click()
    expect(page.get_by_text("maya/tiny is now maya/tiny-v2")).to_be_visible()
    page.goto("/maya/tiny")
    expect(page).to_have_url(re.compile(r"/maya/tiny-v2$"))
    expect(page.locator(".repo-title .name")).to_have_text("tiny-v2")

    page.goto("/maya/tiny-v2/settings")
    screenshot(page, "repo-settings", full_page=True)
    delete = page.locator("#delete")
    delete.get_by_label("Type maya/tiny-v2 to confirm").fill("maya/tiny")
    delete.get_by_role("button", name="Delete this model").click()
    expect(page.get_by_role("alert")).to_contain_text("nothing was deleted")
    assert ModelRepo.objects.filter(name="tiny-v2").exists()
    delete = page.locator("#delete")
    delete.get_by_label("Type maya/tiny-v2 to confirm").fill("maya/tiny-v2")
    delete.get_by_role("button", name="Delete this model").click()
    expect(page.get_by_text("maya/tiny-v2 was deleted.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/maya$"))
    assert not ModelRepo.objects.filter(name="tiny-v2").exists()


def test_token_with_a_repo_limit_and_org_members(page):
    maya = make_user("maya", password=PASSWORD)
    make_user("jun")
    org = make_org("lab", creator=maya)
    _sign_in(page, "maya")

    page.goto("/settings/tokens")
    page.get_by_label("Name").fill("ci")
    page.get_by_label(re.compile("Write —")).check()
    page.get_by_label("Expires").select_option("30")
    page.get_by_label("Limit to models").fill("lab/weights")
    page.get_by_role("button", name="Create token").click()
    expect(page.locator("#new-token")).to_have_value(re.compile(r"^mc_"))
    expect(page.get_by_label("Models of ci")).to_have_text("lab/weights")
    token = ApiToken.objects.get(name="ci")
    assert (token.scope, token.repo_ids) == ("write", ["lab/weights"])

    page.goto("/organizations/lab/members")
    add = page.get_by_role("form", name="Add a member")
    add.get_by_label("Username").fill("jun")
    add.get_by_label("Role").select_option("write")
    add.get_by_role("button", name="Add member").click()
    expect(page.get_by_text("jun is now Write.")).to_be_visible()
    # The role select submits itself when changed (hub.js).
    page.get_by_label("Role of jun").select_option("admin")
    expect(page.get_by_text("jun is now Admin.")).to_be_visible()
    page.get_by_label("Role of maya").select_option("read")
    expect(page.get_by_text("maya is now Read.")).to_be_visible()
    assert Membership.objects.get(organization=org, user=maya).role == "read"
    # maya is no longer an admin: the page shows the list only.
    expect(page.get_by_role("button", name="Add member")).to_have_count(0)
    expect(page.get_by_role("button", name="Remove jun")).to_have_count(0)
