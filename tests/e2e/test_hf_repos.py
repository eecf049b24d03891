"""Accounts, repos, refs, history and catalog driven by the real client.

hf-protocol.md 2.1-2.5, 2.8-2.12, 2.20 and 2.21: huggingface_hub 2.4.0
against the live hub. maya owns the repos; jun is a stranger to them.
"""

from __future__ import annotations

import pytest
import requests
from huggingface_hub import CommitOperationAdd, HfApi
from huggingface_hub.errors import (
    GatedRepoError,
    HfHubHTTPError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)

from hub.accounts.memberships import membership_set
from hub.accounts.models import Membership
from hub.accounts.services import token_create
from hub.catalog.models import ModelRepo, RepoRedirect
from hub.catalog.revisions import revision_resolve
from hub.catalog.services.commits import commit_create
from hub.catalog.services.operations import AddFile
from hub.catalog.services.repos import repo_record_download, repo_update_settings
from hub.storage.services import blob_upload_bytes
from tests.factories import commit_files, make_org, make_repo, make_user, namespace_of

CARD = """---
license: apache-2.0
library_name: transformers
pipeline_tag: text-generation
tags:
- code
- tiny
datasets:
- maya/corpus
language:
- en
---
# Tiny coder
"""


@pytest.fixture
def jun_api(hub_url, jun) -> HfApi:
    return HfApi(endpoint=hub_url, token=jun[1])


def bearer(secret: str) -> dict[str, str]:
    return {"authorization": f"Bearer {secret}"}


# Account ---------------------------------------------------------------------


def test_whoami_names_the_user_orgs_and_token(api, maya):
    make_org("maya-lab", creator=maya[0])
    me = api.whoami()
    assert me["name"] == "maya" and me["type"] == "user"
    assert [o["name"] for o in me["orgs"]] == ["maya-lab"]
    assert me["auth"]["accessToken"] == {"displayName": "maya-write", "role": "write"}
    assert "fullname" in me and "email" in me


def test_whoami_with_a_bad_token_is_401(hub_url):
    with pytest.raises(HfHubHTTPError) as caught:
        HfApi(endpoint=hub_url, token="hf_not-a-real-token").whoami()
    assert caught.value.response.status_code == 401
    response = requests.get(f"{hub_url}/api/whoami-v2", timeout=10)
    assert response.status_code == 401


def test_bad_token_on_any_call_is_401_with_the_clients_message(hub_url):
    response = requests.get(f"{hub_url}/api/models", headers=bearer("nope"), timeout=10)
    assert response.status_code == 401
    assert response.headers["X-Error-Message"] == (
        "Invalid credentials in Authorization header"
    )
    assert "X-Error-Code" not in response.headers


# Creating, deleting, moving --------------------------------------------------


def test_create_repo_public_and_private(api, hub_url):
    url = api.create_repo("maya/public-one")
    assert url == f"{hub_url}/maya/public-one"
    assert url.repo_id == "maya/public-one"
    private = api.create_repo("private-one", private=True)  # no namespace: mine
    assert private.repo_id == "maya/private-one"
    assert api.model_info("maya/private-one").private is True
    info = api.model_info("maya/public-one")
    assert info.private is False
    # The first commit exists already, with the default .gitattributes.
    assert len(info.sha) == 40
    assert [s.rfilename for s in info.siblings] == [".gitattributes"]


def test_create_existing_repo_is_409_unless_exist_ok(api, hub_url):
    api.create_repo("maya/twice")
    with pytest.raises(HfHubHTTPError) as caught:
        api.create_repo("maya/twice")
    assert caught.value.response.status_code == 409
    assert caught.value.response.json()["url"] == f"{hub_url}/maya/twice"
    assert api.create_repo("maya/twice", exist_ok=True).repo_id == "maya/twice"


def test_create_repo_accepts_the_0_3x_private_flag(hub_url, maya):
    response = requests.post(
        f"{hub_url}/api/repos/create",
        json={"name": "old-client", "organization": None, "private": True},
        headers=bearer(maya[1]),
        timeout=10,
    )
    assert response.status_code == 200, response.text
    assert ModelRepo.objects.get(name="old-client").is_private is True


