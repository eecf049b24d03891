"""Requests for evaluations on a dataset split of this hub (issue 18), through
/api/v1: who may name which dataset, what a bad request answers (and that it
creates nothing), what the plan records, caps, re-use of identical results,
and who sees a run's data afterwards.

The sandboxed run itself is tested end to end in
tests/e2e/test_evals_on_datasets.py (the real worker and child).
"""

from __future__ import annotations

import io
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from hub.catalog.models import ModelRepo
from hub.jobs.models import EvalRun
from hub.jobs.selectors.evals import eval_runs_of_commit
from tests.api.v1.fixtures_resources import client_for, token_for
from tests.factories import commit_files, make_repo, make_user
from tests.jobs.test_eval_publishing import evaluated_repo
from tests.jobs.test_eval_runs import claim_next, finish_eval

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_throttle(monkeypatch):
    from api.v1.throttling import IpRateThrottle, TokenRateThrottle

    monkeypatch.setattr(IpRateThrottle, "allow_request", lambda *a, **k: True)
    monkeypatch.setattr(TokenRateThrottle, "allow_request", lambda *a, **k: True)


def parquet(texts: list[str]) -> bytes:
    out = io.BytesIO()
    pq.write_table(pa.table({"text": texts}), out, row_group_size=4)
    return out.getvalue()


def dataset(owner, name: str, files: dict[str, bytes], **kwargs) -> ModelRepo:
    repo = make_repo(owner, name, repo_type="dataset", **kwargs)
    commit_files(repo, files, author=owner)
    return repo


def ask(repo, secret: str | None, **body):
    return client_for(secret).post(
        f"/api/v1/models/{repo.full_name}/evals", body, format="json"
    )


def test_plan_pins_the_dataset_commit_and_reads_text_files_by_prefix(owner, settings):
    settings.HUB_EVAL_DATASET_MAX_BYTES = 1 << 20
    model, _, _ = evaluated_repo(owner, "lm", 1.0, 11)
    big = b"text\n" + b"a line of held-out text\n" * 60_000  # ~1.4 MB
    data = dataset(owner, "corpus", {"test.csv": big, "train.csv": b"text\nx\n"})
    answer = ask(model, token_for(owner), dataset="owner/corpus", split="test")
    assert answer.status_code == 202, answer.json()
    (body,) = answer.json()
    run = EvalRun.objects.get(pk=body["id"])
    assert run.status == "queued" and not run.force
    assert run.dataset_repo == data and run.dataset_split == "test"
    assert run.dataset_commit == data.refs.get(name="main").commit.oid
    (item,) = run.data["files"]
    assert item["path"] == "test.csv" and item["read_bytes"] == 1 << 20
    assert item["size"] == len(big)
    assert run.suite_version.startswith("causal_lm-v1+data-")
    assert body["held_out_data"]["revision"] == run.dataset_commit


@pytest.mark.parametrize(
    ("files", "body", "message"),
    [
        ({"test.parquet": b"x"}, {"split": "validation"}, "No split 'validation'"),
        ({"test.parquet": b"x"}, {"config": "other"}, "No config 'other'"),
        ({"test.json": b"[]"}, {}, "convert this split"),
        ({"README.md": b"# no data"}, {}, "no data files"),
        ({"test.parquet": b"x"}, {"column": ""}, "column"),
    ],
)
def test_bad_requests_answer_400_and_create_nothing(owner, files, body, message):
    model, _, _ = evaluated_repo(owner, "lm", 1.0, 12)
    dataset(owner, "corpus", files)
    before = EvalRun.objects.count()
    answer = ask(model, token_for(owner), dataset="owner/corpus", **body)
    assert answer.status_code == 400, answer.json()
    assert message in json.dumps(answer.json())
    assert EvalRun.objects.count() == before


