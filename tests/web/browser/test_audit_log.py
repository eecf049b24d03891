"""The audit log in a real browser: staff open it from their menu, search it
by action and text, and export what they found; an organisation's admin
opens their organisation's log from its members page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from hub.audit.services import audit_record
from tests.factories import make_org, make_user

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"


def sign_in(page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_label(f"Account menu for {username}")).to_be_visible()


def test_staff_search_the_audit_log_and_export_it(page, screenshot):
    make_user("mod", password=PASSWORD, is_staff=True)
    alice = make_user("alice", password=PASSWORD)
    make_org("lab", creator=alice)
    audit_record("repo.delete", actor=alice, organization="lab", repo="lab/old")
    audit_record("repo.visibility", actor=alice, organization="lab", repo="lab/kept")

    sign_in(page, "mod")
    page.get_by_label("Account menu for mod").click()
    page.get_by_role("link", name="Audit log").click()
    table = page.get_by_role("table", name="Audit events")
    expect(table).to_contain_text("lab/old")
    expect(table).to_contain_text("auth.sign_in")  # mod's own sign-in

    page.get_by_label("Action").select_option("repo.delete")
    page.get_by_label("Text").fill("lab/")
    page.get_by_role("button", name="Search").click()
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text("lab/old")
    expect(table).not_to_contain_text("lab/kept")
    screenshot(page, "audit-log")

    with page.expect_download() as download:
        page.get_by_role("link", name="Export JSON lines").click()
    lines = Path(download.value.path()).read_text().splitlines()
    assert [json.loads(line)["repo"] for line in lines] == ["lab/old"]

    page.get_by_label("From").fill("2999-01-01")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("No events match these filters.")).to_be_visible()


def test_an_org_admin_opens_the_org_log_from_the_members_page(page):
    alice = make_user("alice", password=PASSWORD)
    bob = make_user("bob", password=PASSWORD)
    make_org("lab", creator=alice)
    make_org("other", creator=bob)
    audit_record("repo.delete", actor=bob, organization="other", repo="other/x")

    sign_in(page, "alice")
    page.goto("/organizations/lab/members")
    page.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", name="Audit log of lab")).to_be_visible()
    table = page.get_by_role("table", name="Audit events")
    expect(table).to_contain_text("org.create")
    expect(table).not_to_contain_text("other/x")
