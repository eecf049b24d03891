"""Pull request reviews, merge refusals with their reasons, pin and lock,
browser contributions, and who is notified of what."""

from __future__ import annotations

import pytest

from hub.accounts.actors import Actor
from hub.accounts.memberships import membership_set
from hub.catalog.errors import QuarantinedBlobError
from hub.catalog.merge import MergeConflictError
from hub.catalog.revisions import revision_resolve
from hub.catalog.services.operations import DeleteFile
from hub.community.commits import commit_submit
from hub.community.models import Discussion
from hub.community.pull_request_selectors import (
    pull_request_merge_blockers,
    pull_request_review_summary,
)
from hub.community.selectors import discussion_list, repo_maintainers
from hub.community.services.comments import DiscussionLockedError, comment_create
from hub.community.services.discussions import (
    discussion_create,
    discussion_set_locked,
    discussion_set_pinned,
)
from hub.community.services.pull_requests import (
    ChecksFailedError,
    pull_request_create_with_commit,
    pull_request_merge,
    pull_request_review,
)
from hub.core.errors import ConflictError, PermissionDeniedError, ValidationError
from hub.jobs.models import ValidationRun
from hub.notifications.models import Notification
from hub.storage.models import Blob
from hub.storage.services import blob_quarantine, blob_upload_bytes
from tests.community.test_pull_requests import add, push
from tests.factories import commit_files, make_org, make_repo, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def pr(repo, contributor):
    pr, _ = pull_request_create_with_commit(
        repo=repo,
        author=contributor,
        base_branch="main",
        operations=[add("notes.md", b"# Notes\n")],
        title="Add notes",
    )
    return pr


def fail_check(pr: Discussion, path: str, message: str) -> None:
    head = revision_resolve(repo=pr.repo, revision=pr.git_ref)
    updated = ValidationRun.objects.filter(commit=head, path=path).update(
        status=ValidationRun.Status.FAILED,
        verdict=ValidationRun.Verdict.FAILED,
        findings=[{"severity": "error", "message": message}],
    )
    assert updated == 1


def notified(user) -> list[tuple[str, str]]:
    return [
        (n.kind, n.text)
        for n in Notification.objects.filter(recipient=user).order_by("pk")
    ]


# Reviews --------------------------------------------------------------------


def test_review_state_follows_each_maintainers_latest_verdict(
    repo, pr, owner, contributor
):
    assert pull_request_review_summary(discussion=pr).state == "none"
    pull_request_review(
        discussion=pr, actor=owner, state="changes_requested", content="Fix the title"
    )
    assert pull_request_review_summary(discussion=pr).state == "changes_requested"
    # A comment-only review leaves the verdict as it was.
    pull_request_review(
        discussion=pr, actor=owner, state="commented", content="Also..."
    )
    assert pull_request_review_summary(discussion=pr).state == "changes_requested"
    event = pull_request_review(discussion=pr, actor=owner, state="approved")
    summary = pull_request_review_summary(discussion=pr)
    assert (summary.state, summary.approved_by) == ("approved", ["owner"])
    head = revision_resolve(repo=repo, revision=pr.git_ref)
    assert event.data == {"state": "approved", "oid": head.oid}


def test_stranger_cannot_review_a_pull_request(pr, contributor):
    stranger = make_user("passer-by")
    for actor in (stranger, contributor):
        with pytest.raises(PermissionDeniedError, match="Only maintainers"):
            pull_request_review(discussion=pr, actor=actor, state="approved")
    assert pull_request_review_summary(discussion=pr).state == "none"


@pytest.mark.parametrize(
    ("state", "content", "message"),
    [
        ("lgtm", "", "approved"),
        ("commented", "", "must not be empty"),
        ("changes_requested", " ", "must not be empty"),
    ],
)
def test_bad_review_is_refused(pr, owner, state, content, message):
    with pytest.raises(ValidationError, match=message):
        pull_request_review(discussion=pr, actor=owner, state=state, content=content)
    assert not pr.events.filter(type="review").exists()


def test_discussions_and_closed_prs_cannot_be_reviewed(repo, pr, owner, contributor):
    talk = discussion_create(repo=repo, author=contributor, title="Question")
    with pytest.raises(ValidationError, match="only pull requests"):
        pull_request_review(discussion=talk, actor=owner, state="approved")
    pull_request_merge(discussion=pr, actor=owner)
    with pytest.raises(ValidationError, match="is merged"):
        pull_request_review(discussion=pr, actor=owner, state="approved")


