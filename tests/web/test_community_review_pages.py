"""Pages of reviews, gated access, license lineage and moderation."""

from __future__ import annotations

import pytest

from hub.accounts.actors import Actor
from hub.catalog.services.repos import repo_update_settings
from hub.community.services.comments import comment_create
from hub.community.services.discussions import discussion_create
from hub.licenses.models import LicenseAcceptance
from hub.moderation.models import ModerationAction, Report
from hub.moderation.services.actions import moderation_hide_review
from hub.reviews.models import Review
from hub.reviews.services import review_reply_create, review_submit
from tests.factories import commit_files, make_org, make_repo, make_user

pytestmark = pytest.mark.django_db


def _head(repo):
    return repo.refs.get(name="main").commit


def test_model_page_shows_average_distribution_and_reviews(
    client, repo, owner, django_assert_max_num_queries
):
    for name, rating in [("ann", 5), ("bob", 4), ("cy", 3)]:
        review_submit(
            repo=repo,
            author=make_user(name),
            commit=_head(repo),
            rating=rating,
            text=f"Review by {name} <script>alert(1)</script> **bold**",
        )
    bob = Review.objects.get(author__username="bob")
    review_reply_create(review=bob, author=owner, text="Thanks bob")

    # 14 today, whatever the number of reviews (authors, commits and replies
    # are joined).
    with django_assert_max_num_queries(18):
        html = client.get("/owner/tiny").content.decode()

    assert "data-rating-average>4.0<" in html
    assert "3 reviews" in html
    assert "Review by ann" in html and "<strong>bold</strong>" in html
    assert "<script>alert(1)</script>" not in html
    assert "Thanks bob" in html
    assert 'aria-label="3 out of 5 stars">★★★☆☆<' in html
    assert "Sign in</a> to review" in html


def test_signed_in_user_writes_then_edits_a_review(client, repo, stranger):
    client.force_login(stranger)

    first = client.post(
        "/owner/tiny/reviews",
        {"rating": "4", "text": "Good", "hardware": "RTX 4090", "revision": "main"},
    )
    second = client.post("/owner/tiny/reviews", {"rating": "2", "text": "Worse"})

    review = Review.objects.get(author=stranger)
    assert first.status_code == second.status_code == 302
    assert first.url == f"/owner/tiny#review-{review.pk}"
    assert (review.rating, review.text, review.hardware) == (2, "Worse", "")
    assert review.revisions.count() == 1
    html = client.get("/owner/tiny").content.decode()
    assert "Edit your review" in html
    history = client.get(f"/owner/tiny/reviews/{review.pk}/history")
    assert history.status_code == 200 and "Good" in history.content.decode()


def test_bad_review_input_changes_nothing(client, repo, stranger):
    client.force_login(stranger)

    for data in (
        {"rating": "9", "text": "x"},
        {"rating": "3", "revision": "no-such-branch"},
    ):
        response = client.post("/owner/tiny/reviews", data, follow=True)
        assert "Review not saved" in response.content.decode()
    assert not Review.objects.exists()


def test_anonymous_post_is_sent_to_sign_in(client, repo):
    response = client.post("/owner/tiny/reviews", {"rating": "5"})
    assert response.status_code == 302 and "/login" in response.url
    assert not Review.objects.exists()


def test_helpful_vote_from_the_page(client, repo, stranger):
    review, _ = review_submit(repo=repo, author=stranger, commit=_head(repo), rating=5)
    voter = make_user("voter")
    client.force_login(voter)

    client.post(f"/owner/tiny/reviews/{review.pk}/helpful", {"action": "add"})
    client.post(f"/owner/tiny/reviews/{review.pk}/helpful", {"action": "add"})

    review.refresh_from_db()
    assert review.helpful_count == 1