def test_cannot_create_in_someone_elses_namespace(jun_api, maya, jun):
    org = make_org("maya-org", creator=maya[0])
    with pytest.raises(HfHubHTTPError) as caught:
        jun_api.create_repo("maya-org/intruder")
    assert caught.value.response.status_code == 403
    with pytest.raises(HfHubHTTPError):
        jun_api.create_repo("maya/intruder")
    membership_set(organization=org, user=jun[0], role=Membership.Role.WRITE)
    assert jun_api.create_repo("maya-org/welcome").repo_id == "maya-org/welcome"


def test_read_token_cannot_create_or_write(hub_url, maya):
    _, read_secret = token_create(user=maya[0], name="ci", scope="read")
    reader = HfApi(endpoint=hub_url, token=read_secret)
    with pytest.raises(HfHubHTTPError) as caught:
        reader.create_repo("maya/from-ci")
    assert caught.value.response.status_code == 403
    assert "read-only" in str(caught.value)
    make_repo(maya[0], "existing")
    with pytest.raises(HfHubHTTPError) as caught:
        reader.upload_file(
            path_or_fileobj=b"x", path_in_repo="x.txt", repo_id="maya/existing"
        )
    assert caught.value.response.status_code == 403
    with pytest.raises(HfHubHTTPError) as caught:
        reader.create_branch("maya/existing", branch="dev")
    assert caught.value.response.status_code == 403


def test_delete_repo_and_missing_ok(api, maya):
    make_repo(maya[0], "doomed")
    api.delete_repo("maya/doomed")
    assert not ModelRepo.objects.filter(name="doomed").exists()
    with pytest.raises(RepositoryNotFoundError):
        api.delete_repo("maya/doomed")
    api.delete_repo("maya/doomed", missing_ok=True)


def test_only_admins_delete(jun_api, maya):
    make_repo(maya[0], "keep")
    with pytest.raises(HfHubHTTPError) as caught:
        jun_api.delete_repo("maya/keep")
    assert caught.value.response.status_code == 403
    make_repo(maya[0], "secret", is_private=True)
    with pytest.raises(RepositoryNotFoundError):  # invisible, not forbidden
        jun_api.delete_repo("maya/secret")


def test_move_repo_renames_and_keeps_a_redirect(api, maya):
    repo = make_repo(maya[0], "old-name")
    commit_files(repo, {"a.txt": b"a"}, author=maya[0])
    org = make_org("maya-team", creator=maya[0])
    api.move_repo("maya/old-name", "maya-team/new-name")
    repo.refresh_from_db()
    assert repo.full_name == "maya-team/new-name"
    assert RepoRedirect.objects.filter(old_full_name="maya/old-name").exists()
    assert api.model_info("maya/old-name").id == "maya-team/new-name"
    assert namespace_of(org) == repo.namespace
    with pytest.raises(RepositoryNotFoundError):
        # A destructive call never follows the redirect.
        api.delete_repo("maya/old-name")


def test_move_needs_create_rights_on_the_target(jun_api, api, maya, jun):
    make_repo(jun[0], "mine")
    with pytest.raises(HfHubHTTPError) as caught:
        jun_api.move_repo("jun/mine", "maya/stolen")
    assert caught.value.response.status_code == 403
    make_repo(maya[0], "exists")
    make_repo(maya[0], "other")
    with pytest.raises(HfHubHTTPError) as caught:
        api.move_repo("maya/other", "maya/exists")
    assert caught.value.response.status_code == 409


def test_update_repo_settings(api, jun_api, maya):
    make_repo(maya[0], "settings")
    api.update_repo_settings("maya/settings", private=True, gated="manual")
    repo = ModelRepo.objects.get(name="settings")
    assert (repo.is_private, repo.gated) == (True, "manual")
    info = api.model_info("maya/settings")
    assert (info.private, info.gated) == (True, "manual")
    api.update_repo_settings("maya/settings", gated=False, private=False)
    repo.refresh_from_db()
    assert (repo.is_private, repo.gated) == (False, "off")
    assert api.model_info("maya/settings").gated is False
    with pytest.raises(HfHubHTTPError) as caught:
        jun_api.update_repo_settings("maya/settings", private=True)
    assert caught.value.response.status_code == 403