def test_a_parquet_file_over_the_cap_is_read_as_its_start_and_its_footer(
    owner, settings
):
    settings.HUB_EVAL_DATASET_MAX_BYTES = 1 << 20
    model, _, _ = evaluated_repo(owner, "lm", 1.0, 13)
    blob = parquet([f"row {i} " * 40 + str(i) for i in range(8000)])
    assert len(blob) > 1 << 20
    dataset(owner, "corpus", {"test.parquet": blob, "z-test.parquet": blob[:10]})
    answer = ask(model, token_for(owner), dataset="owner/corpus")
    assert answer.status_code == 202, answer.json()
    (item,) = EvalRun.objects.get(pk=answer.json()[0]["id"]).data["files"]
    assert item["path"] == "test.parquet"
    assert item["tail_bytes"] == min(8 << 20, len(blob) // 2, (1 << 20) // 2)
    assert item["read_bytes"] + item["tail_bytes"] == 1 << 20


def test_private_and_missing_datasets_answer_the_same_404(owner):
    model, _, _ = evaluated_repo(owner, "lm", 1.0, 14)
    other = make_user("other")
    dataset(other, "secret", {"test.txt": b"hidden\n"}, is_private=True)
    hidden = ask(model, token_for(owner), dataset="other/secret")
    missing = ask(model, token_for(owner), dataset="other/nothing")
    assert hidden.status_code == missing.status_code == 404
    assert json.dumps(hidden.json()).replace("other/secret", "X") == json.dumps(
        missing.json()
    ).replace("other/nothing", "X")
    assert not EvalRun.objects.filter(dataset_name="other/secret").exists()


def test_a_token_limited_to_the_model_cannot_name_the_owners_dataset(owner):
    model, _, _ = evaluated_repo(owner, "lm", 1.0, 15)
    dataset(owner, "mine", {"test.txt": b"text\n"}, is_private=True)
    limited = token_for(owner, repo_ids=["owner/lm"])
    assert ask(model, limited, dataset="owner/mine").status_code == 404
    assert ask(model, token_for(owner), dataset="owner/mine").status_code == 202


def test_a_gated_dataset_needs_access_first(owner):
    model, _, _ = evaluated_repo(owner, "lm", 1.0, 16)
    publisher = make_user("publisher")
    gated = dataset(publisher, "gated", {"test.txt": b"text\n"})
    ModelRepo.objects.filter(pk=gated.pk).update(gated=ModelRepo.Gated.MANUAL)
    answer = ask(model, token_for(owner), dataset="publisher/gated")
    assert answer.status_code == 403
    assert "request access" in answer.json()["error"]["message"]


def test_only_causal_lms_are_evaluated_on_a_dataset(owner):
    repo = make_repo(owner, "encoder")
    files = {
        "config.json": json.dumps({"architectures": ["BertModel"]}).encode(),
        "modules.json": b"[]",
    }
    from tests.jobs.test_eval_runs import finish_validation, safetensors_bytes

    commit = commit_files(
        repo, {**files, "model.safetensors": safetensors_bytes()}, author=owner
    )
    finish_validation(commit)
    dataset(owner, "corpus", {"test.txt": b"text\n"})
    answer = ask(repo, token_for(owner), dataset="owner/corpus")
    assert answer.status_code == 400
    assert "causal language model" in answer.json()["error"]["message"]


def test_identical_data_reuses_the_result_and_strangers_never_see_it(owner):
    model, commit, _ = evaluated_repo(owner, "lm", 1.0, 17)
    dataset(owner, "corpus", {"test.txt": b"one\ntwo\n"}, is_private=True)
    (first,) = ask(model, token_for(owner), dataset="owner/corpus").json()
    finish_eval(claim_next(), value=2.5)
    again = ask(model, token_for(owner), dataset="owner/corpus").json()
    assert again[0]["status"] == "finished" and again[0]["reused"] is True
    assert again[0]["result"]["primary_value"] == 2.5
    stranger = make_user("stranger")
    runs = eval_runs_of_commit(commit=commit, user=stranger)
    assert [r.dataset_name for r in runs] == [""]
    owner_runs = eval_runs_of_commit(commit=commit, user=owner)
    assert {r.dataset_name for r in owner_runs} == {"", "owner/corpus"}
    seen = client_for(token_for(stranger)).get(f"/api/v1/evals/runs/{first['id']}")
    assert seen.status_code == 404
    # A deleted dataset takes its runs out of sight, for its owner too.
    ModelRepo.objects.filter(name="corpus").delete()
    runs = eval_runs_of_commit(commit=commit, user=owner)
    assert [r.dataset_name for r in runs] == [""]
