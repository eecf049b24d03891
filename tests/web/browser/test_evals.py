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


def test_leaderboard_ranks_results_on_a_dataset_apart_and_names_its_commit(
    browser, live_server
):
    from tests.api.v1.fixtures_resources import client_for, token_for

    owner = make_user("maya")
    repo = make_repo(owner, "tiny-lm")
    commit = commit_files(repo, causal_files(seed=12), author=owner)
    finish_validation(commit)
    finish_eval(claim_next(), value=1.25)
    data = make_repo(owner, "prose", repo_type="dataset")
    data_commit = commit_files(data, {"test.txt": b"one\ntwo\n"}, author=owner)
    asked = client_for(token_for(owner)).post(
        f"/api/v1/models/{repo.full_name}/evals",
        {"dataset": "maya/prose"},
        format="json",
    )
    assert asked.status_code == 202, asked.json()
    finish_eval(claim_next(), value=3.5)

    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto("/leaderboard/causal_lm")
    table = page.get_by_role("table", name="Held-out text (causal LM) leaderboard")
    expect(table).to_contain_text("1.2500")
    expect(table).not_to_contain_text("3.5000")
    expect(table).to_contain_text("model-commons/heldout-en-v1")
    boards = page.get_by_role("navigation", name="Held-out data")
    expect(boards.get_by_role("link", name="maya/prose test")).to_have_attribute(
        "href", "/leaderboard/causal_lm?dataset=maya/prose&split=test"
    )
    page.get_by_label("Dataset").fill("maya/prose")
    page.get_by_label("Split").fill("test")
    page.get_by_role("button", name="Filter").click()
    expect(table).to_contain_text("3.5000")
    expect(table).not_to_contain_text("1.2500")
    link = table.get_by_role("link", name="maya/prose")
    expect(link).to_have_attribute(
        "href", f"/datasets/maya/prose/tree/{data_commit.oid}"
    )
    page.goto(f"/{repo.full_name}")
    expect(page.locator("#evals .eval-data")).to_contain_text(
        [
            "model-commons/heldout-en-v1 (shipped with the eval suite)",
            f"datasets/maya/prose · split test · column text · commit "
            f"{data_commit.oid[:7]}",
        ]
    )
    context.close()
