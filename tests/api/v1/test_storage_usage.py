"""Storage accounting (issue 15): logical vs stored bytes per repo and for the
hub, through /api/v1 and on the model page, with Xet rows built directly."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.template.defaultfilters import filesizeformat
from rest_framework.test import APIClient

from api.v1.throttling import IpRateThrottle, TokenRateThrottle
from hub.catalog.models import ModelRepo
from hub.catalog.services.commits import commit_create
from hub.catalog.services.operations import AddFile, DeleteFile
from hub.catalog.storage_usage import hub_storage_usage, repo_storage_usage
from hub.storage.models import Blob, XetXorb
from tests.factories import commit_files, make_repo
from tests.storage.xet_rows import make_xet_blob, make_xet_file, make_xorb

LIST = "/api/v1/models"


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    cache.clear()  # the hub-wide figure is cached
    monkeypatch.setattr(IpRateThrottle, "allow_request", lambda *a, **k: True)
    monkeypatch.setattr(TokenRateThrottle, "allow_request", lambda *a, **k: True)
    yield
    cache.clear()


def commit_blobs(repo: ModelRepo, author, files: dict[str, Blob]) -> None:
    commit_create(
        repo=repo,
        operations=[AddFile(path, blob.sha256) for path, blob in files.items()],
        title="Add weights",
        author=author,
    )


@dataclass
class Hub:
    base: ModelRepo
    tune: ModelRepo
    shared: list[XetXorb]  # the base's xorbs, reused by the fine-tune
    changed: XetXorb  # what the fine-tune uploaded of its own
    readme: int  # bytes of each repo's README (stored in the blob store)
    attributes: int  # the .gitattributes every new repo starts with


@pytest.fixture
def hub(owner) -> Hub:
    """A base model stored through Xet and a fine-tune sharing most of it."""
    readme = b"---\nlicense: mit\n---\n# Model\n"
    shared = [make_xorb(4000), make_xorb(3000)]
    changed = make_xorb(500)
    base = make_repo(owner, "base")
    attributes = repo_storage_usage(repo=base).logical_bytes
    commit_files(base, {"README.md": readme}, author=owner)
    base_weights = make_xet_blob(make_xet_file(shared, size=7000))
    commit_blobs(base, owner, {"model.safetensors": base_weights})
    tune = make_repo(owner, "tune")
    commit_files(tune, {"README.md": readme + b"Fine-tuned.\n"}, author=owner)
    tune_weights = make_xet_blob(make_xet_file([shared[0], changed], size=4500))
    commit_blobs(tune, owner, {"model.safetensors": tune_weights})
    return Hub(base, tune, shared, changed, len(readme), attributes)


def test_repo_detail_shows_logical_and_stored_bytes(hub):
    body = APIClient().get(f"{LIST}/owner/tune").json()

    readme = hub.attributes + hub.readme + len(b"Fine-tuned.\n")
    # Logical: the README and the weights' size; stored: the README and
    # the two xorbs the weights use (each counted whole).
    assert body["storage"] == {
        "logical_bytes": readme + 4500,
        "stored_bytes": readme + 4000 + 500,
    }


def test_history_counts_each_file_once_and_keeps_replaced_files(owner):
    repo = make_repo(owner, "history")
    attributes = repo_storage_usage(repo=repo).logical_bytes
    commit_files(repo, {"a.bin": b"a" * 100, "b.bin": b"b" * 50}, author=owner)
    commit_files(repo, {"note.txt": b"n" * 10}, author=owner)  # a, b kept
    commit_create(
        repo=repo, operations=[DeleteFile("a.bin")], title="Drop a", author=owner
    )

    body = APIClient().get(f"{LIST}/owner/history").json()

    total = attributes + 160
    assert body["storage"] == {"logical_bytes": total, "stored_bytes": total}


def test_hub_wide_counts_each_xorb_once(hub):
    body = APIClient().get("/api/v1/storage").json()

    # The two repos' .gitattributes are the same file: counted once.
    readmes = hub.attributes + 2 * hub.readme + len(b"Fine-tuned.\n")
    assert body == {
        "logical_bytes": readmes + 7000 + 4500,
        "stored_bytes": readmes + 4000 + 3000 + 500,
    }


def test_uncommitted_and_foreign_content_is_not_counted(hub, owner):
    make_xet_blob(make_xet_file([make_xorb(9999)]))  # uploaded, never committed
    empty = make_repo(owner, "empty")

    assert APIClient().get(f"{LIST}/owner/empty").json()["storage"] == {
        "logical_bytes": hub.attributes,
        "stored_bytes": hub.attributes,
    }
    assert hub_storage_usage().stored_bytes < 9999
    assert repo_storage_usage(repo=empty).dedup_percent == 0


def test_a_private_repo_s_figures_are_for_those_who_see_it(owner, stranger):
    make_repo(owner, "hidden", is_private=True)
    client = APIClient()
    client.force_authenticate(stranger)

    assert client.get(f"{LIST}/owner/hidden").status_code == 404


def test_figures_are_two_queries_whatever_the_number_of_files(
    hub, owner, django_assert_num_queries
):
    for n in range(5):
        xorbs = [make_xorb(100), make_xorb(100)]
        commit_blobs(
            hub.tune, owner, {f"w-{n}.safetensors": make_xet_blob(make_xet_file(xorbs))}
        )
    commit_files(hub.tune, {f"f{n}.txt": b"x" * n for n in range(10)}, author=owner)

    with django_assert_num_queries(2):
        repo_storage_usage(repo=hub.tune)
    with django_assert_num_queries(2):
        hub_storage_usage()
    with django_assert_num_queries(0):  # cached
        hub_storage_usage()


def test_model_page_shows_stored_of_logical_with_dedup(client, hub, owner):
    tune_weights = make_xet_blob(make_xet_file(hub.shared, size=7000))
    commit_blobs(hub.tune, owner, {"copy-of-base.safetensors": tune_weights})

    html = client.get("/owner/tune").content.decode()

    # Logical 4500 + 7000 + the README; stored: three xorbs (7500) + README.
    readme = hub.attributes + hub.readme + len(b"Fine-tuned.\n")
    logical, stored = readme + 11500, readme + 7500
    usage = repo_storage_usage(repo=hub.tune)
    assert (usage.logical_bytes, usage.stored_bytes) == (logical, stored)
    percent = int(100 * (1 - stored / logical))
    assert "<dt>Stored</dt>" in html
    assert f"logical (dedup {percent}%)" in html
    shown = f"{filesizeformat(stored)} of {filesizeformat(logical)} logical"
    assert shown in html