# Merge refusals -------------------------------------------------------------


def test_merge_is_refused_while_a_check_fails_and_says_which(pr, owner):
    fail_check(pr, "notes.md", "notes.md: not valid Markdown front matter")
    blockers = pull_request_merge_blockers(discussion=pr)
    assert [b.code for b in blockers] == ["checks_failed"]
    assert "notes.md: not valid Markdown front matter" in blockers[0].message
    with pytest.raises(ChecksFailedError, match="notes.md: not valid Markdown"):
        pull_request_merge(discussion=pr, actor=owner)
    pr.refresh_from_db()
    assert pr.status == "open"


def test_merge_is_refused_with_a_quarantined_file_and_names_it(
    repo, pr, owner, contributor
):
    push(repo, pr, {"model.pkl": b"\x80\x04evil"}, contributor)
    head = revision_resolve(repo=repo, revision=pr.git_ref)
    blob = Blob.objects.get(pk=head.entries.get(path="model.pkl").blob_id)
    blob_quarantine(blob=blob, reason="imports os.system")
    codes = [b.code for b in pull_request_merge_blockers(discussion=pr)]
    assert "quarantined" in codes
    message = next(
        b.message
        for b in pull_request_merge_blockers(discussion=pr)
        if b.code == "quarantined"
    )
    assert "model.pkl" in message
    with pytest.raises(QuarantinedBlobError, match="model.pkl"):
        pull_request_merge(discussion=pr, actor=owner)


def test_merge_is_refused_when_main_changed_the_same_file(repo, pr, owner, contributor):
    commit_files(repo, {"notes.md": b"# Other notes\n"}, author=owner)
    blockers = pull_request_merge_blockers(discussion=pr)
    assert [(b.code, "notes.md" in b.message) for b in blockers] == [("conflict", True)]
    with pytest.raises(MergeConflictError, match="notes.md changed differently"):
        pull_request_merge(discussion=pr, actor=owner)


def test_clean_merge_after_main_moved_makes_a_merge_commit(
    repo, pr, owner, contributor
):
    commit_files(repo, {"other.txt": b"o\n"}, author=owner)
    assert pull_request_merge_blockers(discussion=pr) == []
    merged = pull_request_merge(discussion=pr, actor=owner)
    assert merged.merge_parent is not None
    main = revision_resolve(repo=repo, revision="main")
    assert main == merged
    assert set(main.entries.values_list("path", flat=True)) >= {"notes.md", "other.txt"}
    pr.refresh_from_db()
    assert (pr.status, pr.merge_commit) == ("merged", merged)


def test_merge_fast_forwards_when_main_did_not_move(repo, pr, owner):
    head = revision_resolve(repo=repo, revision=pr.git_ref)
    assert pull_request_merge(discussion=pr, actor=owner) == head
    assert revision_resolve(repo=repo, revision="main") == head


# Pin and lock ---------------------------------------------------------------


def test_locked_discussion_takes_comments_from_maintainers_only(
    repo, owner, contributor
):
    talk = discussion_create(repo=repo, author=contributor, title="Question")
    discussion_set_locked(discussion=talk, actor=owner, locked=True)
    with pytest.raises(DiscussionLockedError, match="is locked"):
        comment_create(discussion=talk, author=contributor, content="Hello?")
    comment_create(discussion=talk, author=owner, content="Answered in the card.")
    discussion_set_locked(discussion=talk, actor=owner, locked=False)
    comment_create(discussion=talk, author=contributor, content="Thanks")
    actions = [e.data["action"] for e in talk.events.filter(type="moderation")]
    assert actions == ["locked", "unlocked"]


def test_only_maintainers_pin_and_lock(repo, contributor):
    talk = discussion_create(repo=repo, author=contributor, title="Question")
    with pytest.raises(PermissionDeniedError):
        discussion_set_pinned(discussion=talk, actor=contributor, pinned=True)
    with pytest.raises(PermissionDeniedError):
        discussion_set_locked(discussion=talk, actor=contributor, locked=True)
    talk.refresh_from_db()
    assert not talk.is_pinned and not talk.is_locked


def test_pinned_discussions_come_first_and_pinning_twice_changes_nothing(
    repo, owner, contributor
):
    first = discussion_create(repo=repo, author=contributor, title="First")
    discussion_create(repo=repo, author=contributor, title="Second")
    discussion_set_pinned(discussion=first, actor=owner, pinned=True)
    discussion_set_pinned(discussion=first, actor=owner, pinned=True)
    assert first.events.filter(type="moderation").count() == 1
    titles = [d.title for d in discussion_list(repo=repo, pinned_first=True)]
    assert titles == ["First", "Second"]


