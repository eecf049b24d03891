"""Publishing eval results: the model page, /api/v1 (runs, queue, leaderboards),
the HF protocol's model_info (model-index, evalResults) and the catalog's
``has_eval_results`` filter."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from hub.catalog.models import ModelRepo
from hub.jobs.models import EvalRun
from tests.api.v1.fixtures_resources import client_for, token_for
from tests.factories import commit_files, make_repo, make_user
from tests.jobs.test_eval_runs import (
    causal_files,
    claim_next,
    finish_eval,
    finish_validation,
)

pytestmark = pytest.mark.django_db

CARD = b"""---
license: apache-2.0
pipeline_tag: text-generation
model-index:
- name: claimed-model
  results:
  - task: {type: text-generation}
    dataset: {name: wikitext, type: wikitext}
    metrics:
    - {type: perplexity, value: 3.2, verified: true}
---
# A model
"""


@pytest.fixture(autouse=True)
def _no_throttle(monkeypatch):
    from api.v1.throttling import IpRateThrottle, TokenRateThrottle

    monkeypatch.setattr(IpRateThrottle, "allow_request", lambda *a, **k: True)
    monkeypatch.setattr(TokenRateThrottle, "allow_request", lambda *a, **k: True)


def evaluated_repo(owner, name: str, value: float, seed: int, **extra: bytes):
    repo = make_repo(owner, name)
    commit = commit_files(repo, causal_files(seed=seed, **extra), author=owner)
    finish_validation(commit)
    run = claim_next()
    finish_eval(run, value=value)
    run.refresh_from_db()
    return repo, commit, run


def test_model_page_shows_verified_numbers_beside_claimed_ones(owner):
    repo, commit, run = evaluated_repo(owner, "lm", 1.25, 6, **{"README.md": CARD})
    page = Client().get(f"/{repo.full_name}")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="evals"' in html
    assert "Bits per byte" in html and "1.2500" in html
    assert "verified" in html
    assert "Claimed by the model card" in html and "3.2000" in html
    assert "Environment and settings" in html  # behind a <details> toggle
    assert "Re-run evaluation" not in html  # visitors cannot request re-runs


def test_eval_section_polls_while_pending_then_shows_the_numbers(owner):
    repo = make_repo(owner, "live")
    commit = commit_files(repo, causal_files(seed=7), author=owner)
    poll_url = f"/{repo.full_name}/evals/{commit.oid}"

    # Validation still running: evaluations will follow, the page watches.
    page = Client().get(f"/{repo.full_name}").content.decode()
    assert f'data-live-url="{poll_url}" data-state="pending"' in page
    finish_validation(commit)
    waiting = Client().get(poll_url).json()
    assert waiting["state"] == "pending" and "Waiting" in waiting["html"]

    finish_eval(claim_next(), value=1.25)
    done = Client().get(poll_url).json()
    assert done["state"] == "done"
    assert "1.2500" in done["html"] and "verified" in done["html"]


def test_eval_section_of_a_private_model_is_404_to_strangers(owner):
    repo = make_repo(owner, "hidden-live", is_private=True)
    commit = commit_files(repo, causal_files(seed=8), author=owner)
    response = Client().get(f"/{repo.full_name}/evals/{commit.oid}")
    assert response.status_code == 404


def test_model_page_shows_the_reason_and_log_of_a_failed_run(owner):
    repo = make_repo(owner, "broken")
    commit = commit_files(repo, causal_files(), author=owner)
    finish_validation(commit)
    run = claim_next()
    from hub.jobs.services.eval_runs import eval_run_finish

    eval_run_finish(
        run=run,
        status="timeout",
        reason="wall_clock",
        message="No answer within 1800 s: killed.",
        log="Traceback (most recent call last):\nloading shard 3 of 9",
    )
    client = Client()
    client.force_login(owner)
    html = client.get(f"/{repo.full_name}").content.decode()
    assert "wall_clock" in html and "No answer within 1800 s" in html
    assert "loading shard 3 of 9" in html
    assert "Re-run evaluation" in html  # the owner may re-run


def test_owner_rerun_from_the_page_queues_a_forced_run(owner):
    repo, commit, run = evaluated_repo(owner, "again", 1.0, 7)
    client = Client()
    client.force_login(owner)
    response = client.post(f"/{repo.full_name}/evals/rerun", {"revision": commit.oid})
    assert response.status_code == 302
    assert (
        EvalRun.objects.filter(commit=commit, status="queued", force=True).count() == 1
    )


def test_stranger_cannot_rerun_from_the_page(owner):
    repo, commit, run = evaluated_repo(owner, "theirs", 1.0, 8)
    client = Client()
    client.force_login(make_user("stranger"))
    response = client.post(f"/{repo.full_name}/evals/rerun", {"revision": "main"})
    assert response.status_code == 302
    assert not EvalRun.objects.filter(status="queued").exists()


def test_api_lists_a_models_runs_with_results_and_claims(owner):
    repo, commit, run = evaluated_repo(owner, "api", 1.5, 9, **{"README.md": CARD})
    body = client_for().get(f"/api/v1/models/{repo.full_name}/evals").json()
    assert body["enabled"] is True
    assert body["commit"] == commit.oid
    (item,) = body["runs"]
    assert item["status"] == "finished"
    assert item["result"]["primary_metric"] == "bits_per_byte"
    assert item["result"]["primary_value"] == 1.5
    assert item["result"]["verified"] is True
    assert item["result"]["environment"]["torch"] == "2.13.0"
    assert body["claimed"][0]["value"] == 3.2
    same = client_for().get(
        f"/api/v1/models/{repo.full_name}/commits/{commit.oid}/evals"
    )
    assert same.json()["runs"][0]["id"] == run.pk
    one = client_for().get(f"/api/v1/evals/runs/{run.pk}").json()
    assert one["commit"] == commit.oid and one["result"]["primary_value"] == 1.5


def test_private_models_runs_are_hidden_like_the_model(owner):
    repo = make_repo(owner, "hidden", is_private=True)
    commit = commit_files(repo, causal_files(seed=31), author=owner)
    finish_validation(commit)
    run = EvalRun.objects.get(commit=commit)
    assert client_for().get(f"/api/v1/evals/runs/{run.pk}").status_code == 404
    assert client_for().get(f"/api/v1/models/{repo.full_name}/evals").status_code == 404
    queue = client_for().get("/api/v1/evals/queue").json()
    assert queue["results"] == []
    mine = client_for(token_for(owner)).get("/api/v1/evals/queue").json()
    assert [r["id"] for r in mine["results"]] == [run.pk]
    assert mine["results"][0]["position"] == 1
    assert (
        client_for(token_for(owner)).get(f"/api/v1/evals/runs/{run.pk}").status_code
        == 200
    )


def test_leaderboard_api_honours_a_repo_limited_token(owner):
    secret, _, _ = evaluated_repo(owner, "secret-lm", 1.0, 41)
    ModelRepo.objects.filter(pk=secret.pk).update(is_private=True)
    evaluated_repo(owner, "open-lm", 2.0, 42)
    limited = token_for(owner, "read", repo_ids=["owner/open-lm"])

    def repos(secret_token):
        body = client_for(secret_token).get("/api/v1/leaderboards/causal_lm").json()
        return [row["repo"] for row in body["results"]]

    assert repos(token_for(owner)) == ["owner/secret-lm", "owner/open-lm"]
    assert repos(limited) == ["owner/open-lm"]
    index = client_for(limited).get("/api/v1/leaderboards").json()
    assert {i["evaluator"]: i["entries"] for i in index}["causal_lm"] == 1


def test_api_rerun_needs_a_write_token_of_a_maintainer(owner):
    repo, commit, run = evaluated_repo(owner, "tokens", 1.0, 10)
    url = f"/api/v1/models/{repo.full_name}/evals"
    assert client_for().post(url, {}, format="json").status_code == 401
    read = client_for(token_for(owner, scope="read")).post(url, {}, format="json")
    assert read.status_code == 403
    stranger = make_user("stranger")
    denied = client_for(token_for(stranger)).post(url, {}, format="json")
    assert denied.status_code == 403
    assert denied.json()["error"]["code"] == "forbidden"
    ok = client_for(token_for(owner)).post(url, {"revision": "main"}, format="json")
    assert ok.status_code == 202
    assert ok.json()[0]["status"] == "queued" and ok.json()[0]["force"] is True
    missing = client_for(token_for(owner)).post(
        url, {"revision": "no-such-branch"}, format="json"
    )
    assert missing.status_code == 404


def test_leaderboard_api_sorts_filters_and_links_the_exact_commit(
    owner, django_assert_max_num_queries
):
    repo_a, commit_a, _ = evaluated_repo(owner, "alpha", 2.0, 11)
    repo_b, commit_b, _ = evaluated_repo(owner, "beta", 1.0, 12)
    with django_assert_max_num_queries(8):
        body = client_for().get("/api/v1/leaderboards/causal_lm").json()
    assert body["higher_is_better"] is False
    assert [r["repo"] for r in body["results"]] == ["owner/beta", "owner/alpha"]
    assert body["results"][0]["commit"] == commit_b.oid
    assert body["results"][0]["commit_url"] == f"/owner/beta/commit/{commit_b.oid}"
    by_name = client_for().get("/api/v1/leaderboards/causal_lm?sort=name").json()
    assert [r["repo"] for r in by_name["results"]] == ["owner/alpha", "owner/beta"]
    tiny = client_for().get("/api/v1/leaderboards/causal_lm?size_tier=xs").json()
    assert tiny["count"] == 2
    none = client_for().get("/api/v1/leaderboards/causal_lm?size_tier=xl").json()
    assert none["count"] == 0
    any_tier = client_for().get("/api/v1/leaderboards/causal_lm?size_tier=").json()
    assert any_tier["count"] == 2
    huge = client_for().get("/api/v1/leaderboards/causal_lm?size_tier=huge")
    assert huge.status_code == 400 and "size_tier" in huge.json()["error"]["details"]
    bad = client_for().get("/api/v1/leaderboards/causal_lm?sort=random")
    assert bad.status_code == 400
    assert client_for().get("/api/v1/leaderboards/nonsense").status_code == 404
    index = client_for().get("/api/v1/leaderboards").json()
    assert {i["evaluator"]: i["entries"] for i in index}["causal_lm"] == 2


def test_leaderboard_page_has_a_table_a_chart_and_filters(
    owner, django_assert_max_num_queries
):
    evaluated_repo(owner, "alpha", 2.0, 11)
    evaluated_repo(owner, "beta", 1.0, 12)
    client = Client()
    assert client.get("/leaderboard")["Location"] == "/leaderboard/causal_lm"
    with django_assert_max_num_queries(15):
        page = client.get("/leaderboard/causal_lm")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index("owner/beta") < html.index("owner/alpha")
    assert "<svg" in html and html.count('class="point"') == 2
    assert 'href="/leaderboard"' in html  # the nav link
    filtered = client.get("/leaderboard/causal_lm?task=text-generation").content
    assert b"No model has a result on this leaderboard with these filters" in filtered
    bad = client.get("/leaderboard/causal_lm?size_tier=huge")
    assert bad.status_code == 200 and b"size_tier" in bad.content
    assert client.get("/leaderboard/nonsense").status_code == 404


def test_queue_page_lists_waiting_runs_with_places(owner):
    repo = make_repo(owner, "waiting")
    commit = commit_files(repo, causal_files(seed=40), author=owner)
    finish_validation(commit)
    html = Client().get("/leaderboard/queue").content.decode()
    assert "owner/waiting" in html and "Queued" in html


def test_model_info_carries_verified_and_claimed_model_index(owner):
    repo, commit, run = evaluated_repo(owner, "hf", 1.75, 13, **{"README.md": CARD})
    info = Client().get(f"/api/models/{repo.full_name}").json()
    claimed, hub = info["model-index"]
    assert claimed["name"] == "claimed-model"
    assert claimed["results"][0]["metrics"][0]["verified"] is False
    assert hub["name"] == repo.full_name
    metrics = {m["type"]: m for m in hub["results"][0]["metrics"]}
    assert metrics["bits_per_byte"]["value"] == 1.75
    assert metrics["bits_per_byte"]["verified"] is True
    (entry,) = info["evalResults"]
    assert entry["value"] == 1.75
    assert entry["dataset"]["id"] == "model-commons/heldout-en-v1"
    only = Client().get(f"/api/models/{repo.full_name}?expand=evalResults").json()
    assert set(only) == {"id", "modelId", "evalResults"}


def test_search_filter_has_eval_results(owner):
    evaluated_repo(owner, "done", 1.0, 14)
    make_repo(owner, "never")
    with_results = client_for().get("/api/v1/models?has_eval_results=true").json()
    assert [m["id"] for m in with_results["results"]] == ["owner/done"]
    without = client_for().get("/api/v1/models?has_eval_results=false").json()
    assert "owner/never" in [m["id"] for m in without["results"]]
    assert "owner/done" not in [m["id"] for m in without["results"]]
    bad = client_for().get("/api/v1/models?has_eval_results=maybe")
    assert bad.status_code == 400


def test_without_the_eval_stack_the_hub_says_so(owner, settings):
    settings.HUB_EVAL_ENABLED = False
    repo = make_repo(owner, "plain")
    commit_files(repo, causal_files(seed=50), author=owner)
    html = Client().get(f"/{repo.full_name}").content.decode()
    assert "Evaluations are not available on this hub" in html
    body = client_for().get(f"/api/v1/models/{repo.full_name}/evals").json()
    assert body == {
        "enabled": False,
        "commit": body["commit"],
        "runs": [],
        "claimed": [],
    }
    refused = client_for(token_for(owner)).post(
        f"/api/v1/models/{repo.full_name}/evals", {}, format="json"
    )
    assert refused.status_code == 503
    assert json.loads(refused.content)["error"]["code"] == "evals_unavailable"


def test_leaderboard_api_refuses_an_offset_past_any_page(client, db):
    from hub.jobs.evalsuite import SENTENCE_EMBEDDING

    url = f"/api/v1/leaderboards/{SENTENCE_EMBEDDING}"
    response = client.get(url, {"offset": "918505519237746632163328"})
    assert response.status_code == 400
    assert "offset" in response.json()["error"]["details"]
