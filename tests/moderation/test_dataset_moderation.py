"""Staff moderation reaches datasets by their typed id (issue 18).

``lab/data`` is both a model and a dataset. Staff disable the dataset and
lock one of its discussions through /api/v1 naming ``datasets/lab/data``;
the model of the same id is untouched, the dataset serves nothing on the HF
face, and the org admin who is not staff cannot undo it. A report names the
dataset the same way.
"""

from __future__ import annotations

import pytest
from django.test import Client

from hub.catalog.models import ModelRepo
from hub.community.models import Discussion
from hub.community.services.discussions import discussion_create
from hub.moderation.models import Report
from tests.api.v1.fixtures_resources import (  # noqa: F401 - fixtures
    client_for,
    no_throttle,
    token_for,
)
from tests.factories import commit_files, make_org, make_repo, make_user

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def lab():
    mallory = make_user("mallory")
    org = make_org("lab", creator=mallory)
    model = make_repo(org, "data", creator=mallory)
    dataset = make_repo(org, "data", creator=mallory, repo_type="dataset")
    commit_files(dataset, {"train.csv": b"a,b\n1,2\n"})
    commit_files(model, {"config.json": b"{}"})
    talk = discussion_create(repo=dataset, author=make_user("troll"), title="Hot")
    return mallory, model, dataset, talk


def _act(user, action: str, target: str):
    return client_for(token_for(user)).post(
        f"{API}/moderation/actions",
        {"action": action, "target": target, "reason": "Staff"},
        format="json",
    )


def test_staff_disable_a_dataset_by_its_typed_id_and_not_the_model_of_its_id(lab):
    mallory, model, dataset, talk = lab
    staff = make_user("mod", is_staff=True)
    assert _act(staff, "disable_repo", "datasets/lab/data").status_code == 201
    assert (
        _act(staff, "lock_discussion", f"datasets/lab/data#{talk.num}").status_code
        == 201
    )
    dataset.refresh_from_db()
    model.refresh_from_db()
    assert dataset.disabled_at is not None and model.disabled_at is None
    assert Discussion.objects.get(pk=talk.pk).is_locked
    anonymous = Client()
    refused = anonymous.get("/datasets/lab/data/resolve/main/train.csv")
    assert refused.status_code == 403
    served = anonymous.get("/lab/data/resolve/main/config.json")
    assert served.status_code == 200
    # The org admin, not staff, cannot undo it.
    answer = _act(mallory, "enable_repo", "datasets/lab/data")
    assert answer.status_code == 403
    dataset.refresh_from_db()
    assert dataset.disabled_at is not None


def test_a_report_names_a_dataset_by_its_typed_id(lab):
    _, model, dataset, _ = lab
    reporter = client_for(token_for(make_user("reporter")))
    answer = reporter.post(
        f"{API}/reports",
        {"kind": "model", "target": "datasets/lab/data", "reason": "spam"},
        format="json",
    )
    assert answer.status_code == 201, answer.content
    assert Report.objects.get().repo == dataset
    malformed = reporter.post(
        f"{API}/reports",
        {"kind": "model", "target": "tables/lab/data", "reason": "spam"},
        format="json",
    )
    assert malformed.status_code == 400
    assert "datasets/namespace/name" in malformed.json()["error"]["message"]
    assert ModelRepo.objects.filter(disabled_at__isnull=False).count() == 0
