"""A hub with real content, made through the real paths, proves green.

Commits through huggingface_hub over HTTP (LFS and regular files, a pull
request), downloads with ``hf_hub_download``, a like through the HF API,
a review and a helpful vote through their services, and every validation
run finished by the worker's own task code.
"""

from __future__ import annotations

import requests
from huggingface_hub import CommitOperationAdd, hf_hub_download

from hub.catalog.models import ModelRepo, Ref
from hub.community.services.discussions import discussion_create
from hub.jobs.models import ValidationRun
from hub.reviews.services import review_submit, review_vote_add
from tests.invariants.helpers import finish_runs, invariants
from tests.storage.test_xet_checks import safetensors_bytes

ALL_CHECKS = {
    "blobs",
    "objects",
    "trees",
    "refs",
    "storage_counters",
    "staging",
    "references",
    "counters",
    "community_counters",
    "runs",
    "review_counters",
}


def publish(api, hub_url, jun) -> str:
    repo_id = "maya/green"
    api.create_repo(repo_id)
    api.create_commit(
        repo_id,
        operations=[
            CommitOperationAdd("README.md", b"---\nlicense: mit\n---\n# Green\n"),
            CommitOperationAdd("model.safetensors", safetensors_bytes()),
            CommitOperationAdd("notes.txt", b"plain text"),
        ],
        commit_message="First files",
    )
    api.upload_file(
        path_or_fileobj=b"updated notes", path_in_repo="notes.txt", repo_id=repo_id
    )
    jun_api = type(api)(endpoint=hub_url, token=jun[1])
    jun_api.upload_file(
        path_or_fileobj=b"a fix " * 200,
        path_in_repo="fix.txt",
        repo_id=repo_id,
        create_pr=True,
    )
    return repo_id


def test_a_hub_made_through_the_real_paths_is_green(api, hub_url, hf_cache, maya, jun):
    repo_id = publish(api, hub_url, jun)
    assert finish_runs() >= 8  # until checked, weights are maintainers' only
    for again in (False, True):
        hf_hub_download(
            repo_id,
            "model.safetensors",
            cache_dir=hf_cache,
            endpoint=hub_url,
            force_download=again,
        )
    like = requests.post(
        f"{hub_url}/api/models/{repo_id}/like",
        headers={"authorization": f"Bearer {jun[1]}"},
        timeout=30,
    )
    assert like.status_code == 200, like.text
    repo = ModelRepo.objects.get(name="green")
    review, _ = review_submit(
        repo=repo, author=jun[0], commit=repo.commits.latest("created_at"), rating=4
    )
    review_vote_add(review=review, user=maya[0])
    discussion_create(repo=repo, author=jun[0], title="A question")

    report, status = invariants()

    assert (status, report["findings"]) == (0, [])
    assert report["ok"] is True
    assert set(report["checks"]) == ALL_CHECKS
    repo.refresh_from_db()
    assert (repo.downloads, repo.likes, repo.rating_count) == (2, 1, 1)
    assert Ref.objects.filter(repo=repo, kind=Ref.Kind.PULL_REQUEST).count() == 1
    assert not ValidationRun.objects.exclude(status__in=ValidationRun.FINISHED)
    assert report["checks"]["runs"]["examined"] == repo.commits.count()
