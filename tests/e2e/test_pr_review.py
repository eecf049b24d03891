"""A stranger's pull request reviewed and merged, with the real client and a
real validation worker (issue 8: "the owner sees checks, approves and
merges, the file is on main")."""

from __future__ import annotations

import pytest
import requests

from tests.e2e.conftest import wait_for

REPO_ID = "maya/reviewed"


@pytest.mark.slow
def test_stranger_pr_is_checked_approved_and_merged(
    api, maya, jun, hub_url, start_worker
):
    from huggingface_hub import CommitOperationAdd, HfApi

    api.create_repo(REPO_ID)
    api.upload_file(
        repo_id=REPO_ID,
        path_or_fileobj=b'{"model_type": "llama"}\n',
        path_in_repo="config.json",
    )
    start_worker(queues=["validation"])
    contributor = HfApi(endpoint=hub_url, token=jun[1])
    pr = contributor.create_commit(
        REPO_ID,
        operations=[
            CommitOperationAdd("NOTES.md", b"# Notes\nTrained for 3 epochs.\n")
        ],
        commit_message="Add training notes",
        create_pr=True,
    )
    assert pr.pr_num == 1
    owner = requests.Session()
    owner.headers["Authorization"] = f"Bearer {maya[1]}"
    detail_url = f"{hub_url}/api/v1/models/{REPO_ID}/discussions/1"

    def checks_passed():
        head = owner.get(detail_url, timeout=10).json()["head_commit"]
        checks = owner.get(
            f"{hub_url}/api/v1/models/{REPO_ID}/commits/{head}/checks", timeout=10
        ).json()
        return checks["summary"]["state"] == "success" and checks

    checks = wait_for(checks_passed, timeout=90)
    assert {run["path"] for run in checks["results"]} >= {"NOTES.md"}
    # The PR page (public repo) shows the head's checks as passed.
    page = requests.get(f"{hub_url}/maya/reviewed/discussions/1", timeout=10)
    assert "All checks passed" in page.text
    detail = owner.get(detail_url, timeout=10).json()
    assert detail["mergeable"] == [] and detail["review"]["state"] == "none"

    approved = owner.post(
        f"{detail_url}/reviews", json={"state": "approved", "content": "Thanks!"}
    )
    assert approved.status_code == 201, approved.text
    assert owner.get(detail_url, timeout=10).json()["review"]["state"] == "approved"

    locked = owner.post(f"{detail_url}/lock", json={"value": True}, timeout=10)
    assert locked.status_code == 200 and locked.json()["is_locked"] is True
    # The real client reads review and moderation events (types it does not
    # know) as plain events, without failing.
    details = api.get_discussion_details(REPO_ID, 1)
    review = [e for e in details.events if e.type == "review"]
    assert len(review) == 1 and review[0].author == "maya"
    assert [e.type for e in details.events][-1] == "moderation"
    # Locked: jun's comment through the client is refused, maya's accepted.
    from huggingface_hub.errors import HfHubHTTPError

    with pytest.raises(HfHubHTTPError) as refused:
        contributor.comment_discussion(REPO_ID, 1, "One more thing")
    assert refused.value.response.status_code == 403
    assert "locked" in str(refused.value)
    api.comment_discussion(REPO_ID, 1, "Locked while we merge.")
    assert contributor.get_discussion_details(REPO_ID, 1).status == "open"

    api.merge_pull_request(REPO_ID, 1, comment="Merged, thank you")
    assert api.get_discussion_details(REPO_ID, 1).status == "merged"
    assert "NOTES.md" in api.list_repo_files(REPO_ID)
    # jun hears of the review, maya's comment and the merge.
    from hub.notifications.models import Notification

    kinds = list(
        Notification.objects.filter(recipient=jun[0]).values_list("kind", flat=True)
    )
    assert sorted(kinds) == ["comment", "merge", "review"]