# Visibility ------------------------------------------------------------------


def test_private_repo_is_invisible_to_a_stranger(jun_api, api, maya, hf_cache):
    repo = make_repo(maya[0], "hidden", is_private=True)
    commit_files(repo, {"config.json": b"{}"}, author=maya[0])
    assert api.repo_exists("maya/hidden")
    assert not jun_api.repo_exists("maya/hidden")
    with pytest.raises(RepositoryNotFoundError):
        jun_api.model_info("maya/hidden")
    with pytest.raises(RepositoryNotFoundError):
        jun_api.hf_hub_download("maya/hidden", "config.json", cache_dir=hf_cache)
    with pytest.raises(RepositoryNotFoundError):
        jun_api.list_repo_files("maya/hidden")
    assert "maya/hidden" not in [m.id for m in jun_api.list_models(author="maya")]
    assert "maya/hidden" in [m.id for m in api.list_models(author="maya")]


def test_gated_repo_files_need_access(jun_api, api, maya, hf_cache):
    repo = make_repo(maya[0], "gated")
    commit_files(repo, {"config.json": b"{}", "README.md": b"# card\n"}, author=maya[0])
    repo_update_settings(repo=repo, gated=ModelRepo.Gated.MANUAL)
    assert jun_api.repo_exists("maya/gated")
    assert jun_api.model_info("maya/gated").gated == "manual"
    with pytest.raises(GatedRepoError):
        jun_api.hf_hub_download("maya/gated", "config.json", cache_dir=hf_cache)
    with pytest.raises(GatedRepoError):
        jun_api.file_exists("maya/gated", "config.json")
    # The card stays readable, as on the HF Hub; the owner reads everything.
    jun_api.hf_hub_download("maya/gated", "README.md", cache_dir=hf_cache)
    api.hf_hub_download("maya/gated", "config.json", cache_dir=hf_cache)


# Model info and listing ------------------------------------------------------


def test_model_info_with_card_tags_and_files_metadata(api, maya):
    repo = make_repo(maya[0], "tiny-coder")
    commit_files(
        repo,
        {
            "README.md": CARD.encode(),
            "config.json": b'{"layers": 2}',
            "model.safetensors": b"\0" * 100,
        },
        author=maya[0],
    )
    info = api.model_info("maya/tiny-coder", files_metadata=True)
    assert info.id == "maya/tiny-coder" and info.author == "maya"
    assert info.sha == revision_resolve(repo=repo, revision="main").oid
    assert info.pipeline_tag == "text-generation"
    assert info.library_name == "transformers"
    assert info.card_data["license"] == "apache-2.0"
    for tag in ("transformers", "code", "tiny", "text-generation", "en"):
        assert tag in info.tags
    assert "license:apache-2.0" in info.tags and "dataset:maya/corpus" in info.tags
    assert info.disabled is False and info.gated is False
    assert info.created_at.tzinfo is not None and info.last_modified is not None
    assert info.used_storage > 100
    siblings = {s.rfilename: s for s in info.siblings}
    weights = siblings["model.safetensors"]
    assert weights.size == 100 and weights.lfs is not None
    assert weights.lfs.size == 100 and len(weights.lfs.sha256) == 64
    assert 100 < weights.lfs.pointer_size < 200  # the git-lfs pointer text
    config = siblings["config.json"]
    assert config.lfs is None and len(config.blob_id) == 40
    assert info.safetensors is None  # not computed: never made up


def test_model_info_expand_returns_only_the_listed_properties(hub_url, maya):
    make_repo(maya[0], "expand")
    response = requests.get(
        f"{hub_url}/api/models/maya/expand",
        params=[("expand", "downloads"), ("expand", "sha")],
        headers=bearer(maya[1]),
        timeout=10,
    )
    body = response.json()
    assert set(body) == {"id", "modelId", "downloads", "sha"}
    info = HfApi(endpoint=hub_url, token=maya[1]).model_info(
        "maya/expand", expand=["likes", "createdAt"]
    )
    assert info.likes == 0 and info.created_at is not None
    assert info.sha is None and info.siblings is None