def test_gated_model_asks_to_agree_and_then_downloads(client, repo, stranger):
    repo_update_settings(repo=repo, gated="auto")
    client.force_login(stranger)

    page = client.get("/owner/tiny").content.decode()
    blocked = client.get("/owner/tiny/resolve/main/config.json")
    refused = client.post("/owner/tiny/access", {})
    refused_rows = LicenseAcceptance.objects.count()
    agreed = client.post("/owner/tiny/access", {"accept": "yes"})
    downloaded = client.get("/owner/tiny/resolve/main/config.json")

    assert "Agree and access" in page and "Apache License 2.0" in page
    assert blocked.status_code == 403
    assert refused.status_code == 302 and refused_rows == 0
    assert agreed.status_code == 302
    assert downloaded.status_code == 200
    assert "You have access" in client.get("/owner/tiny").content.decode()


def test_manual_gate_pending_then_owner_accepts_on_the_requests_page(
    client, repo, owner, stranger, django_assert_max_num_queries
):
    repo_update_settings(repo=repo, gated="manual")
    client.force_login(stranger)
    client.post("/owner/tiny/access", {"accept": "yes", "reason": "research"})
    assert "pending" in client.get("/owner/tiny").content.decode()
    assert client.get("/owner/tiny/access-requests").status_code == 403

    client.force_login(owner)
    with django_assert_max_num_queries(20):
        page = client.get("/owner/tiny/access-requests").content.decode()
    client.post(
        "/owner/tiny/access-requests", {"username": "stranger", "status": "accepted"}
    )

    assert "stranger" in page and "research" in page
    assert LicenseAcceptance.objects.get().status == "accepted"


def _card(license_id: str, base: str | None = None) -> bytes:
    base_line = f"base_model: {base}\n" if base else ""
    return f"---\nlicense: {license_id}\n{base_line}---\n# M\n".encode()


def test_lineage_warnings_on_derivative_and_base_pages(client, owner):
    base = make_repo(owner, "nc-base")
    commit_files(base, {"README.md": _card("cc-by-nc-4.0")})
    child = make_repo(owner, "child")
    commit_files(child, {"README.md": _card("apache-2.0", "owner/nc-base")})

    child_page = client.get("/owner/child").content.decode()
    base_page = client.get("/owner/nc-base").content.decode()

    assert 'data-lineage="conflict"' in child_page
    assert "non-commercial" in child_page
    assert 'data-lineage="derivatives"' in base_page
    assert "owner/child" in base_page


def test_report_page_creates_a_report_and_goes_back(client, repo, stranger):
    client.force_login(stranger)

    form = client.get("/moderation/report?kind=model&target=owner/tiny")
    bad = client.post(
        "/moderation/report", {"kind": "model", "target": "owner/tiny", "reason": "?"}
    )
    done = client.post(
        "/moderation/report",
        {"kind": "model", "target": "owner/tiny", "reason": "malware"},
    )

    assert form.status_code == 200 and "Report a model" in form.content.decode()
    assert bad.status_code == 400
    assert done.status_code == 302 and done.url == "/owner/tiny"
    assert Report.objects.get().reason == "malware"


def test_moderation_queue_is_for_moderators_only(
    client, repo, stranger, django_assert_max_num_queries
):
    staff = make_user("mod", is_staff=True)
    review, _ = review_submit(repo=repo, author=stranger, commit=_head(repo), rating=1)
    for n in range(3):
        from hub.moderation.services.reports import report_create

        report_create(actor=Actor.of(make_user(f"r{n}")), reason="spam", review=review)

    client.force_login(stranger)
    assert client.get("/moderation").status_code == 403
    client.force_login(staff)
    with django_assert_max_num_queries(10):
        page = client.get("/moderation")

    assert page.status_code == 200
    assert page.content.decode().count('class="panel report"') == 3


def test_moderator_hides_review_from_queue_author_sees_why(client, repo, stranger):
    staff = make_user("mod", is_staff=True)
    review, _ = review_submit(
        repo=repo, author=stranger, commit=_head(repo), rating=1, text="rude words"
    )
    from hub.moderation.services.reports import report_create

    report = report_create(
        actor=Actor.of(make_user("rep")), reason="abuse", review=review
    )
    client.force_login(staff)

    response = client.post(
        "/moderation/act",
        {
            "action": "hide_review",
            "target": str(review.pk),
            "reason": "Insults",
            "report": str(report.pk),
        },
    )

    assert response.status_code == 302
    assert ModerationAction.objects.get().reason == "Insults"
    assert "rude words" not in client.get("/owner/tiny").content.decode()
    client.force_login(stranger)
    own_view = client.get("/owner/tiny").content.decode()
    assert "Hidden by a moderator" in own_view and "Insults" in own_view
    log = client.get("/moderation/log")
    assert log.status_code == 403  # the author is no moderator
    client.force_login(staff)
    assert "Insults" in client.get("/moderation/log").content.decode()


