"""Server-side tests of the dataset and space pages: /datasets, the dataset
page (card, viewer, models trained on it), its subpages under /datasets/,
spaces, the create form's type, and visibility from the other side."""

from __future__ import annotations

import pytest

from hub.accounts.services import token_create
from hub.catalog.models import ModelRepo
from hub.community.services.discussions import discussion_create
from hub.notifications.models import Notification
from hub.viewer.services import blob_previews_request
from tests.factories import commit_files, make_repo, make_user
from workers.viewer import preview_blob

pytestmark = pytest.mark.django_db

DATASET_CARD = b"""---
license: mit
language: [en]
task_categories: [text-classification]
size_categories: [n<1K]
---

# Reviews

Short **reviews** with a label. <script>alert(1)</script> See [train](train.csv).
"""


@pytest.fixture
def dataset(owner) -> ModelRepo:
    repo = make_repo(owner, "reviews", repo_type="dataset")
    commit_files(
        repo,
        {"README.md": DATASET_CARD, "train.csv": b"text,label\ngood,1\nbad,0\n"},
    )
    return repo


@pytest.fixture
def secret_dataset(owner) -> ModelRepo:
    repo = make_repo(owner, "zz-secret-data", repo_type="dataset", is_private=True)
    commit_files(repo, {"README.md": b"# Secret\n", "rows.jsonl": b'{"a": 1}\n'})
    return repo


@pytest.fixture
def trained(owner, dataset) -> ModelRepo:
    """owner/clf: a model whose card names owner/reviews; a private one too."""
    model = make_repo(owner, "clf")
    commit_files(model, {"README.md": b"---\ndatasets: [owner/reviews]\n---\n# C\n"})
    hidden = make_repo(owner, "zz-hidden-clf", is_private=True)
    commit_files(hidden, {"README.md": b"---\ndatasets: [owner/reviews]\n---\n# H\n"})
    return model


def test_datasets_page_lists_filters_and_counts(client, dataset, secret_dataset):
    response = client.get("/datasets")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/datasets/owner/reviews"' in html
    assert "zz-secret-data" not in html
    assert "text-classification" in html
    assert "1 dataset" in html
    assert 'placeholder="Search datasets"' in html  # the header searches here too
    csv = client.get("/datasets?file_format=csv").content.decode()
    assert 'href="/datasets/owner/reviews"' in csv
    jsonl = client.get("/datasets?file_format=json").content.decode()
    assert "No dataset matches" in jsonl


def test_datasets_page_shows_a_bad_filter_as_an_error_not_a_500(client, dataset):
    response = client.get("/datasets?file_format=zip&license=nope")

    assert response.status_code == 200
    assert "Unknown format" in response.content.decode()


def test_dataset_page_shows_card_viewer_and_models(client, dataset, trained):
    response = client.get("/datasets/owner/reviews")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>reviews</strong>" in html
    assert "<script>alert(1)</script>" not in html
    head = dataset.refs.get(name="main").commit.oid
    assert f'href="/datasets/owner/reviews/blob/{head}/train.csv"' in html
    assert f'data-live-url="/datasets/owner/reviews/viewer/{head}"' in html
    assert 'data-split="default/train"' in html
    assert 'href="/owner/clf"' in html
    assert "zz-hidden-clf" not in html
    assert "load_dataset(&quot;owner/reviews&quot;)" in html
    assert 'href="/datasets/owner/reviews/tree/main"' in html


def test_owner_sees_private_models_trained_on_the_dataset(client, owner, trained):
    client.force_login(owner)

    html = client.get("/datasets/owner/reviews").content.decode()

    assert 'href="/owner/zz-hidden-clf"' in html


def test_viewer_panel_answers_json_for_polling(client, dataset):
    head = dataset.refs.get(name="main").commit.oid

    response = client.get(f"/datasets/owner/reviews/viewer/{head}")

    assert response.status_code == 200
    assert response.json()["state"] in ("pending", "ready", "error")
    assert "train" in response.json()["html"]


def test_model_page_links_the_dataset_it_names(client, trained):
    html = client.get("/owner/clf").content.decode()

    assert '<a href="/datasets/owner/reviews">owner/reviews</a>' in html


@pytest.mark.parametrize(
    "path",
    [
        "/datasets/owner/zz-secret-data",
        "/datasets/owner/zz-secret-data/tree/main",
        "/datasets/owner/zz-secret-data/commits/main",
        "/datasets/owner/zz-secret-data/discussions",
    ],
)
def test_private_dataset_pages_are_404_for_strangers(client, secret_dataset, path):
    stranger = make_user("stranger")

    assert client.get(path).status_code == 404
    client.force_login(stranger)
    assert client.get(path).status_code == 404


def test_private_dataset_viewer_fragment_is_404_for_strangers(client, secret_dataset):
    head = secret_dataset.refs.get(name="main").commit.oid
    path = f"/datasets/owner/zz-secret-data/viewer/{head}"

    assert client.get(path).status_code == 404
    client.force_login(make_user("stranger"))
    assert client.get(path).status_code == 404
    client.force_login(secret_dataset.created_by)
    assert client.get(path).status_code == 200


