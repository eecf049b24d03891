"""Server-side tests of the pages: visibility, rendering, query counts."""

from __future__ import annotations

import re

import pytest

from hub.catalog.services.repos import repo_move
from tests.factories import commit_files, make_repo, make_user, namespace_of

pytestmark = pytest.mark.django_db


def test_home_lists_public_models_and_hides_private_ones(
    client, repo, private_repo, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "owner/tiny" in html
    assert "owner/secret" not in html


def test_home_shows_the_owner_their_private_models(client, owner, private_repo):
    client.force_login(owner)
    assert "owner/secret" in client.get("/").content.decode()


def test_model_page_renders_card_license_and_snippet(client, repo):
    response = client.get("/owner/tiny")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>tiny</strong>" in html
    assert "Apache License 2.0" in html
    assert "Commercial use allowed" in html
    assert "snapshot_download(&quot;owner/tiny&quot;)" in html
    assert "HF_ENDPOINT&quot;] = &quot;http://testserver&quot;" in html
    # Relative card links point into the repo.
    assert (
        f'href="/owner/tiny/blob/{repo.commits.latest("pk").oid}/config.json"' in html
    )
    assert 'class="highlight"' in html


@pytest.mark.parametrize(
    "path",
    [
        "/owner/secret",
        "/owner/secret/tree/main",
        "/owner/secret/blob/main/README.md",
        "/owner/secret/commits/main",
        "/owner/secret/upload",
    ],
)
def test_private_repo_pages_are_404_to_others(client, private_repo, stranger, path):
    client.force_login(stranger)
    response = client.get(path)
    assert response.status_code == 404
    assert "This page does not exist" in response.content.decode()


def test_private_repo_pages_are_404_to_anonymous_visitors(client, private_repo):
    assert client.get("/owner/secret").status_code == 404
    oid = private_repo.commits.latest("pk").oid
    assert client.get(f"/owner/secret/commit/{oid}").status_code == 404
    assert client.get(f"/owner/secret/checks/{oid}").status_code == 404


def test_private_repo_pages_open_to_the_owner(client, owner, private_repo):
    client.force_login(owner)
    assert client.get("/owner/secret").status_code == 200
    assert client.get("/owner/secret/tree/main").status_code == 200


def test_missing_model_is_a_friendly_404(client, db):
    response = client.get("/nobody/nothing")
    assert response.status_code == 404
    assert "This page does not exist" in response.content.decode()


def test_renamed_repo_redirects_to_its_new_id(client, repo, owner):
    repo_move(repo=repo, namespace=namespace_of(owner), name="tinier")
    response = client.get("/owner/tiny/tree/main")
    assert response.status_code == 302
    assert response["Location"] == "/owner/tinier/tree/main"


def test_tree_lists_sizes_lfs_and_last_commits(client, repo, owner):
    commit_files(repo, {"config.json": b"{}\n"}, author=owner, title="Empty config")
    response = client.get("/owner/tiny/tree/main")
    assert response.status_code == 200
    html = response.content.decode()
    assert "model.safetensors" in html
    assert "Empty config" in html  # the last commit of config.json
    assert "Add the model" in html  # the last commit of README.md
    assert 'href="/owner/tiny/resolve/main/config.json"' in html


def test_tree_marks_lfs_files(client, owner):
    repo = make_repo(owner, "big")
    commit_files(repo, {"weights.gguf": b"GGUF" + b"\0" * 100}, author=owner)
    html = client.get("/owner/big/tree/main").content.decode()
    assert ">LFS<" in html


def test_tree_of_a_folder_and_a_slashed_branch(client, repo, owner):
    from hub.catalog.services.refs import branch_create

    commit_files(repo, {"sub/dir/a.txt": b"a\n"}, author=owner)
    branch_create(repo=repo, name="release/v1")
    response = client.get("/owner/tiny/tree/release/v1/sub")
    assert response.status_code == 200
    assert "dir" in response.content.decode()
    assert client.get("/owner/tiny/tree/main/nope").status_code == 404


def test_tree_query_count_is_bounded(
    client, repo, owner, django_assert_max_num_queries
):
    for n in range(5):
        commit_files(repo, {f"f{n}.txt": b"x" * n}, author=owner, title=f"c{n}")
    with django_assert_max_num_queries(12):
        assert client.get("/owner/tiny/tree/main").status_code == 200


def test_blob_highlights_text_and_describes_binary(client, repo):
    html = client.get("/owner/tiny/blob/main/config.json").content.decode()
    assert 'class="highlight' in html
    assert "model_type" in html
    html = client.get("/owner/tiny/blob/main/model.safetensors").content.decode()
    assert "stored with Git LFS" in html
    assert 'href="/owner/tiny/resolve/main/model.safetensors"' in html
    commit_files(repo, {"data.dat": b"\x00\x01\x02"})
    html = client.get("/owner/tiny/blob/main/data.dat").content.decode()
    assert "This is a binary file" in html


def test_blob_of_a_folder_redirects_to_its_tree(client, repo, owner):
    commit_files(repo, {"sub/a.txt": b"a\n"}, author=owner)
    response = client.get("/owner/tiny/blob/main/sub")
    assert response.status_code == 302
    assert response["Location"] == "/owner/tiny/tree/main/sub"


def test_commits_and_commit_page_show_history_diff_and_checks(client, repo, owner):
    commit = commit_files(
        repo, {"config.json": b'{"model_type": "mistral"}\n'}, author=owner, title="Fix"
    )
    html = client.get("/owner/tiny/commits/main").content.decode()
    assert html.index("Fix") < html.index("Add the model")
    response = client.get(f"/owner/tiny/commit/{commit.oid}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Validation running" in html  # queued checks, no worker here
    assert '"model_type": "mistral"' in html.replace("&quot;", '"')
    assert 'class="add"' in html and 'class="del"' in html


def test_commit_page_hides_file_content_of_a_gated_repo_before_access(
    client, repo, owner, stranger
):
    from hub.catalog.services.repos import repo_update_settings

    head = commit_files(repo, {"notes.txt": b"terms first\n"}, author=owner)
    repo_update_settings(repo=repo, gated="manual")
    url = f"/{repo.full_name}/commit/{head.oid}"

    client.force_login(stranger)
    page = client.get(url).content.decode()
    assert "notes.txt" in page
    assert "terms first" not in page
    assert "Content not shown" in page

    client.force_login(owner)
    assert "terms first" in client.get(url).content.decode()


def test_commits_query_count_is_bounded(
    client, repo, owner, django_assert_max_num_queries
):
    for n in range(10):
        commit_files(repo, {f"f{n}.txt": b"x"}, author=owner, title=f"c{n}")
    # 9: one more for the Community tab's open count (issue 8).
    with django_assert_max_num_queries(9):
        assert client.get("/owner/tiny/commits/main").status_code == 200


def test_checks_json_reports_state_and_html(client, repo):
    oid = repo.commits.latest("pk").oid
    data = client.get(f"/owner/tiny/checks/{oid}").json()
    assert data["state"] == "pending"
    assert "Validation running" in data["html"]


def test_checks_show_failures_in_plain_words(client, repo):
    from hub.jobs.models import ValidationRun

    commit = repo.commits.latest("pk")
    ValidationRun.objects.filter(commit=commit).update(
        status="succeeded", verdict="passed"
    )
    ValidationRun.objects.filter(commit=commit, path="model.safetensors").update(
        status="failed",
        verdict="failed",
        findings=[{"severity": "error", "code": "x", "message": "The header is cut."}],
    )
    html = client.get("/owner/tiny").content.decode()
    assert "Checks failed" in html
    assert "The header is cut." in html


HOSTILE = b"""# Hostile

<script>window.__pwned = 1</script>
<img src="x" onerror="window.__pwned = 2">
<a href="javascript:window.__pwned=3">click</a>
[md link](javascript:window.__pwned=4)
<div style="position:fixed" onclick="window.__pwned=5">styled</div>
<iframe src="https://example.com"></iframe>
<svg onload="window.__pwned=6"></svg>
<a href="JaVaScRiPt:alert(1)">mixed case</a>
<form action="/x"><input name="a"></form>
"""


def test_hostile_card_is_sanitized(client, owner):
    repo = make_repo(owner, "hostile")
    commit_files(repo, {"README.md": HOSTILE}, author=owner)
    for url in ("/owner/hostile", "/owner/hostile/blob/main/README.md"):
        html = client.get(url).content.decode()
        card = html[html.index('class="card-body"') :]
        card = card[: card.index("</article>") if "</article>" in card else None]
        assert "<script>window" not in card
        assert "onerror" not in card
        assert "onclick" not in card
        assert "onload" not in card
        # Any javascript: left is inert text, never a URL.
        assert not re.search(r"(href|src)=\"?\s*javascript:", card, re.IGNORECASE)
        assert "style=" not in card
        assert "<iframe" not in card
        assert "<form" not in card


def test_like_requires_sign_in_and_counts(client, repo, stranger):
    assert client.post("/owner/tiny/like").status_code == 401
    client.force_login(stranger)
    response = client.post(
        "/owner/tiny/like", {"action": "like"}, HTTP_ACCEPT="application/json"
    )
    assert response.json() == {"liked": True, "likes": 1}
    response = client.post(
        "/owner/tiny/like", {"action": "unlike"}, HTTP_ACCEPT="application/json"
    )
    assert response.json() == {"liked": False, "likes": 0}


def test_like_is_csrf_protected(repo, stranger):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(stranger)
    assert client.post("/owner/tiny/like").status_code == 403


def test_like_of_private_repo_is_404(client, private_repo, stranger):
    client.force_login(stranger)
    response = client.post("/owner/secret/like", HTTP_ACCEPT="application/json")
    assert response.status_code == 404


def test_profile_lists_visible_models(client, repo, private_repo, stranger):
    html = client.get("/owner").content.decode()
    assert "owner/tiny" in html and "owner/secret" not in html
    assert client.get("/Owner").status_code == 302
    assert client.get("/nobody").status_code == 404


def test_organization_page_lists_models_and_members(client, owner):
    from tests.factories import make_org

    org = make_org("lab", creator=owner)
    make_repo(org, "shared", creator=owner)
    html = client.get("/lab").content.decode()
    assert "lab/shared" in html
    assert "owner" in html
    assert "Manage members" not in html
    client.force_login(owner)
    assert "Manage members" in client.get("/lab").content.decode()


def test_model_list_pages_query_count(client, owner, django_assert_max_num_queries):
    for n in range(12):
        make_repo(owner, f"m{n}")
    with django_assert_max_num_queries(6):
        assert client.get("/owner").status_code == 200
    user = make_user("viewer")
    client.force_login(user)
    with django_assert_max_num_queries(8):
        assert client.get("/").status_code == 200


def test_model_page_shows_parameters_from_the_checks(client, repo, owner):
    from hub.jobs.models import ValidationRun

    commit = repo.commits.latest("pk")
    ValidationRun.objects.filter(commit=commit).update(
        status="succeeded", verdict="passed"
    )
    ValidationRun.objects.filter(commit=commit, path="model.safetensors").update(
        metadata={"format": "safetensors", "parameters": {"BF16": 7_241_748_480}}
    )
    html = client.get("/owner/tiny").content.decode()
    assert "All checks passed" in html
    assert "7.2B" in html and "BF16" in html

    gguf = make_repo(owner, "tiny-gguf")
    head = commit_files(gguf, {"tiny.Q4_K_M.gguf": b"GGUF" + b"\0" * 64}, author=owner)
    ValidationRun.objects.filter(commit=head, path="tiny.Q4_K_M.gguf").update(
        status="succeeded",
        verdict="passed",
        metadata={
            "format": "gguf",
            "architecture": "llama",
            "parameters": 1_100_000_000,
            "quantization": ["Q4_K", "Q6_K"],
        },
    )
    html = client.get("/owner/tiny-gguf").content.decode()
    assert "1.1B" in html and "Q4_K, Q6_K" in html and ">llama<" in html


def test_quarantined_file_is_flagged_and_not_shown(client, repo, owner):
    from hub.jobs.models import ValidationRun
    from hub.storage.services import blob_quarantine

    commit = repo.commits.latest("pk")
    run = ValidationRun.objects.get(commit=commit, path="model.safetensors")
    assert run.blob is not None
    blob_quarantine(blob=run.blob, reason="It imports os.system.")
    html = client.get("/owner/tiny").content.decode()
    assert "Quarantined files" in html and "It imports os.system." in html
    html = client.get("/owner/tiny/blob/main/model.safetensors").content.decode()
    assert "This file is quarantined" in html