def test_model_info_at_a_revision(api, maya):
    repo = make_repo(maya[0], "history")
    first = commit_files(repo, {"a.txt": b"1"}, author=maya[0])
    commit_files(repo, {"b.txt": b"2"}, author=maya[0])
    old = api.model_info("maya/history", revision=first.oid)
    assert old.sha == first.oid
    assert sorted(s.rfilename for s in old.siblings) == [".gitattributes", "a.txt"]
    with pytest.raises(RevisionNotFoundError):
        api.model_info("maya/history", revision="nope")
    assert api.revision_exists("maya/history", first.oid)
    assert not api.revision_exists("maya/history", "nope")
    assert not api.repo_exists("maya/missing")
    # securityStatus is accepted (nothing to report is left out).
    assert api.model_info("maya/history", securityStatus=True).sha


def test_list_models_search_author_filter_sort_and_limit(api, maya, jun):
    for name, downloads in (("coder-small", 5), ("coder-big", 50), ("chat", 1)):
        repo = make_repo(maya[0], name)
        ModelRepo.objects.filter(pk=repo.pk).update(downloads=downloads)
    tagged = ModelRepo.objects.get(name="coder-big")
    commit_files(tagged, {"README.md": CARD.encode()}, author=maya[0])
    make_repo(jun[0], "coder-of-jun")

    def ids(**kwargs) -> list[str]:
        return [m.id for m in api.list_models(**kwargs)]

    assert set(ids(search="CODER")) == {
        "maya/coder-small",
        "maya/coder-big",
        "jun/coder-of-jun",
    }
    assert set(ids(search="maya/cod")) == {"maya/coder-small", "maya/coder-big"}
    assert set(ids(author="jun")) == {"jun/coder-of-jun"}
    assert ids(filter="license:apache-2.0") == ["maya/coder-big"]
    assert ids(filter=["code", "transformers"]) == ["maya/coder-big"]
    assert ids(filter="dataset:maya/corpus") == ["maya/coder-big"]
    assert ids(filter=["code", "no-such-tag"]) == []
    assert ids(pipeline_tag="text-generation") == ["maya/coder-big"]
    assert ids(author="maya", sort="downloads") == [
        "maya/coder-big",
        "maya/coder-small",
        "maya/chat",
    ]
    assert ids(author="maya", sort="created_at")[0] == "maya/chat"
    assert len(ids(author="maya", limit=2)) == 2
    listed = next(iter(api.list_models(search="coder-big", cardData=True)))
    assert listed.card_data["license"] == "apache-2.0"
    assert "license:apache-2.0" in listed.tags
    full = next(iter(api.list_models(search="coder-big", full=True)))
    assert full.sha and [s.rfilename for s in full.siblings] == [
        ".gitattributes",
        "README.md",
    ]


def test_list_models_gated_follows_the_gate_in_force(api, maya):
    make_repo(maya[0], "open")
    owner_gated = make_repo(maya[0], "owner-gated")
    ModelRepo.objects.filter(pk=owner_gated.pk).update(gated="manual")
    by_license = make_repo(maya[0], "license-gated")
    commit_files(
        by_license, {"README.md": b"---\nlicense: gemma\n---\n"}, author=maya[0]
    )

    def ids(gated: bool) -> set[str]:
        return {m.id for m in api.list_models(author="maya", gated=gated)}

    # A license that must be accepted gates the model, as model_info says.
    assert api.model_info("maya/license-gated").gated
    assert ids(True) == {"maya/owner-gated", "maya/license-gated"}
    assert ids(False) == {"maya/open"}


def test_list_models_pages_with_absolute_links(api, hub_url, maya):
    namespace = namespace_of(maya[0])
    from hub.catalog.services.repos import repo_create

    for number in range(130):
        repo_create(namespace=namespace, name=f"bulk-{number:03d}", creator=maya[0])
    first = requests.get(
        f"{hub_url}/api/models",
        params={"author": "maya", "sort": "createdAt"},
        headers=bearer(maya[1]),
        timeout=30,
    )
    assert len(first.json()) == 100
    next_url = first.links["next"]["url"]
    assert next_url.startswith(hub_url + "/api/models?")
    assert "author=maya" in next_url and "sort=createdAt" in next_url
    listed = [m.id for m in api.list_models(author="maya", sort="created_at")]
    assert len(listed) == len(set(listed)) == 130
    assert listed[0] == "maya/bulk-129" and listed[-1] == "maya/bulk-000"
    assert len(list(api.list_models(author="maya", limit=120))) == 120