def test_dataset_subpages_live_under_the_datasets_prefix(client, owner, dataset):
    client.force_login(owner)

    for path in (
        "tree/main",
        "commits/main",
        "discussions",
        "settings",
        "blob/main/train.csv",
    ):
        response = client.get(f"/datasets/owner/reviews/{path}")
        assert response.status_code == 200, path
        assert 'href="/datasets/owner/reviews' in response.content.decode()
    # The same id as a model is another repo, absent here.
    assert client.get("/owner/reviews").status_code == 404


def test_settings_are_for_admins_only(client, dataset, secret_dataset):
    client.force_login(make_user("stranger"))

    assert client.get("/datasets/owner/reviews/settings").status_code == 403
    assert client.get("/datasets/owner/zz-secret-data/settings").status_code == 404


def test_space_page_says_it_is_stored_not_run(client, owner):
    space = make_repo(owner, "demo", repo_type="space")
    commit_files(space, {"README.md": b"# Demo\n", "app.py": b"print('hi')\n"})

    html = client.get("/spaces/owner/demo").content.decode()
    files = client.get("/spaces/owner/demo/tree/main").content.decode()

    assert "never runs them" in html
    assert "app.py" in files


def test_create_form_makes_a_dataset(client, owner):
    client.force_login(owner)

    response = client.post(
        "/new",
        {
            "repo_type": "dataset",
            "owner": "owner",
            "name": "fresh",
            "visibility": "public",
            "license": "mit",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/datasets/owner/fresh/upload"
    repo = ModelRepo.objects.get(name="fresh")
    assert repo.repo_type == "dataset"
    assert repo.license == "mit"


def test_namespace_page_lists_datasets_beside_models(client, trained, secret_dataset):
    html = client.get("/owner").content.decode()

    assert 'href="/datasets/owner/reviews"' in html
    assert 'href="/owner/clf"' in html
    assert "zz-secret-data" not in html


def test_token_for_one_dataset_does_not_open_pages(client, owner, secret_dataset):
    # Pages use sessions only: a bearer token limited to the dataset is no
    # session, so the private page stays hidden.
    secret = token_create(
        user=owner, name="t", scope="read", repo_ids=["datasets/owner/zz-secret-data"]
    )[1]

    response = client.get(
        "/datasets/owner/zz-secret-data", HTTP_AUTHORIZATION=f"Bearer {secret}"
    )

    assert response.status_code == 404


def test_pages_query_count_does_not_grow_with_the_datasets(
    client, owner, django_assert_max_num_queries
):
    for n in range(12):
        repo = make_repo(owner, f"d{n}", repo_type="dataset")
        commit_files(
            repo,
            {
                "README.md": b"---\ntask_categories: [graph-ml]\n---\n# D\n",
                "a.csv": b"a\n1\n",
            },
        )
    client.force_login(owner)
    client.get("/datasets")  # warms the session and the cached counts

    with django_assert_max_num_queries(6):
        assert client.get("/datasets").status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get("/datasets/owner/d1").status_code == 200


def _compute_viewer(repo: ModelRepo) -> None:
    """What the worker does after a commit: read each data file once."""
    head = repo.refs.get(name="main").commit
    for preview in blob_previews_request(commit=head):
        preview_blob.apply(args=(preview.pk,))


def test_viewer_cells_are_escaped(client, owner):
    repo = make_repo(owner, "hostile", repo_type="dataset")
    commit_files(
        repo,
        {"train.csv": b'text,label\n"<img src=x onerror=alert(1)>",1\n'},
    )
    _compute_viewer(repo)

    html = client.get("/datasets/owner/hostile").content.decode()

    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<img src=x" not in html


def test_gated_dataset_rows_are_withheld_until_access(client, owner):
    repo = make_repo(owner, "gated", repo_type="dataset")
    commit_files(repo, {"train.csv": b"text,label\nzz-gated-row,1\n"})
    ModelRepo.objects.filter(pk=repo.pk).update(gated=ModelRepo.Gated.MANUAL)
    _compute_viewer(repo)

    visitor = client.get("/datasets/owner/gated").content.decode()
    client.force_login(owner)
    maintainer = client.get("/datasets/owner/gated").content.decode()

    assert "zz-gated-row" not in visitor
    assert "get access to see its rows" in visitor
    assert "zz-gated-row" in maintainer


def test_discussion_on_a_dataset_notifies_with_its_dataset_url(client, owner, dataset):
    stranger = make_user("stranger")
    discussion = discussion_create(repo=dataset, author=stranger, title="Labels?")

    url = Notification.objects.filter(recipient=owner).values_list("url", flat=True)

    assert list(url) == [f"/datasets/owner/reviews/discussions/{discussion.num}"]
    client.force_login(owner)
    assert client.get(url[0]).status_code == 200
