"""Dataset previews end to end: a commit to a dataset queues them, the
worker task computes them in the sandboxed child, the selector shows them
per config and split. Runs on PostgreSQL and on the embedded SQLite."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from hub.accounts.actors import Actor
from hub.viewer.models import BlobPreview
from hub.viewer.selectors import dataset_view_get
from hub.viewer.services import (
    blob_preview_claim,
    blob_preview_error,
    blob_previews_reconcile,
    blob_previews_request,
)
from tests.factories import commit_files, make_repo
from tests.viewer.hostile import parquet_bytes, truncated_footer
from workers.viewer import preview_blob

CSV_ROWS = b"q,a\n" + b"".join(f"q{i},{i}\n".encode() for i in range(30))


def run_all_previews() -> None:
    for pk in BlobPreview.objects.filter(status="queued").values_list("pk", flat=True):
        preview_blob(pk)


@pytest.fixture
def dataset(owner):
    return make_repo(owner, "questions", repo_type="dataset")


@pytest.mark.django_db
def test_a_dataset_commit_queues_one_preview_per_data_file(
    dataset, owner, django_capture_on_commit_callbacks
):
    files = {"README.md": b"# q", "train.csv": CSV_ROWS, "test.jsonl": b'{"a": 1}\n'}
    model = make_repo(owner, "same-files-as-a-model")
    with django_capture_on_commit_callbacks() as as_model:
        commit_files(model, files, author=owner)
    with django_capture_on_commit_callbacks() as as_dataset:
        commit_files(dataset, files, author=owner)
    assert sorted(BlobPreview.objects.values_list("format", "status")) == [
        ("csv", "queued"),
        ("jsonl", "queued"),
    ]
    # The checks' sends, plus one per preview, once the commit is visible.
    assert len(as_dataset) == len(as_model) + 2


@pytest.mark.django_db
def test_models_and_spaces_get_no_previews(owner):
    for kind in ("model", "space"):
        repo = make_repo(owner, f"not-data-{kind}", repo_type=kind)
        commit_files(repo, {"train.csv": CSV_ROWS}, author=owner)
    assert not BlobPreview.objects.exists()


@pytest.mark.django_db
def test_the_same_content_in_two_repos_is_read_once(dataset, owner):
    commit_files(dataset, {"train.csv": CSV_ROWS}, author=owner)
    run_all_previews()
    other = make_repo(owner, "copy", repo_type="dataset")
    commit = commit_files(other, {"data/train.csv": CSV_ROWS}, author=owner)
    assert BlobPreview.objects.count() == 1
    preview = BlobPreview.objects.get()
    assert preview.status == "ready" and preview.attempts == 1
    assert blob_previews_request(commit=commit) == [preview]


@pytest.mark.django_db
def test_worker_computes_and_selector_merges_splits(dataset, owner):
    files = {
        "data/train-00000-of-00002.parquet": parquet_bytes(60, row_group_size=25),
        "data/train-00001-of-00002.parquet": parquet_bytes(500, row_group_size=50),
        "data/test-00000-of-00001.parquet": parquet_bytes(10),
        "README.md": b"---\nlicense: mit\n---\n# Questions\n",
    }
    commit = commit_files(dataset, files, author=owner)
    actor = Actor.of(owner)
    pending = dataset_view_get(actor=actor, repo=dataset, commit=commit)
    assert pending.status == "pending"
    assert [s.status for s in pending.configs[0].splits] == ["pending", "pending"]
    run_all_previews()
    view = dataset_view_get(actor=actor, repo=dataset, commit=commit)
    assert view.status == "ready"
    (config,) = view.configs
    assert (config.name, config.is_default) == ("default", True)
    train, test = config.splits
    assert (train.name, test.name) == ("train", "test")
    assert train.num_rows == 560 and train.num_rows_exact
    assert train.num_bytes == sum(len(files[p]) for p in files if "/train-" in p)
    assert [f.path for f in train.files] == sorted(p for p in files if "/train-" in p)
    assert train.features[0] == {"name": "id", "type": "int64"}
    # 60 rows of the first shard, then 40 of the second
    assert [r["id"] for r in train.rows] == list(range(60)) + list(range(40))
    assert test.num_rows == 10 and len(test.rows) == 10


@pytest.mark.django_db
def test_a_corrupt_file_is_a_message_in_its_split_not_an_error(dataset, owner):
    card = (
        b"---\nconfigs:\n"
        b"- config_name: p\n  data_files: [{split: train, path: train.parquet}]\n"
        b"- config_name: c\n  data_files: [{split: test, path: test.csv}]\n"
        b"- config_name: j\n  data_files: [{split: validation, path: v.jsonl}]\n"
        b"---\n"
    )
    commit = commit_files(
        dataset,
        {
            "README.md": card,
            "train.parquet": truncated_footer(parquet_bytes(100)),
            "test.csv": b'a,b\n1,"x"y\n',
            "v.jsonl": b'{"a": 1}\n',
        },
        author=owner,
    )
    run_all_previews()
    view = dataset_view_get(actor=Actor.of(owner), repo=dataset, commit=commit)
    assert [c.name for c in view.configs] == ["p", "c", "j"]
    splits = {s.name: s for c in view.configs for s in c.splits}
    assert view.status == "error"
    assert splits["train"].status == "error"
    assert splits["train"].message.startswith("train.parquet: The footer cannot")
    assert splits["test"].message == "test.csv: Line 2: ',' expected after '\"'."
    assert splits["test"].rows == [] and splits["test"].num_rows is None
    assert splits["validation"].status == "ready"
    assert splits["validation"].rows == [{"a": 1}]
    stored = BlobPreview.objects.get(format="csv")
    assert (stored.code, stored.facts) == ("csv.bad_line", {"line": 2})


@pytest.mark.django_db
def test_rows_of_unchecked_files_are_withheld_from_strangers(dataset, owner, stranger):
    commit = commit_files(
        dataset, {"train.parquet": parquet_bytes(30)}, author=owner, checked=False
    )
    run_all_previews()
    theirs = dataset_view_get(actor=Actor.of(stranger), repo=dataset, commit=commit)
    (split,) = theirs.configs[0].splits
    assert split.rows == [] and split.files[0].status == "withheld"
    anonymous = dataset_view_get(actor=Actor.anonymous(), repo=dataset, commit=commit)
    assert anonymous.configs[0].splits[0].rows == []
    mine = dataset_view_get(actor=Actor.of(owner), repo=dataset, commit=commit)
    assert len(mine.configs[0].splits[0].rows) == 30


@pytest.mark.django_db
def test_the_selector_costs_three_queries_at_most(
    dataset, owner, stranger, django_assert_max_num_queries
):
    files = {
        f"data/part-{i}/train.csv": CSV_ROWS + f"x{i},1\n".encode() for i in range(8)
    }
    commit = commit_files(dataset, files, author=owner)
    run_all_previews()
    for actor in (Actor.of(owner), Actor.of(stranger), Actor.anonymous()):
        with django_assert_max_num_queries(3):
            view = dataset_view_get(actor=actor, repo=dataset, commit=commit)
        assert view.configs[0].splits[0].num_rows == 8 * 31


@pytest.mark.django_db
def test_a_redelivered_message_does_nothing(dataset, owner):
    commit_files(dataset, {"train.csv": CSV_ROWS}, author=owner)
    preview = BlobPreview.objects.get()
    preview_blob(preview.pk)
    preview_blob(preview.pk)
    preview.refresh_from_db()
    assert preview.attempts == 1 and preview.status == "ready"


@pytest.mark.django_db
def test_infrastructure_failures_retry_then_give_up(dataset, owner, settings):
    settings.HUB_JOB_MAX_ATTEMPTS = 2
    commit = commit_files(dataset, {"train.csv": CSV_ROWS}, author=owner)
    preview = BlobPreview.objects.get()
    claimed = blob_preview_claim(preview_id=preview.pk)
    assert claimed is not None
    assert blob_preview_error(preview=claimed, message="store down") == "queued"
    claimed = blob_preview_claim(preview_id=preview.pk)
    assert claimed is not None
    assert blob_preview_error(preview=claimed, message="store down") == "error"
    preview.refresh_from_db()
    assert preview.code == "infrastructure"
    assert preview.message == "The preview could not be computed: store down"
    # The next commit holding the content gives it another chance.
    blob_previews_request(commit=commit)
    preview.refresh_from_db()
    assert (preview.status, preview.attempts) == ("queued", 0)


@pytest.mark.django_db
def test_reconciler_requeues_dead_workers_and_resends_forgotten(dataset, owner):
    commit_files(
        dataset, {"train.csv": CSV_ROWS, "test.csv": CSV_ROWS + b"z,9\n"}, author=owner
    )
    stale, forgotten = BlobPreview.objects.order_by("pk")
    blob_preview_claim(preview_id=stale.pk)
    long_ago = timezone.now() - timedelta(hours=1)
    BlobPreview.objects.filter(pk=stale.pk).update(heartbeat_at=long_ago)
    BlobPreview.objects.filter(pk=forgotten.pk).update(enqueued_at=long_ago)
    counts = blob_previews_reconcile(queued_after_seconds=60, stale_after_seconds=60)
    assert counts == {"preview_resent": 1, "preview_requeued": 1, "preview_errored": 0}
    forgotten.refresh_from_db()
    assert forgotten.enqueued_at is not None and forgotten.enqueued_at > long_ago
    stale.refresh_from_db()
    assert stale.status == "queued"
    run_all_previews()
    assert set(BlobPreview.objects.values_list("status", flat=True)) == {"ready"}


@pytest.mark.django_db
def test_nul_bytes_are_stored_cleaned(dataset, owner):
    csv_commit = commit_files(
        dataset, {"train.csv": b"a\x00b,c\n1\x00,2\n"}, author=owner
    )
    other = make_repo(owner, "lines", repo_type="dataset")
    jsonl = b'{"k\\u0000": "x\\u0000"}\n'
    jsonl_commit = commit_files(other, {"train.jsonl": jsonl}, author=owner)
    run_all_previews()
    actor = Actor.of(owner)
    (split,) = (
        dataset_view_get(actor=actor, repo=dataset, commit=csv_commit).configs[0].splits
    )
    assert split.rows == [{"a\ufffdb": "1\ufffd", "c": 2}]
    (split,) = (
        dataset_view_get(actor=actor, repo=other, commit=jsonl_commit).configs[0].splits
    )
    assert split.status == "ready"
    assert split.rows == [{"k\ufffd": "x\ufffd"}]
