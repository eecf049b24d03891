"""The dataset viewer in a real worker: the HF client commits a dataset, the
validation worker reads each data file in its sandboxed child and checks
it, and the viewer's selector shows the splits (PostgreSQL or SQLite)."""

from __future__ import annotations

import io

import pytest
from huggingface_hub import CommitOperationAdd

from hub.accounts.actors import Actor
from hub.catalog.models import ModelRepo
from hub.jobs.models import ValidationRun
from hub.viewer.models import BlobPreview
from hub.viewer.selectors import dataset_view_get
from tests.e2e.conftest import wait_for
from tests.viewer.hostile import parquet_bytes, truncated_footer


@pytest.mark.slow
def test_a_pushed_dataset_is_previewed_and_checked_by_a_real_worker(
    api, maya, start_worker
):
    worker = start_worker(queues=["validation"])
    api.create_repo("maya/questions", repo_type="dataset")
    files = {
        "data/train-00000-of-00001.parquet": parquet_bytes(5000, row_group_size=500),
        "data/test-00000-of-00001.parquet": truncated_footer(parquet_bytes(100)),
        "loader.py": b"import datasets\n",
    }
    info = api.create_commit(
        "maya/questions",
        [
            CommitOperationAdd(path_in_repo=p, path_or_fileobj=io.BytesIO(d))
            for p, d in files.items()
        ],
        commit_message="Add data",
        repo_type="dataset",
    )
    repo = ModelRepo.objects.get(name="questions", repo_type="dataset")
    commit = repo.commits.get(oid=info.oid)

    def settled():
        worker.assert_alive()
        previews = BlobPreview.objects.all()
        runs = ValidationRun.objects.filter(commit=commit)
        done = all(not p.is_pending for p in previews) and all(
            r.is_finished for r in runs
        )
        return done and len(previews) == 2

    try:
        wait_for(settled, timeout=120)
    except AssertionError:
        raise AssertionError(worker.log()[-4000:]) from None
    view = dataset_view_get(actor=Actor.of(maya[0]), repo=repo, commit=commit)
    train, test = view.configs[0].splits
    assert (train.name, train.status, train.num_rows) == ("train", "ready", 5000)
    assert [row["id"] for row in train.rows] == list(range(100))
    assert test.status == "error" and "footer cannot be decoded" in test.message
    runs = {r.path or "*": r for r in ValidationRun.objects.filter(commit=commit)}
    assert runs["data/train-00000-of-00001.parquet"].verdict == "passed"
    assert runs["data/test-00000-of-00001.parquet"].verdict == "failed"
    assert "dataset.loading_script" in [f["code"] for f in runs["*"].findings]