def test_list_models_does_a_fixed_number_of_queries(
    client, maya, django_assert_max_num_queries
):
    for number in range(30):
        repo = make_repo(maya[0], f"q-{number}")
        commit_files(repo, {f"f{number}.txt": b"x"}, author=maya[0])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {maya[1]}"}
    with django_assert_max_num_queries(8):
        response = client.get("/api/models", {"full": "true"}, **auth)
    assert response.status_code == 200
    assert len(response.json()) == 30
    assert all(item["siblings"] for item in response.json())


# Refs ------------------------------------------------------------------------


def test_branches_and_tags_with_slashes(api, maya, hf_cache):
    repo = make_repo(maya[0], "refs")
    first = commit_files(repo, {"v.txt": b"one"}, author=maya[0])
    commit_files(repo, {"v.txt": b"two"}, author=maya[0])
    api.create_branch("maya/refs", branch="feature/x", revision=first.oid)
    with pytest.raises(HfHubHTTPError) as caught:
        api.create_branch("maya/refs", branch="feature/x")
    assert caught.value.response.status_code == 409
    api.create_branch("maya/refs", branch="feature/x", exist_ok=True)
    api.create_tag("maya/refs", tag="release/v1", revision="feature/x")
    with pytest.raises(HfHubHTTPError) as caught:
        api.create_tag("maya/refs", tag="release/v1")
    assert caught.value.response.status_code == 409
    api.create_tag("maya/refs", tag="latest", tag_message="the newest")

    refs = api.list_repo_refs("maya/refs")
    branches = {b.name: (b.ref, b.target_commit) for b in refs.branches}
    assert branches["feature/x"] == ("refs/heads/feature/x", first.oid)
    tags = {t.name: (t.ref, t.target_commit) for t in refs.tags}
    assert tags["release/v1"] == ("refs/tags/release/v1", first.oid)
    assert refs.converts == [] and refs.pull_requests is None
    assert (
        api.list_repo_refs("maya/refs", include_pull_requests=True).pull_requests == []
    )

    for revision in ("feature/x", "release/v1"):
        path = api.hf_hub_download(
            "maya/refs", "v.txt", revision=revision, cache_dir=hf_cache
        )
        with open(path, "rb") as handle:
            assert handle.read() == b"one"
        assert api.model_info("maya/refs", revision=revision).sha == first.oid

    api.delete_tag("maya/refs", tag="release/v1")
    api.delete_branch("maya/refs", branch="feature/x")
    refs = api.list_repo_refs("maya/refs")
    assert [b.name for b in refs.branches] == ["main"]
    assert [t.name for t in refs.tags] == ["latest"]
    with pytest.raises(RevisionNotFoundError):
        api.delete_branch("maya/refs", branch="feature/x")


def test_pull_request_refs_are_listed_when_asked(api, jun_api, maya):
    make_repo(maya[0], "prs")
    jun_api.create_commit(
        "maya/prs",
        [CommitOperationAdd("fix.txt", b"fix")],
        commit_message="A fix",
        create_pr=True,
    )
    refs = api.list_repo_refs("maya/prs", include_pull_requests=True)
    assert [(p.name, p.ref) for p in refs.pull_requests] == [("refs/pr/1", "refs/pr/1")]


# History ---------------------------------------------------------------------


def test_list_repo_commits_newest_first_across_pages(api, maya):
    repo = make_repo(maya[0], "long-history")
    blob = blob_upload_bytes(data=b"same")
    for number in range(105):
        commit_create(
            repo=repo,
            operations=[AddFile(f"f{number}.txt", blob.sha256)],
            title=f"Commit {number}",
            description="Body line" if number == 104 else "",
            author=maya[0],
        )
    commits = api.list_repo_commits("maya/long-history")
    assert len(commits) == 106  # with the initial commit
    assert [c.title for c in commits[:2]] == ["Commit 104", "Commit 103"]
    assert commits[-1].title == "initial commit"
    assert commits[0].message == "Body line"
    assert commits[0].authors == ["maya"]
    assert all(len(c.commit_id) == 40 for c in commits)
    assert commits[0].created_at.tzinfo is not None
    assert commits[0].formatted_title is None
    formatted = api.list_repo_commits("maya/long-history", formatted=True)
    assert formatted[0].formatted_title == "Commit 104"
    assert "Body line" in formatted[0].formatted_message
    with pytest.raises(RevisionNotFoundError):
        api.list_repo_commits("maya/long-history", revision="nope")


