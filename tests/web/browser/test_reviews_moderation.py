"""Reviews and moderation in a real browser: jun writes a review and sees the
new average; rita reports it; a moderator hides it from the queue; jun sees
why. One test, three browser contexts (one per person)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from hub.moderation.models import ModerationAction
from hub.notifications.models import Notification
from hub.reviews.services import review_submit
from tests.factories import commit_files, make_repo, make_user
from tests.web.browser.conftest import SCREENSHOTS

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"


def screenshot_path(name: str):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"


def _person(browser, live_server, username):
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(20_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.goto("/login")
    tab.get_by_label("Username").fill(username)
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    expect(tab.get_by_label(f"Account menu for {username}")).to_be_visible()
    return context, tab, errors


def test_review_report_and_moderator_hides_it(browser, live_server):
    maya = make_user("maya", password=PASSWORD)
    jun = make_user("jun", password=PASSWORD)
    make_user("rita", password=PASSWORD)
    make_user("mod", password=PASSWORD, is_staff=True)
    repo = make_repo(maya, "tiny")
    head = commit_files(repo, {"config.json": b"{}"}, author=maya)
    review_submit(repo=repo, author=make_user("ann"), commit=head, rating=5)

    contexts = []
    try:
        # jun writes a review: rating and text; the average follows.
        context, page, errors = _person(browser, live_server, "jun")
        contexts.append((context, errors))
        page.goto("/maya/tiny")
        form = page.get_by_role("form", name="Your review")
        form.get_by_label("3★").check()
        form.get_by_label("Review").fill("Decent, but **slow** on CPU.")
        form.get_by_label("Hardware").fill("Laptop CPU")
        form.get_by_role("button", name="Publish review").click()
        expect(page.get_by_text("Thank you for your review.")).to_be_visible()
        expect(page.locator("[data-rating-average]")).to_have_text("4.0")
        expect(page.get_by_text("2 reviews")).to_be_visible()
        review = page.locator(".review", has_text="Decent, but")
        expect(review.locator("strong", has_text="slow")).to_be_visible()
        expect(review.get_by_text("Laptop CPU")).to_be_visible()
        page.locator("#reviews").scroll_into_view_if_needed()
        page.locator("#reviews").screenshot(path=str(screenshot_path("reviews")))

        # rita reports it.
        context, rita, errors = _person(browser, live_server, "rita")
        contexts.append((context, errors))
        rita.goto("/maya/tiny")
        rita.locator(".review", has_text="Decent, but").get_by_role(
            "link", name="Report"
        ).click()
        expect(rita.get_by_role("heading", name="Report a review")).to_be_visible()
        rita.get_by_label("Harassment or hateful content").check()
        rita.get_by_label("Details").fill("Insulting the authors.")
        rita.get_by_role("button", name="Send report").click()
        expect(rita).to_have_url(re.compile(r"/maya/tiny#review-\d+$"))
        expect(rita.get_by_text("the moderators will look")).to_be_visible()

        # The moderator hides it from the queue, with a reason.
        context, mod, errors = _person(browser, live_server, "mod")
        contexts.append((context, errors))
        mod.goto("/moderation")
        report = mod.locator(".report", has_text="Insulting the authors.")
        report.get_by_label("Reason (shown to the author)").fill("Personal attack")
        report.get_by_role("button", name="Hide review").click()
        expect(mod.get_by_text("Done: hid a review")).to_be_visible()
        expect(mod.get_by_text("No open reports.")).to_be_visible()

        # Others no longer see it; jun sees it hidden, with the reason.
        rita.reload()
        expect(rita.get_by_text("Decent, but")).to_have_count(0)
        page.goto("/maya/tiny")
        hidden = page.locator(".review", has_text="Decent, but")
        expect(hidden.get_by_text("Hidden by a moderator.")).to_be_visible()
        expect(hidden.get_by_text("Personal attack")).to_be_visible()
        expect(page.locator("[data-rating-average]")).to_have_text("5.0")
    finally:
        for context, errors in contexts:
            context.close()
            assert not errors, f"JavaScript errors: {errors}"

    entry = ModerationAction.objects.get()
    assert (entry.actor_username, entry.action, entry.reason) == (
        "mod",
        "hide_review",
        "Personal attack",
    )
    assert Notification.objects.filter(recipient=jun, kind="moderation").exists()


def test_org_admin_reads_reports_without_reporter_and_cannot_undo_staff(
    browser, live_server
):
    """Issue 13, hole 7: mallory created the org, so she administers its
    repo; staff locked a thread there and rita reported a comment. The
    queue shows her the report but not who sent it, nor a way to decide
    it; the thread offers her no Unlock."""
    from hub.accounts.actors import Actor
    from hub.community.services.comments import comment_create
    from hub.community.services.discussions import discussion_create
    from hub.moderation.services.commands import moderation_act
    from hub.moderation.services.reports import report_create
    from tests.factories import make_org

    mallory = make_user("mallory", password=PASSWORD)
    repo = make_repo(make_org("lab", creator=mallory), "model", creator=mallory)
    commit_files(repo, {"config.json": b"{}"}, author=mallory)
    troll = make_user("troll")
    talk = discussion_create(repo=repo, author=troll, title="Heated")
    comment = comment_create(discussion=talk, author=troll, content="rude")
    report_create(
        actor=Actor.of(make_user("rita")),
        reason="abuse",
        text="Insulting people.",
        comment=comment,
    )
    moderation_act(
        actor=Actor.of(make_user("mod", is_staff=True)),
        action="lock_discussion",
        target=f"lab/model#{talk.num}",
        reason="Cooling down",
    )

    context, page, errors = _person(browser, live_server, "mallory")
    try:
        page.goto("/moderation")
        report = page.locator(".report", has_text="Insulting people.")
        expect(report).to_be_visible()
        expect(report.get_by_text("Hub staff decide this report.")).to_be_visible()
        expect(report.get_by_role("button", name="Dismiss report")).to_have_count(0)
        expect(page.get_by_text("rita")).to_have_count(0)

        page.goto(f"/lab/model/discussions/{talk.num}")
        expect(page.get_by_text("Locked by hub staff")).to_be_visible()
        expect(page.get_by_role("button", name="Unlock")).to_have_count(0)
    finally:
        context.close()
        assert not errors, f"JavaScript errors: {errors}"
