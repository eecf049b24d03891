"""Discussion and pull request pages, their actions, browser contributions
and the notifications page: permissions, messages, query counts."""

from __future__ import annotations

import pytest

from hub.catalog.revisions import revision_resolve
from hub.catalog.services.operations import AddFile
from hub.catalog.services.repos import repo_update_settings
from hub.community.models import Discussion
from hub.community.services.comments import comment_create
from hub.community.services.discussions import discussion_create
from hub.community.services.pull_requests import pull_request_create_with_commit
from hub.jobs.models import ValidationRun
from hub.notifications.models import Notification
from hub.storage.services import blob_upload_bytes
from tests.factories import commit_files, make_user
from tests.web.conftest import safetensors_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def stranger_pr(repo, stranger):
    pr, _ = pull_request_create_with_commit(
        repo=repo,
        author=stranger,
        base_branch="main",
        operations=[
            AddFile("notes.md", blob_upload_bytes(data=b"# Notes\n").sha256),
            AddFile(
                "model.safetensors",
                blob_upload_bytes(data=safetensors_bytes(12)).sha256,
            ),
        ],
        title="Add notes and bigger weights",
        description="Please **merge** <script>alert(1)</script>",
    )
    return pr


def pass_checks(pr: Discussion) -> None:
    head = revision_resolve(repo=pr.repo, revision=pr.git_ref)
    ValidationRun.objects.filter(commit=head).update(
        status=ValidationRun.Status.SUCCEEDED, verdict=ValidationRun.Verdict.PASSED
    )


def test_list_shows_counts_filters_and_pinned_first(
    client, repo, owner, stranger, stranger_pr, django_assert_max_num_queries
):
    for n in range(8):
        discussion_create(repo=repo, author=stranger, title=f"Question {n}")
    with django_assert_max_num_queries(10):
        response = client.get("/owner/tiny/discussions")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Add notes and bigger weights" in html and "Question 7" in html
    assert "data-community-count>9<" in html
    html = client.get("/owner/tiny/discussions?type=pull_request").content.decode()
    assert "Add notes" in html and "Question 7" not in html
    html = client.get("/owner/tiny/discussions?status=closed").content.decode()
    assert "Add notes" not in html and "No closed" in html


def test_private_repo_discussions_are_404_for_strangers(client, private_repo, stranger):
    client.force_login(stranger)
    assert client.get("/owner/secret/discussions").status_code == 404
    assert client.get("/owner/secret/discussions/1").status_code == 404


def test_pull_request_page_shows_sanitized_description_checks_and_merge_box(
    client, repo, stranger_pr, django_assert_max_num_queries
):
    with django_assert_max_num_queries(30):
        response = client.get("/owner/tiny/discussions/1")
    html = response.content.decode()
    assert "<strong>merge</strong>" in html
    assert "<script>alert(1)" not in html
    assert "Validation running" in html  # queued checks: live panel
    assert 'data-checks-url="/owner/tiny/checks/' in html
    assert "Merge pull request" not in html  # anonymous: no merge button
    files = client.get("/owner/tiny/discussions/1?tab=files").content.decode()
    assert "notes.md" in files and "+# Notes" in files
    # Weights: size and safetensors parameters before → after.
    assert "Weights facts" in files and "F32 (12)" in files
    commits = client.get("/owner/tiny/discussions/1?tab=commits").content.decode()
    assert "Add notes and bigger weights" in commits


def test_stranger_cannot_merge_pull_request(client, repo, stranger, stranger_pr):
    client.force_login(stranger)
    pass_checks(stranger_pr)
    response = client.post("/owner/tiny/discussions/1/merge")
    assert response.status_code == 403
    stranger_pr.refresh_from_db()
    assert stranger_pr.status == "open"


