"""A dataset commit's checks through the real validation tasks: data files
are parsed, pickles and archives get the models' quarantine rules whatever
the repo type, and loading scripts get a warning on datasets only."""

from __future__ import annotations

import io
import tarfile

import pytest

from hub.jobs.models import ValidationRun
from hub.storage.models import Blob
from tests.factories import commit_files, make_repo
from tests.viewer.hostile import parquet_bytes, truncated_footer
from tests.workers.validators import corpus
from workers.jobs import check_file, check_repo


def _checkpoint_tar() -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as archive:
        member = tarfile.TarInfo("storages")
        member.size = 4
        archive.addfile(member, io.BytesIO(b"\x80\x02N."))
    return out.getvalue()


def _run_checks(commit) -> dict[str, ValidationRun]:
    for run in ValidationRun.objects.filter(commit=commit, kind="file"):
        check_file(run.pk)
    check_repo(ValidationRun.objects.get(commit=commit, kind="repo").pk)
    return {run.path or "*": run for run in ValidationRun.objects.filter(commit=commit)}


@pytest.mark.parametrize("repo_type", ["dataset", "model"])
@pytest.mark.django_db
def test_pickles_and_archives_are_quarantined_in_any_repo(owner, tmp_path, repo_type):
    repo = make_repo(owner, f"unsafe-{repo_type}", repo_type=repo_type)
    canary = str(tmp_path / "canary")
    commit = commit_files(
        repo,
        {
            "data/features.pkl": corpus.os_system_protocol0(canary),
            "data/shards.tar": _checkpoint_tar(),
            "data/train.parquet": parquet_bytes(50),
        },
        author=owner,
        checked=False,
    )
    runs = _run_checks(commit)
    for path in ("data/features.pkl", "data/shards.tar"):
        assert runs[path].verdict == "quarantine", runs[path].findings
        assert Blob.objects.get(pk=runs[path].blob_id).is_quarantined
    assert runs["data/train.parquet"].verdict == "passed"
    assert runs["data/train.parquet"].metadata["num_rows"] == 50


@pytest.mark.django_db
def test_a_corrupt_parquet_file_fails_its_check(owner):
    repo = make_repo(owner, "corrupt", repo_type="dataset")
    commit = commit_files(
        repo, {"train.parquet": truncated_footer(parquet_bytes(50))}, author=owner
    )
    run = _run_checks(commit)["train.parquet"]
    assert (run.status, run.verdict) == ("failed", "failed")
    assert run.findings[0]["code"] == "parquet.bad_footer"
    assert not Blob.objects.get(pk=run.blob_id).is_quarantined


@pytest.mark.django_db
def test_loading_scripts_warn_on_datasets_only(owner):
    files = {"squad.py": b"import datasets\n", "train.csv": b"a\n1\n"}
    dataset = make_repo(owner, "scripted", repo_type="dataset")
    model = make_repo(owner, "scripted-model")
    as_dataset = _run_checks(commit_files(dataset, files, author=owner))["*"]
    as_model = _run_checks(commit_files(model, files, author=owner))["*"]
    assert as_dataset.verdict == "warning"  # a warning, never a failure
    (script,) = [
        f for f in as_dataset.findings if f["code"] == "dataset.loading_script"
    ]
    assert script["severity"] == "warning" and script["details"] == {"path": "squad.py"}
    assert "dataset.loading_script" not in [f["code"] for f in as_model.findings]
