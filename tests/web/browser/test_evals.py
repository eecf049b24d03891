"""The model page's evaluation section updates itself: a visitor watches a
queued evaluation finish and its numbers appear without reloading."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factories import commit_files, make_repo, make_user
from tests.jobs.test_eval_runs import (
    causal_files,
    claim_next,
    finish_eval,
    finish_validation,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_eval_numbers_appear_while_the_page_is_open(browser, live_server):
    owner = make_user("maya")
    repo = make_repo(owner, "tiny-lm")
    commit = commit_files(repo, causal_files(seed=11), author=owner)
    finish_validation(commit)

    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(20_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"/{repo.full_name}")
    section = page.locator("#evals")
    expect(section).to_contain_text("Waiting")
    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))

    finish_eval(claim_next(), value=1.25)

    expect(section).to_contain_text("1.2500")
    expect(section.locator(".badge.ok")).to_have_text("verified")
    expect(section).to_have_attribute("data-state", "done")
    assert navigations == []  # updated in place, not reloaded
    assert errors == []
    context.close()