def test_merge_refused_while_a_check_fails_shows_why(client, repo, owner, stranger_pr):
    head = revision_resolve(repo=repo, revision=stranger_pr.git_ref)
    ValidationRun.objects.filter(commit=head, path="notes.md").update(
        status="failed",
        verdict="failed",
        findings=[{"severity": "error", "message": "broken notes"}],
    )
    client.force_login(owner)
    html = client.get("/owner/tiny/discussions/1").content.decode()
    assert 'data-blocker="checks_failed"' in html and "broken notes" in html
    assert "disabled" in html.split("Merge pull request")[0].rsplit("<button", 1)[1]
    response = client.post("/owner/tiny/discussions/1/merge", follow=True)
    assert "cannot be merged while checks fail" in response.content.decode()
    stranger_pr.refresh_from_db()
    assert stranger_pr.status == "open"


def test_owner_reviews_and_merges_from_the_page(client, repo, owner, stranger_pr):
    pass_checks(stranger_pr)
    client.force_login(owner)
    response = client.post(
        "/owner/tiny/discussions/1/review",
        {"state": "approved", "content": "Looks **good**"},
        follow=True,
    )
    html = response.content.decode()
    assert "Review submitted." in html
    assert "approved these changes" in html and "<strong>good</strong>" in html
    assert "data-review-state>Approved<" in html
    response = client.post("/owner/tiny/discussions/1/merge", follow=True)
    assert "Merged into main" in response.content.decode()
    stranger_pr.refresh_from_db()
    assert stranger_pr.status == "merged"
    main = revision_resolve(repo=repo, revision="main")
    assert main.entries.filter(path="notes.md").exists()


def test_bad_review_state_is_a_message_and_changes_nothing(client, owner, stranger_pr):
    client.force_login(owner)
    response = client.post(
        "/owner/tiny/discussions/1/review", {"state": "maybe"}, follow=True
    )
    assert "A review is" in response.content.decode()
    assert not stranger_pr.events.filter(type="review").exists()


def test_comment_edit_history_and_hide(client, repo, owner, stranger):
    talk = discussion_create(repo=repo, author=stranger, title="Question")
    client.force_login(stranger)
    client.post("/owner/tiny/discussions/1/comment", {"content": "First *try*"})
    event = talk.events.filter(type="comment").latest("pk")
    client.post(
        f"/owner/tiny/discussions/1/comments/{event.pk}/edit",
        {"content": "Second try"},
    )
    html = client.get("/owner/tiny/discussions/1").content.decode()
    assert "Second try" in html
    assert "edited" in html and "First *try*" in html  # the history shows it
    other = make_user("other")
    client.force_login(other)
    response = client.post(f"/owner/tiny/discussions/1/comments/{event.pk}/hide")
    assert response.status_code == 403
    client.force_login(owner)
    client.post(f"/owner/tiny/discussions/1/comments/{event.pk}/hide")
    html = client.get("/owner/tiny/discussions/1").content.decode()
    assert "This comment has been hidden by owner" in html
    assert "Second try" not in html


def test_locked_discussion_refuses_strangers_comment(client, repo, owner, stranger):
    talk = discussion_create(repo=repo, author=stranger, title="Question")
    client.force_login(owner)
    client.post("/owner/tiny/discussions/1/lock", {"value": "1"})
    talk.refresh_from_db()
    assert talk.is_locked
    client.force_login(stranger)
    html = client.get("/owner/tiny/discussions/1").content.decode()
    assert "only maintainers can comment" in html and 'id="id_comment"' not in html
    response = client.post("/owner/tiny/discussions/1/comment", {"content": "Hi"})
    assert response.status_code == 403
    assert talk.events.filter(type="comment").count() == 1


def test_stranger_cannot_pin(client, repo, stranger):
    discussion_create(repo=repo, author=stranger, title="Question")
    client.force_login(stranger)
    assert (
        client.post("/owner/tiny/discussions/1/pin", {"value": "1"}).status_code == 403
    )


