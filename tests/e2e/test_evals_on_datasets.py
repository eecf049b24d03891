"""Evaluation on a dataset of this hub, end to end (issue 18): the real HF
client uploads a private dataset (Parquet, a ``text`` column) and a tiny
causal LM; the owner asks /api/v1 for a run on the dataset's ``test`` split;
the real eval worker copies the split's bytes at the pinned commit into the
sandbox, where the child parses them; the run records the dataset's id and
commit, and the leaderboard, the run, the model's evals and model_info name
the data. From the other side, a stranger and anonymous callers never see
the private dataset's name, and cannot evaluate on it.
"""

from __future__ import annotations

import io
import time

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import requests

from hub.jobs.models import EvalRun
from tests.e2e.conftest import wait_for
from tests.e2e.test_evals import CARD
from tests.workers.evals.tinymodels import save_causal_lm

pytestmark = pytest.mark.slow

DOCS = [
    f"Row {i}: the ferry leaves the northern harbour at dawn and returns "
    f"when the tide turns, carrying {i} crates of apples."
    for i in range(40)
]
SECRET = "maya/heldout-secret"


def parquet_bytes(texts: list[str]) -> bytes:
    table = pa.table({"id": list(range(len(texts))), "text": texts})
    out = io.BytesIO()
    pq.write_table(table, out, row_group_size=8)
    return out.getvalue()


def _finished(**filters):
    def check():
        runs = EvalRun.objects.filter(**filters)
        return runs.exists() and not runs.filter(status__in=["queued", "running"])

    return check


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _request(hub_url, model, token, **body):
    return requests.post(
        f"{hub_url}/api/v1/models/{model}/evals",
        json=body,
        headers=_auth(token),
        timeout=60,
    )


def _large_parquet_is_read_by_its_start_and_footer(api, hub_url, maya, settings):
    """A Parquet file over the cap: the run reads its first bytes and its
    footer only, and evaluates the row groups that lie in those bytes."""
    settings.HUB_EVAL_DATASET_MAX_BYTES = 1 << 20
    texts = [
        f"Entry {i}: " + " ".join(["harbour", "ferry", "tide"] * 60)
        for i in range(1500)
    ]
    out = io.BytesIO()
    pq.write_table(
        pa.table({"text": texts}), out, row_group_size=100, compression="none"
    )
    blob = out.getvalue()
    assert len(blob) > 1 << 20  # over the cap
    api.create_repo("maya/long-prose", repo_type="dataset")
    api.upload_file(
        path_or_fileobj=blob,
        path_in_repo="test.parquet",
        repo_id="maya/long-prose",
        repo_type="dataset",
    )
    answer = _request(hub_url, "maya/tiny-lm", maya[1], dataset="maya/long-prose")
    assert answer.status_code == 202, answer.text
    wait_for(_finished(dataset_name="maya/long-prose"), timeout=240, interval=0.5)
    run = EvalRun.objects.select_related("result").get(dataset_name="maya/long-prose")
    assert run.status == "finished", (run.reason, run.message, run.log)
    (item,) = run.data["files"]
    assert item["tail_bytes"] > 0 and item["read_bytes"] < len(blob)
    meta = pq.read_metadata(io.BytesIO(blob))
    inside = 0
    for group in range(meta.num_row_groups):
        chunk = meta.row_group(group).column(0)
        start = chunk.dictionary_page_offset or chunk.data_page_offset
        if start + chunk.total_compressed_size > item["read_bytes"]:
            break
        inside += meta.row_group(group).num_rows
    assert 0 < inside < len(texts)
    # Rows read from the file (the token budget then evaluates a part of them).
    assert run.result is not None
    assert run.result.details["data"]["rows_read"] == inside