def test_disabled_model_shows_the_reason_and_serves_nothing(client, repo, owner):
    staff = make_user("mod", is_staff=True)
    client.force_login(staff)
    client.post(
        "/moderation/act",
        {"action": "disable_repo", "target": "owner/tiny", "reason": "Court order"},
    )
    client.force_login(owner)

    page = client.get("/owner/tiny")
    tree = client.get("/owner/tiny/tree/main")
    readme = client.get("/owner/tiny/resolve/main/README.md")
    config = client.get("/owner/tiny/resolve/main/config.json")

    assert page.status_code == tree.status_code == 403
    assert "Court order" in page.content.decode()
    assert readme.status_code == config.status_code == 403
    assert readme["X-Error-Message"] == "Access to this resource is disabled."
    client.force_login(staff)
    assert client.get("/owner/tiny").status_code == 200  # moderators still see it


def test_org_admin_moderates_comments_on_org_repos(client, owner, stranger):
    org = make_org("lab", creator=owner)
    repo = make_repo(org, "m", creator=owner)
    commit_files(repo, {"a.txt": b"a"})
    discussion = discussion_create(repo=repo, author=stranger, title="t")
    comment = comment_create(discussion=discussion, author=stranger, content="spam!")
    client.force_login(owner)

    client.post(
        "/moderation/act",
        {"action": "hide_comment", "target": str(comment.pk), "reason": "Spam"},
    )

    comment.refresh_from_db()
    assert comment.is_hidden
    entry = ModerationAction.objects.get()
    assert (entry.actor, entry.action) == (owner, "hide_comment")


def test_search_sorts_by_rating_and_filters_by_minimum(client, owner, stranger):
    for name, rating in [("meh", 2), ("great", 5)]:
        r = make_repo(owner, name)
        review_submit(
            repo=r, author=stranger, commit=commit_files(r, {"a": b"a"}), rating=rating
        )

    html = client.get("/models?sort=rating&min_rating=4").content.decode()

    assert "owner/great" in html and "owner/meh" not in html
    assert "Highest rated" in html


def test_hidden_review_is_not_reportable_again_and_not_in_lists(client, repo, stranger):
    staff = make_user("mod", is_staff=True)
    review, _ = review_submit(repo=repo, author=stranger, commit=_head(repo), rating=1)
    moderation_hide_review(review=review, actor=Actor.of(staff), reason="x")
    client.force_login(make_user("other"))

    response = client.get(f"/moderation/report?kind=review&target={review.pk}")

    assert response.status_code == 404


@pytest.mark.parametrize(
    "query", ["kind=planet&target=x", "kind=review&target=abc", "kind=model&target=x"]
)
def test_report_page_refuses_malformed_targets(client, stranger, query):
    client.force_login(stranger)

    response = client.get(f"/moderation/report?{query}")

    assert response.status_code == 400
    assert not Report.objects.exists()


def test_author_of_a_hidden_comment_sees_the_reason_on_it(client, repo, stranger):
    from hub.moderation.services.actions import moderation_hide_comment

    discussion = discussion_create(repo=repo, author=stranger, title="Question")
    comment = comment_create(discussion=discussion, author=stranger, content="spam")
    moderation_hide_comment(
        comment=comment,
        actor=Actor.of(make_user("mod", is_staff=True)),
        reason="Link farm",
    )
    url = f"/owner/tiny/discussions/{discussion.num}"

    client.force_login(stranger)
    as_author = client.get(url).content.decode()
    client.force_login(make_user("other"))
    as_other = client.get(url).content.decode()

    assert "Link farm" in as_author
    assert "Link farm" not in as_other and "spam" not in as_other