def test_new_discussion_needs_sign_in_and_a_title(client, repo, stranger):
    response = client.get("/owner/tiny/discussions/new")
    assert response.status_code == 302 and "/login" in response["Location"]
    client.force_login(stranger)
    response = client.post("/owner/tiny/discussions/new", {"title": " "})
    assert response.status_code == 200
    assert not Discussion.objects.exists()
    response = client.post(
        "/owner/tiny/discussions/new", {"title": "Hello", "description": "Hi"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/owner/tiny/discussions/1"


def test_stranger_edits_a_file_as_a_pull_request(client, repo, owner, stranger):
    client.force_login(stranger)
    page = client.get("/owner/tiny/edit/main/config.json").content.decode()
    assert "model_type" in page and "Open pull request" in page
    response = client.post(
        "/owner/tiny/edit/main/config.json",
        {
            "content": '{"model_type": "llama", "hidden_size": 16}\n',
            "title": "Bigger hidden size",
            "target": "commit",  # ignored: strangers always open a PR
            "parent": revision_resolve(repo=repo, revision="main").oid,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/owner/tiny/discussions/1"
    pr = Discussion.objects.get(num=1)
    head = revision_resolve(repo=repo, revision=pr.git_ref)
    assert head.title == "Bigger hidden size"
    main = revision_resolve(repo=repo, revision="main")
    assert main != head and main == head.parent


def test_edit_page_of_a_gated_model_shows_nothing_before_access(client, repo, stranger):
    repo_update_settings(repo=repo, gated="manual")
    client.force_login(stranger)
    response = client.get("/owner/tiny/edit/main/config.json")
    assert response.status_code == 302
    assert response["Location"] == "/owner/tiny"
    followed = client.get(response["Location"]).content.decode()
    assert "model_type" not in followed


def test_maintainer_edits_a_file_directly(client, repo, owner):
    client.force_login(owner)
    response = client.post(
        "/owner/tiny/edit/main/config.json",
        {
            "content": "{}\n",
            "title": "Empty config",
            "target": "commit",
            "parent": revision_resolve(repo=repo, revision="main").oid,
        },
    )
    assert response.status_code == 302
    main = revision_resolve(repo=repo, revision="main")
    assert main.title == "Empty config" and not Discussion.objects.exists()


def test_stale_edit_is_refused_and_commits_nothing(client, repo, owner):
    parent = revision_resolve(repo=repo, revision="main").oid
    commit_files(repo, {"other.txt": b"o"}, author=owner)
    client.force_login(owner)
    response = client.post(
        "/owner/tiny/edit/main/config.json",
        {"content": "{}\n", "title": "Late", "target": "commit", "parent": parent},
    )
    assert response.status_code == 200
    assert revision_resolve(repo=repo, revision="main").title != "Late"


def test_stranger_deletes_files_as_a_pull_request(client, repo, stranger):
    client.force_login(stranger)
    page = client.get("/owner/tiny/delete/main").content.decode()
    assert "model.safetensors" in page
    response = client.post(
        "/owner/tiny/delete/main",
        {"paths": ["model.safetensors"], "title": "Drop weights"},
    )
    assert response.status_code == 302
    pr = Discussion.objects.get(num=1)
    head = revision_resolve(repo=repo, revision=pr.git_ref)
    assert not head.entries.filter(path="model.safetensors").exists()
    response = client.post("/owner/tiny/delete/main", {"title": "Nothing"})
    assert "Choose at least one file" in response.content.decode()


def test_pr_author_adds_files_to_the_open_pr_and_others_cannot(
    client, repo, stranger, stranger_pr
):
    client.force_login(stranger)
    page = client.get("/owner/tiny/upload?branch=refs/pr/1").content.decode()
    assert "Commit to pull request #1" in page
    response = client.post(
        "/owner/tiny/edit/refs/pr/1/notes.md?new=1",
        {"content": "# Notes v2\n", "title": "Better notes"},
    )
    assert response.status_code == 302
    assert stranger_pr.events.filter(type="commit").count() == 2
    client.force_login(make_user("other"))
    assert client.get("/owner/tiny/edit/refs/pr/1/notes.md").status_code == 403


def test_notifications_page_badge_and_mark_read(
    client, repo, owner, stranger, stranger_pr, django_assert_max_num_queries
):
    comment_create(discussion=stranger_pr, author=stranger, content="Ping")
    client.force_login(owner)
    html = client.get("/").content.decode()
    assert 'data-unread-count aria-label="2 unread">2<' in html
    with django_assert_max_num_queries(8):
        html = client.get("/notifications").content.decode()
    assert "stranger opened pull request #1 on owner/tiny" in html
    note = Notification.objects.filter(recipient=owner).earliest("pk")
    response = client.post("/notifications/read", {"id": note.pk, "open": "1"})
    assert response["Location"] == note.url
    assert Notification.objects.filter(recipient=owner, read_at=None).count() == 1
    client.post("/notifications/read")
    assert not Notification.objects.filter(recipient=owner, read_at=None).exists()
    assert "data-unread-count" not in client.get("/").content.decode()
    # Someone else's notification cannot be marked or opened.
    client.force_login(stranger)
    response = client.post("/notifications/read", {"id": note.pk, "open": "1"})
    assert response["Location"] == "/notifications"


def test_notifications_need_sign_in(client):
    response = client.get("/notifications")
    assert response.status_code == 302 and "/login" in response["Location"]


def test_file_pages_offer_edit_and_delete_to_signed_in_users(client, repo, stranger):
    assert (
        "/edit/main/config.json"
        not in client.get("/owner/tiny/blob/main/config.json").content.decode()
    )
    client.force_login(stranger)
    blob = client.get("/owner/tiny/blob/main/config.json").content.decode()
    assert 'href="/owner/tiny/edit/main/config.json"' in blob
    assert 'href="/owner/tiny/delete/main?path=config.json"' in blob
    weights = client.get("/owner/tiny/blob/main/model.safetensors").content.decode()
    assert "/edit/main/model.safetensors" not in weights
    tree = client.get("/owner/tiny/tree/main").content.decode()
    assert 'href="/owner/tiny/delete/main"' in tree


def test_weights_and_commits_cannot_be_edited_in_the_browser(client, repo, stranger):
    client.force_login(stranger)
    response = client.get("/owner/tiny/edit/main/model.safetensors", follow=True)
    assert "is not a small text file" in response.content.decode()
    oid = revision_resolve(repo=repo, revision="main").oid
    assert client.get(f"/owner/tiny/edit/{oid}/config.json").status_code == 404
    assert client.get("/owner/tiny/edit/main/missing.txt").status_code == 404
    assert not Discussion.objects.exists()


def test_new_file_is_proposed_with_its_path(client, repo, stranger):
    client.force_login(stranger)
    response = client.post(
        "/owner/tiny/edit/main/?new=1",
        {"path": "docs/usage.md", "content": "# Usage\n", "title": "Add usage"},
    )
    assert response.status_code == 302
    head = revision_resolve(repo=repo, revision="refs/pr/1")
    assert head.entries.filter(path="docs/usage.md").exists()


def test_pull_request_page_lists_eval_runs_of_its_head(client, repo, stranger_pr):
    from hub.jobs.models import EvalRun
    from tests.factories import namespace_of

    html = client.get("/owner/tiny/discussions/1").content.decode()
    assert "data-pr-evals" not in html  # no runs: no panel
    head = revision_resolve(repo=repo, revision=stranger_pr.git_ref)
    EvalRun.objects.create(
        commit=head,
        owner=namespace_of(repo.namespace.user),
        evaluator="perplexity",
        suite_version="1",
        status=EvalRun.Status.FAILED,
        message="The checkpoint did not load.",
    )
    html = client.get("/owner/tiny/discussions/1").content.decode()
    assert "data-pr-evals" in html and "perplexity" in html
    assert "The checkpoint did not load." in html