def _signed_in(user) -> requests.Session:
    """A browser-like session of ``user`` (a real session row and cookie)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    session = requests.Session()
    session.cookies.set("sessionid", client.cookies["sessionid"].value)
    return session


def _upload_lm(api, repo_id, folder):
    api.create_repo(repo_id)
    return api.upload_folder(repo_id=repo_id, folder_path=folder)


def test_run_on_a_private_dataset_split_names_its_data_to_readers_only(
    api, maya, jun, hub_url, start_worker, tmp_path, settings
):
    folder = save_causal_lm(tmp_path / "tiny-lm")
    (folder / "README.md").write_text(CARD)
    validator = start_worker(queues=["validation"])
    evaluator = start_worker(queues=["eval"], HUB_EVAL_THREADS="1")
    api.create_repo(SECRET, repo_type="dataset", private=True)
    data_commit = api.upload_file(
        path_or_fileobj=parquet_bytes(DOCS),
        path_in_repo="data/test-00000-of-00001.parquet",
        repo_id=SECRET,
        repo_type="dataset",
    )
    data_oid = data_commit.oid
    model = "maya/tiny-lm"
    _upload_lm(api, model, folder)
    try:
        wait_for(_finished(commit__repo__name="tiny-lm"), timeout=240, interval=0.5)
    except AssertionError:
        from hub.jobs.models import ValidationRun

        checks = list(ValidationRun.objects.values("path", "status", "verdict"))
        runs = list(EvalRun.objects.values("status", "reason", "message"))
        logs = f"{validator.log()[-4000:]}\n{evaluator.log()[-2000:]}"
        raise AssertionError(f"{checks}\n{runs}\n{logs}") from None

    started = time.monotonic()
    answer = _request(hub_url, model, maya[1], dataset=SECRET, split="test")
    assert answer.status_code == 202, answer.text
    (queued,) = answer.json()
    assert queued["held_out_data"]["dataset"] == SECRET
    assert queued["held_out_data"]["revision"] == data_oid
    try:
        wait_for(_finished(dataset_name=SECRET), timeout=240, interval=0.5)
    except AssertionError:
        runs = list(EvalRun.objects.values("status", "reason", "message", "log"))
        raise AssertionError(f"{runs}\n{evaluator.log()[-4000:]}") from None
    run = EvalRun.objects.select_related("result").get(dataset_name=SECRET)
    assert run.status == "finished", (run.reason, run.message, run.log)
    assert run.dataset_commit == data_oid and run.dataset_split == "test"
    assert run.result is not None
    metrics = run.result.metrics
    assert metrics["documents"] == len(DOCS)
    assert metrics["bytes"] == sum(len(d.encode()) for d in DOCS)
    assert 0 < metrics["bits_per_byte"] < 8
    shipped = EvalRun.objects.select_related("result").get(
        commit__repo__name="tiny-lm", dataset_name=""
    )
    assert shipped.result is not None
    assert shipped.result.suite_version != run.result.suite_version
    print(
        f"\nrun on a dataset split: request to result in "
        f"{time.monotonic() - started:.1f} s"
    )

    # The owner sees which data each result used, on every face.
    board = requests.get(
        f"{hub_url}/api/v1/leaderboards/causal_lm",
        params={"dataset": SECRET},
        headers=_auth(maya[1]),
        timeout=30,
    ).json()
    (row,) = board["results"]
    assert row["held_out_data"] == {
        "dataset": SECRET,
        "on_hub": True,
        "revision": data_oid,
        "split": "test",
        "column": "text",
        "url": f"/datasets/{SECRET}/tree/{data_oid}",
    }
    assert row["score"] == pytest.approx(metrics["bits_per_byte"])
    shipped_board = requests.get(
        f"{hub_url}/api/v1/leaderboards/causal_lm", timeout=30
    ).json()
    (shipped_row,) = shipped_board["results"]
    assert shipped_row["held_out_data"]["dataset"] == "model-commons/heldout-en-v1"
    assert shipped_row["held_out_data"]["on_hub"] is False
    info = api.model_info(model, expand=["evalResults"])
    by_dataset = {e.dataset_id: e for e in info.eval_results or []}
    assert by_dataset[SECRET].dataset_revision == data_oid
    assert by_dataset[SECRET].value == pytest.approx(metrics["bits_per_byte"])
    browser = _signed_in(maya[0])
    html = browser.get(
        f"{hub_url}/leaderboard/causal_lm", params={"dataset": SECRET}, timeout=30
    ).text
    assert f"/datasets/{SECRET}/tree/{data_oid}" in html
    assert (
        f"/datasets/{SECRET}/tree/{data_oid}"
        in browser.get(f"{hub_url}/{model}", timeout=30).text
    )

    _large_parquet_is_read_by_its_start_and_footer(api, hub_url, maya, settings)

    index = requests.get(
        f"{hub_url}/api/v1/leaderboards", headers=_auth(maya[1]), timeout=30
    ).json()
    (causal,) = [b for b in index if b["evaluator"] == "causal_lm"]
    assert {(d["dataset"], d["split"], d["entries"]) for d in causal["datasets"]} == {
        (SECRET, "test", 1),
        ("maya/long-prose", "test", 1),
    }
    assert causal["entries"] == 1  # on the shipped data

    # From the other side: a stranger and anonymous callers.
    for headers in ({}, _auth(jun[1])):
        evals = requests.get(
            f"{hub_url}/api/v1/models/{model}/evals", headers=headers, timeout=30
        )
        assert evals.status_code == 200
        assert "heldout-secret" not in evals.text
        # The public dataset's run shows; the private one's does not.
        assert {r["held_out_data"]["dataset"] for r in evals.json()["runs"]} == {
            "model-commons/heldout-en-v1",
            "maya/long-prose",
        }
        one = requests.get(
            f"{hub_url}/api/v1/evals/runs/{run.pk}", headers=headers, timeout=30
        )
        assert one.status_code == 404
        board = requests.get(
            f"{hub_url}/api/v1/leaderboards/causal_lm",
            params={"dataset": SECRET},
            headers=headers,
            timeout=30,
        )
        assert board.json()["count"] == 0
        index = requests.get(
            f"{hub_url}/api/v1/leaderboards", headers=headers, timeout=30
        ).json()
        (causal,) = [b for b in index if b["evaluator"] == "causal_lm"]
        assert [d["dataset"] for d in causal["datasets"]] == ["maya/long-prose"]
        hf = requests.get(
            f"{hub_url}/api/models/{model}",
            params={"expand": ["evalResults", "model-index"]},
            headers=headers,
            timeout=30,
        )
        assert hf.status_code == 200 and "heldout-secret" not in hf.text
        for page in (f"/{model}", "/leaderboard/causal_lm", "/leaderboard/queue"):
            text = requests.get(f"{hub_url}{page}", headers=headers, timeout=30).text
            assert "heldout-secret" not in text, page

    # A stranger cannot evaluate on it: the same 404 as a missing dataset.
    from huggingface_hub import HfApi

    _upload_lm(HfApi(endpoint=hub_url, token=jun[1]), "jun/tiny-lm", folder)
    wait_for(
        _finished(commit__repo__name="tiny-lm", commit__repo__namespace__name="jun"),
        timeout=240,
        interval=0.5,
    )
    hidden = _request(hub_url, "jun/tiny-lm", jun[1], dataset=SECRET)
    missing = _request(hub_url, "jun/tiny-lm", jun[1], dataset="maya/no-such-set")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.text.replace(SECRET, "X") == missing.text.replace(
        "maya/no-such-set", "X"
    ), (hidden.text, missing.text)
    assert not EvalRun.objects.filter(
        commit__repo__namespace__name="jun", dataset_name=SECRET
    ).exists()