# Browser contributions ---------------------------------------------------------


def test_stranger_contribution_becomes_a_pull_request(repo, owner, contributor):
    main = revision_resolve(repo=repo, revision="main")
    pr, commit = commit_submit(
        actor=Actor.of(contributor),
        repo=repo,
        revision="main",
        operations=[DeleteFile("config.json")],
        title="Drop the config",
        create_pr=True,
    )
    assert pr is not None and pr.is_pull_request and pr.status == "open"
    assert revision_resolve(repo=repo, revision="main") == main
    with pytest.raises(PermissionDeniedError, match="open a pull request"):
        commit_submit(
            actor=Actor.of(contributor),
            repo=repo,
            revision="main",
            operations=[DeleteFile("config.json")],
            title="Drop it directly",
            create_pr=False,
        )
    # Its author adds a commit to it; a stranger may not.
    blob = blob_upload_bytes(data=b"more\n", claimed_by=contributor.pk)
    from hub.catalog.services.operations import AddFile

    same, second = commit_submit(
        actor=Actor.of(contributor),
        repo=repo,
        revision=pr.git_ref,
        operations=[AddFile("more.txt", blob.sha256)],
        title="More",
        create_pr=False,
    )
    assert same == pr and second.parent == commit
    with pytest.raises(PermissionDeniedError):
        commit_submit(
            actor=Actor.of(make_user("passer-by")),
            repo=repo,
            revision=pr.git_ref,
            operations=[AddFile("x.txt", blob.sha256)],
            title="Sneak in",
            create_pr=False,
        )


def test_maintainer_commits_directly_unless_main_moved(repo, owner):
    main = revision_resolve(repo=repo, revision="main")
    commit_files(repo, {"x.txt": b"x"}, author=owner)
    with pytest.raises(ConflictError):
        commit_submit(
            actor=Actor.of(owner),
            repo=repo,
            revision="main",
            operations=[DeleteFile("config.json")],
            title="Drop",
            create_pr=False,
            expected_parent=main.oid,
        )
    pr, commit = commit_submit(
        actor=Actor.of(owner),
        repo=repo,
        revision="main",
        operations=[DeleteFile("config.json")],
        title="Drop",
        create_pr=False,
    )
    assert pr is None and revision_resolve(repo=repo, revision="main") == commit


# Notifications -----------------------------------------------------------------


def test_org_maintainers_are_writers_and_admins_only(owner):
    org = make_org("lab", creator=owner)
    writer, reader = make_user("writer"), make_user("reader")
    membership_set(organization=org, user=writer, role="write")
    membership_set(organization=org, user=reader, role="read")
    repo = make_repo(org, "m", creator=owner)
    assert [u.username for u in repo_maintainers(repo=repo)] == ["owner", "writer"]


def test_new_pull_request_notifies_maintainers_not_the_author(
    repo, owner, contributor, pr
):
    assert notified(owner) == [
        (
            "pull_request",
            "contributor opened pull request #1 on owner/community-model: Add notes",
        )
    ]
    assert notified(contributor) == []
    note = Notification.objects.get(recipient=owner)
    assert note.url == "/owner/community-model/discussions/1"
    assert note.discussion == pr and note.actor == contributor


def test_comment_notifies_participants_and_maintainers_but_not_its_author(
    repo, owner, contributor
):
    talk = discussion_create(repo=repo, author=contributor, title="Question")
    other = make_user("other")
    comment_create(discussion=talk, author=other, content="Same question")
    Notification.objects.all().delete()
    comment_create(discussion=talk, author=owner, content="Answer")
    assert sorted(n.recipient.username for n in Notification.objects.all()) == [
        "contributor",
        "other",
    ]
    assert {n.kind for n in Notification.objects.all()} == {"comment"}


def test_review_and_merge_notify_the_pr_author(repo, owner, contributor, pr):
    Notification.objects.all().delete()
    pull_request_review(discussion=pr, actor=owner, state="approved")
    pull_request_merge(discussion=pr, actor=owner)
    assert [kind for kind, _ in notified(contributor)] == ["review", "merge"]
    assert notified(owner) == []
    assert "owner approved pull request #1" in notified(contributor)[0][1]
