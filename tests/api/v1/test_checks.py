"""Check runs of a commit: each run's live state and a CI-style summary."""

from __future__ import annotations

from hub.jobs.models import ValidationRun
from tests.api.v1.fixtures_resources import (  # noqa: F401 - fixtures
    PRIVATE_NAME,
    client_for,
    lab_fixture,
    no_throttle,
    token_for,
)
from tests.factories import commit_files

REPO = "/api/v1/models/lab/open-model"


def test_commit_checks_list_runs_repo_check_first_with_a_summary(lab):
    response = client_for().get(f"{REPO}/commits/{lab.public_head.oid}/checks")

    assert response.status_code == 200
    body = response.json()
    assert body["commit"] == lab.public_head.oid
    assert body["summary"]["state"] == "pending"
    paths = [r["path"] for r in body["results"]]
    assert paths == [
        "",
        ".gitattributes",
        "README.md",
        "config.json",
        "docs/guide.md",
        "model.safetensors",
    ]
    assert body["results"][0]["kind"] == "repo"
    run = body["results"][1]
    assert set(run) >= {
        "status",
        "verdict",
        "findings",
        "metadata",
        "attempts",
        "created_at",
        "started_at",
        "finished_at",
    }


def test_checks_show_the_state_as_runs_progress(lab):
    client = client_for()
    url = f"{REPO}/checks"
    first = client.get(url)

    ValidationRun.objects.filter(commit=lab.public_head).update(
        status="succeeded", verdict="passed"
    )
    ValidationRun.objects.filter(
        commit=lab.public_head, path="model.safetensors"
    ).update(
        status="failed",
        verdict="failed",
        findings=[{"severity": "error", "message": "truncated header"}],
    )
    polled = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.json()["summary"]["state"] == "pending"
    assert polled.status_code == 200
    summary = polled.json()["summary"]
    assert summary["state"] == "failure"
    assert summary["failing"] == [
        {
            "kind": "file",
            "path": "model.safetensors",
            "verdict": "failed",
            "messages": ["truncated header"],
        }
    ]
    assert client.get(url, HTTP_IF_NONE_MATCH=polled["ETag"]).status_code == 304


def test_revision_checks_follow_the_branch_head(lab):
    head = commit_files(lab.public, {"x.txt": b"x"}, author=lab.owner)

    response = client_for().get(f"{REPO}/checks", {"revision": "main"})

    assert response.json()["commit"] == head.oid


def test_checks_are_cursor_paginated(lab):
    client = client_for()

    first = client.get(f"{REPO}/checks", {"limit": 4}).json()
    second = client.get(first["next"]).json()

    assert len(first["results"]) == 4
    assert [r["path"] for r in second["results"]] == [
        "docs/guide.md",
        "model.safetensors",
    ]
    assert second["summary"]["total"] == 6


def test_checks_query_count_is_bounded(lab, django_assert_max_num_queries):
    commit_files(
        lab.public, {f"w/{i}.txt": b"%d" % i for i in range(40)}, author=lab.owner
    )

    with django_assert_max_num_queries(6):
        response = client_for().get(f"{REPO}/checks", {"limit": 50})

    assert len(response.json()["results"]) == 1 + 5 + 40  # repo check, files


def test_checks_of_a_private_repo_are_hidden_from_strangers(lab):
    url = f"/api/v1/models/lab/{PRIVATE_NAME}/commits/{lab.private_head.oid}/checks"

    stranger = client_for(token_for(lab.stranger)).get(url)
    anonymous = client_for().get(url)
    member = client_for(token_for(lab.reader, "read")).get(url)

    assert stranger.status_code == 404
    assert anonymous.status_code == 404
    assert member.status_code == 200
