"""The Content-Security-Policy in a real browser: a model card cannot make
its readers fetch an image from another site (tracking pixels), and the
pages that no other browser test visits render without a violation (the
``csp_violations`` fixture of conftest.py fails any test on one)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hub.accounts.models import User
from tests.factories import commit_files, make_repo, make_user

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"
TRACKED_CARD = b"""---
license: mit
---

# Friendly model

![x](https://tracker.example/p.gif)

![inline](data:image/gif;base64,R0lGODlhAQABAAAAACw=)
"""


def test_card_image_from_another_site_is_not_loaded(page, csp_violations):
    owner = make_user("mallory")
    repo = make_repo(owner, "friendly")
    commit_files(repo, {"README.md": TRACKED_CARD}, author=owner)
    # Any request to the tracker would reach this route (the machine has no
    # network, so without the policy Chromium would still try, and the
    # route would see it); the policy stops it before it leaves.
    tracked: list[str] = []

    def record(route) -> None:
        tracked.append(route.request.url)
        route.abort()

    page.context.route("https://tracker.example/**", record)

    page.goto("/mallory/friendly")
    card = page.locator(".card-body").first
    expect(card).to_contain_text("Friendly model")
    tracker = card.locator('img[src="https://tracker.example/p.gif"]')
    expect(tracker).to_have_count(1)  # the card still says what it wanted
    page.wait_for_load_state("networkidle")

    assert tracked == []
    assert tracker.evaluate("img => img.complete && img.naturalWidth") == 0
    assert any("tracker.example" in v for v in csp_violations), csp_violations
    csp_violations.clear()  # the violation this test provoked on purpose


def test_pages_no_other_browser_test_visits_run_under_the_policy(browser, live_server):
    staff = make_user("staff", password=PASSWORD, is_staff=True)
    User.objects.filter(pk=staff.pk).update(is_superuser=True)
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(20_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        # The API's documentation (Swagger UI, served from the hub itself).
        tab.goto("/api/v1/docs")
        expect(tab.locator(".swagger-ui .info .title")).to_contain_text(
            "Model Commons API"
        )
        # An error page, and the admin's index (its sign-in is the hub's own
        # page, which rate-limits guesses).
        response = tab.goto("/no-such-user/no-such-model/tree/main/x")
        assert response is not None and response.status == 404
        expect(tab.get_by_text("This page does not exist")).to_be_visible()
        tab.goto("/admin/login/?next=/admin/")
        tab.get_by_label("Username").fill("staff")
        tab.get_by_label("Password").fill(PASSWORD)
        tab.get_by_role("button", name="Sign in").click()
        expect(tab.get_by_text("Site administration")).to_be_visible()
        # A new token, selected when focused (once an inline handler).
        tab.goto("/settings/tokens")
        tab.get_by_label("Name").fill("ci")
        tab.get_by_role("button", name="Create token").click()
        tab.locator("#new-token").focus()
        assert tab.evaluate(
            "(f => f.selectionStart === 0 && f.selectionEnd === f.value.length)"
            "(document.activeElement)"
        )
    finally:
        context.close()
    assert errors == []