# Cards -----------------------------------------------------------------------


def test_readme_with_an_unknown_license_is_refused_with_valid_ids(api, maya):
    make_repo(maya[0], "card")
    bad = "---\nlicense: apache-2\n---\n# Card\n"
    with pytest.raises(ValueError) as caught:
        api.upload_file(
            path_or_fileobj=bad.encode(), path_in_repo="README.md", repo_id="maya/card"
        )
    message = str(caught.value)
    assert "Invalid metadata in README.md" in message
    assert "apache-2.0" in message and "mit" in message


def test_validate_yaml_answers_json_without_auth(hub_url):
    for accept in ("text/plain", "application/json"):
        response = requests.post(
            f"{hub_url}/api/validate-yaml",
            json={"content": "---\nlicense: mit\n---\n", "repoType": "model"},
            headers={"Accept": accept},
            timeout=10,
        )
        assert response.status_code == 200
        assert response.json() == {"errors": [], "warnings": []}
    bad = requests.post(
        f"{hub_url}/api/validate-yaml",
        json={"content": "---\npipeline_tag: text-generatoin\n---\n"},
        headers={"Accept": "text/plain"},
        timeout=10,
    )
    assert bad.status_code == 400
    assert "text-generation" in bad.json()["errors"][0]["message"]
    empty = requests.post(
        f"{hub_url}/api/validate-yaml", json={"content": "# no metadata"}, timeout=10
    )
    assert empty.status_code == 200 and empty.json()["warnings"]


def test_card_data_follows_the_readme(api, maya):
    make_repo(maya[0], "card-data")
    api.upload_file(
        path_or_fileobj=CARD.encode(),
        path_in_repo="README.md",
        repo_id="maya/card-data",
    )
    info = api.model_info("maya/card-data")
    assert info.card_data["tags"] == ["code", "tiny"]
    assert "license:apache-2.0" in info.tags


# Counters, telemetry ---------------------------------------------------------


def test_downloads_are_counted_on_config_fetches(api, maya, hf_cache):
    repo = make_repo(maya[0], "counted")
    # Different contents: the client fetches identical contents only once.
    commit_files(
        repo, {"config.json": b'{"a": 1}', "tokenizer.json": b"{}"}, author=maya[0]
    )
    api.hf_hub_download("maya/counted", "config.json", cache_dir=hf_cache)
    api.hf_hub_download("maya/counted", "tokenizer.json", cache_dir=hf_cache)
    assert api.model_info("maya/counted").downloads == 1
    api.snapshot_download("maya/counted", cache_dir=hf_cache + "-2")
    assert api.model_info("maya/counted").downloads == 2
    repo_record_download(repo=repo)
    assert api.model_info("maya/counted").downloads == 3


def test_agent_harnesses_is_an_empty_answer(hub_url):
    response = requests.get(f"{hub_url}/api/agent-harnesses", timeout=10)
    assert response.json() == {"standardEnvVars": [], "harnesses": {}}


def test_org_private_repos_are_listed_only_for_members(jun_api, maya, jun):
    org = make_org("closed-lab", creator=maya[0])
    make_repo(org, "internal", creator=maya[0], is_private=True)
    assert "closed-lab/internal" not in [m.id for m in jun_api.list_models()]
    membership_set(organization=org, user=jun[0], role=Membership.Role.READ)
    assert "closed-lab/internal" in [m.id for m in jun_api.list_models()]
    stranger = make_user("stranger")
    _, secret = token_create(user=stranger, name="s", scope="write")
    outsider = HfApi(endpoint=jun_api.endpoint, token=secret)
    assert "closed-lab/internal" not in [m.id for m in outsider.list_models()]
