"""Dataset pages in a real browser: browse /datasets by facet, open a
dataset, watch its viewer fill in once the worker has read the file, follow
its files and the model trained on it; a signed-in user creates a dataset
from the form and finds it on their profile."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from hub.catalog.models import ModelRepo
from hub.viewer.services import blob_previews_request
from tests.factories import commit_files, make_repo, make_user
from workers.viewer import preview_blob

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"
CARD = b"""---
license: mit
language: [en]
task_categories: [text-classification]
size_categories: [n<1K]
---

# Reviews

Short **reviews**, each with a label.
"""


def _sign_in(page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_label(f"Account menu for {username}")).to_be_visible()


def _world() -> ModelRepo:
    owner = make_user("owner", password=PASSWORD)
    dataset = make_repo(owner, "reviews", repo_type="dataset")
    commit_files(
        dataset,
        {
            "README.md": CARD,
            "train.csv": b"text,label\ngreat film,1\ndull plot,0\n",
        },
        author=owner,
    )
    other = make_repo(owner, "corpus", repo_type="dataset")
    commit_files(other, {"README.md": b"# Corpus\n", "notes.txt": b"hello\n"})
    model = make_repo(owner, "clf")
    commit_files(model, {"README.md": b"---\ndatasets: [owner/reviews]\n---\n# C\n"})
    return dataset


def _compute_viewer(dataset: ModelRepo) -> None:
    """What the worker does after the commit: read each data file once."""
    head = dataset.refs.get(name="main").commit
    for preview in blob_previews_request(commit=head):
        preview_blob.apply(args=(preview.pk,))


def test_visitor_browses_datasets_and_reads_the_viewer(page, screenshot):
    dataset = _world()

    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Datasets"
    ).click()
    expect(page).to_have_url(re.compile(r"/datasets$"))
    expect(page.get_by_role("status").first).to_have_text(re.compile("2 datasets"))
    page.get_by_role("list", name="Formats").get_by_role(
        "link", name=re.compile("csv")
    ).click()
    expect(page).to_have_url(re.compile(r"file_format=csv"))
    expect(page.get_by_text("1 dataset", exact=True)).to_be_visible()
    page.get_by_role("link", name="owner/reviews").click()

    expect(page).to_have_url(re.compile(r"/datasets/owner/reviews$"))
    expect(page.get_by_role("heading", name="Reviews", exact=True)).to_be_visible()
    viewer = page.locator("#viewer")
    expect(viewer).to_contain_text("train")
    # The worker reads the file after the page is open: the panel updates.
    _compute_viewer(dataset)
    expect(viewer.get_by_role("cell", name="great film")).to_be_visible(timeout=30_000)
    expect(viewer.get_by_role("columnheader", name=re.compile("label"))).to_be_visible()
    expect(viewer).to_contain_text("2 rows")
    screenshot(page, "dataset-page")

    trained = page.locator("#trained-models")
    expect(trained.get_by_role("link", name="owner/clf")).to_be_visible()
    page.get_by_role("navigation", name="Dataset").get_by_role(
        "link", name="Files and versions"
    ).click()
    expect(page).to_have_url(re.compile(r"/datasets/owner/reviews/tree/main$"))
    expect(page.get_by_role("link", name="train.csv", exact=True)).to_be_visible()

    page.goto("/owner/clf")
    page.locator("[data-dataset-links]").get_by_role(
        "link", name="owner/reviews"
    ).click()
    expect(page).to_have_url(re.compile(r"/datasets/owner/reviews$"))


def test_signed_in_user_creates_a_dataset(page):
    make_user("maya", password=PASSWORD)
    _sign_in(page, "maya")

    page.goto("/new")
    page.get_by_role("radio", name=re.compile("Dataset — ")).check()
    page.get_by_label("Name", exact=True).fill("fresh-data")
    page.locator("#id_license").select_option("mit")
    page.get_by_role("button", name="Create repository").click()

    page.wait_for_url("**/datasets/maya/fresh-data/upload")
    page.goto("/datasets/maya/fresh-data")
    expect(page.locator("[data-repo-type]")).to_have_text("Dataset")
    expect(page.get_by_text("No data files the viewer reads")).to_be_visible()
    page.get_by_role("navigation", name="Dataset").get_by_role(
        "link", name="Settings"
    ).click()
    expect(page).to_have_url(re.compile(r"/datasets/maya/fresh-data/settings$"))

    page.goto("/maya")
    expect(
        page.locator("#datasets-title")
        .locator("xpath=../..")
        .get_by_role("link", name="maya/fresh-data")
    ).to_be_visible()
