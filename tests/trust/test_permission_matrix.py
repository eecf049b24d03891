"""One verdict per use case and actor, whichever face is asked (issue 13).

Each use case is driven through every face that offers it — the HF protocol
(tokens; Xet access tokens too), ``/api/v1`` (tokens and sessions) and the
web pages (sessions) —
by each kind of actor, and every face must give the same answer: allowed, or
refused (401, 403 or 404: how a face refuses is its own business; whether it
does is not).
"""

from __future__ import annotations

import base64
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from hub.accounts.memberships import membership_set
from hub.accounts.models import ApiToken, User
from hub.accounts.services import token_create, token_revoke
from hub.catalog.models import ModelRepo
from hub.catalog.services.repos import repo_update_settings
from hub.storage.services import blob_upload_bytes
from tests.factories import commit_files, make_org, make_repo, make_user

pytestmark = pytest.mark.django_db

_names = itertools.count(1)
NOTES = b"gated notes: only for those let in\n"
SECRET = b'{"hidden": "private config"}\n'
ROWS = b"text,label\nsecret row,1\n"


@dataclass
class Actor:
    """Credentials of one kind of actor: a session user and/or a token."""

    user: User | None = None
    token: str | None = None
    session: bool = True  # False: a token-only actor (no web face)


@dataclass
class World:
    private: ModelRepo
    gated: ModelRepo
    actors: dict[str, Actor]
    private_data: ModelRepo | None = None  # a private dataset (issue 18)
    gated_data: ModelRepo | None = None  # a gated dataset


def _token(user: User, **kwargs) -> str:
    return _token_row(user, **kwargs)[1]


def _token_row(user: User, **kwargs) -> tuple[ApiToken, str]:
    return token_create(user=user, name=f"t{ApiToken.objects.count()}", **kwargs)


@pytest.fixture
def world(db) -> World:
    owner = make_user("owner")
    lab = make_org("lab", creator=owner)
    users = {"owner": owner}
    for name, role in (("orgadmin", "admin"), ("writer", "write"), ("reader", "read")):
        users[name] = make_user(name)
        membership_set(organization=lab, user=users[name], role=role)
    users["stranger"] = make_user("stranger")
    users["staff"] = make_user("staff", is_staff=True)
    users["banned"] = make_user("banned")
    membership_set(organization=lab, user=users["banned"], role="write")
    private = make_repo(lab, "private", creator=owner, is_private=True)
    commit_files(private, {"config.json": SECRET}, author=owner)
    gated = make_repo(lab, "gated", creator=owner)
    commit_files(gated, {"notes.txt": NOTES}, author=owner)
    repo_update_settings(repo=gated, gated="manual")
    other = make_repo(lab, "other", creator=owner)
    # Datasets of the same names: the matrix proves ids never mix types.
    private_data = make_repo(
        lab, "private", creator=owner, is_private=True, repo_type="dataset"
    )
    commit_files(private_data, {"train.csv": ROWS}, author=owner)
    gated_data = make_repo(lab, "gated", creator=owner, repo_type="dataset")
    commit_files(gated_data, {"train.csv": ROWS}, author=owner)
    repo_update_settings(repo=gated_data, gated="manual")
    actors = {
        name: Actor(user=user, token=_token(user, scope="write"))
        for name, user in users.items()
    }
    actors["anonymous"] = Actor()
    actors["read token"] = Actor(token=_token(owner, scope="read"), session=False)
    actors["repo-limited token"] = Actor(
        token=_token(owner, scope="write", repo_ids=[other.full_name]), session=False
    )
    row, revoked = _token_row(owner, scope="write")
    token_revoke(token=row)
    actors["revoked token"] = Actor(token=revoked, session=False)
    row, expired = _token_row(owner, scope="write")
    ApiToken.objects.filter(pk=row.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    actors["expired token"] = Actor(token=expired, session=False)
    # A ban deactivates the account: its sessions and tokens stop working.
    User.objects.filter(pk=users["banned"].pk).update(is_active=False)
    return World(
        private=private,
        gated=gated,
        actors=actors,
        private_data=private_data,
        gated_data=gated_data,
    )


def token_client(actor: Actor) -> Client:
    if actor.token is None:
        return Client()
    return Client(HTTP_AUTHORIZATION=f"Bearer {actor.token}")


def session_client(actor: Actor) -> Client:
    client = Client()
    if actor.user is not None:
        client.force_login(actor.user)
    return client


def ok(response) -> bool:
    assert response.status_code < 500, response.content[:500]
    return 200 <= response.status_code < 300


# Faces of each use case: (face, needs a session, call) -----------------------

Face = tuple[str, str, Callable[[Client, World, Actor], bool]]


def _ndjson(path: str, data: bytes) -> bytes:
    lines = [
        {"key": "header", "value": {"summary": "matrix"}},
        {
            "key": "file",
            "value": {"path": path, "content": base64.b64encode(data).decode()},
        },
    ]
    return "\n".join(json.dumps(line) for line in lines).encode()


def _has_access(response) -> bool:
    return ok(response) and response.json()["has_access"]


def _web_commit(client: Client, world: World, actor: Actor) -> bool:
    blob = blob_upload_bytes(
        data=b"web\n", claimed_by=actor.user.pk if actor.user else None
    )
    body = {"files": [{"path": "web.txt", "oid": blob.sha256}], "title": "matrix"}
    return ok(
        client.post(
            f"/{world.private.full_name}/upload/commit",
            json.dumps(body),
            content_type="application/json",
        )
    )


USE_CASES: dict[str, list[Face]] = {
    "read a private repo's file": [
        (
            "hf",
            "token",
            lambda c, w, a: ok(
                c.get(f"/{w.private.full_name}/resolve/main/config.json")
            ),
        ),
        (
            "v1",
            "token",
            lambda c, w, a: ok(c.get(f"/api/v1/models/{w.private.full_name}/tree")),
        ),
        (
            "xet",
            "token",
            lambda c, w, a: ok(
                c.get(f"/api/models/{w.private.full_name}/xet-read-token/main")
            ),
        ),
        (
            "v1",
            "session",
            lambda c, w, a: ok(c.get(f"/api/v1/models/{w.private.full_name}/tree")),
        ),
        (
            "web",
            "session",
            lambda c, w, a: (
                "private config"
                in c.get(
                    f"/{w.private.full_name}/blob/main/config.json"
                ).content.decode()
            ),
        ),
    ],
    "download a gated file": [
        (
            "hf",
            "token",
            lambda c, w, a: ok(c.get(f"/{w.gated.full_name}/resolve/main/notes.txt")),
        ),
        (
            "v1",
            "token",
            lambda c, w, a: _has_access(
                c.get(f"/api/v1/models/{w.gated.full_name}/access")
            ),
        ),
        (
            "xet",
            "token",
            lambda c, w, a: ok(
                c.get(f"/api/models/{w.gated.full_name}/xet-read-token/main")
            ),
        ),
        (
            "web",
            "session",
            lambda c, w, a: (
                "only for those let in"
                in c.get(f"/{w.gated.full_name}/blob/main/notes.txt").content.decode()
            ),
        ),
    ],
    "commit to a private repo": [
        (
            "hf",
            "token",
            lambda c, w, a: ok(
                c.post(
                    f"/api/models/{w.private.full_name}/commit/main",
                    _ndjson("hf.txt", b"hf\n"),
                    content_type="application/x-ndjson",
                )
            ),
        ),
        (
            "xet",
            "token",
            lambda c, w, a: ok(
                c.get(f"/api/models/{w.private.full_name}/xet-write-token/main")
            ),
        ),
        ("web", "session", _web_commit),
    ],
    "change a repo's settings": [
        (
            "hf",
            "token",
            lambda c, w, a: ok(
                c.put(
                    f"/api/models/{w.private.full_name}/settings",
                    json.dumps({"private": True}),
                    content_type="application/json",
                )
            ),
        ),
        (
            "v1",
            "token",
            lambda c, w, a: ok(
                c.patch(
                    f"/api/v1/models/{w.private.full_name}",
                    json.dumps({"private": True}),
                    content_type="application/json",
                )
            ),
        ),
        (
            "web",
            "session",
            lambda c, w, a: (
                c.post(
                    f"/{w.private.full_name}/settings/visibility",
                    {"visibility": "private"},
                ).status_code
                == 302
                and c.get(f"/{w.private.full_name}/settings").status_code == 200
            ),
        ),
    ],
    "create a branch": [
        (
            "hf",
            "token",
            lambda c, w, a: ok(
                c.post(
                    f"/api/models/{w.private.full_name}/branch/hf-{next(_names)}",
                    "{}",
                    content_type="application/json",
                )
            ),
        ),
        (
            "v1",
            "token",
            lambda c, w, a: ok(
                c.post(
                    f"/api/v1/models/{w.private.full_name}/branches",
                    json.dumps({"name": f"v1-{next(_names)}"}),
                    content_type="application/json",
                )
            ),
        ),
        (
            "web",
            "session",
            lambda c, w, a: (
                c.post(
                    f"/{w.private.full_name}/branches/create",
                    {"kind": "branch", "name": f"web-{next(_names)}"},
                ).status_code
                == 302
                and c.get(f"/{w.private.full_name}/branches").status_code == 200
            ),
        ),
    ],
    "like a gated repo": [
        (
            "hf",
            "token",
            lambda c, w, a: ok(c.post(f"/api/models/{w.gated.full_name}/like")),
        ),
        (
            "v1",
            "token",
            lambda c, w, a: ok(c.post(f"/api/v1/models/{w.gated.full_name}/like")),
        ),
        (
            "web",
            "session",
            lambda c, w, a: ok(
                c.post(f"/{w.gated.full_name}/like", HTTP_ACCEPT="application/json")
            ),
        ),
    ],
}


def _data(world: World, kind: str = "private") -> str:
    repo = world.private_data if kind == "private" else world.gated_data
    assert repo is not None
    return repo.full_name


# Datasets on the HF face (issue 18). Their /api/v1 and web faces join these
# rows with those faces.
USE_CASES |= {
    "read a private dataset": [
        (
            "hf",
            "token",
            lambda c, w, a: ok(c.get(f"/datasets/{_data(w)}/resolve/main/train.csv")),
        ),
        (
            "hf",
            "token",
            lambda c, w, a: ok(c.head(f"/datasets/{_data(w)}/resolve/main/train.csv")),
        ),
        ("hf", "token", lambda c, w, a: ok(c.get(f"/api/datasets/{_data(w)}"))),
        (
            "hf",
            "token",
            lambda c, w, a: ok(
                c.get(f"/api/datasets/{_data(w)}/tree/main?recursive=true&expand=true")
            ),
        ),
        (
            "hf",
            "token",
            lambda c, w, a: ok(
                c.post(
                    f"/api/datasets/{_data(w)}/paths-info/main",
                    {"paths": ["train.csv"], "expand": "true"},
                )
            ),
        ),
        (
            "hf",
            "token",
            lambda c, w, a: ok(c.get(f"/api/datasets/{_data(w)}/discussions")),
        ),
        (
            "xet",
            "token",
            lambda c, w, a: ok(c.get(f"/api/datasets/{_data(w)}/xet-read-token/main")),
        ),
    ],
    "download a gated dataset file": [
        (
            "hf",
            "token",
            lambda c, w, a: ok(
                c.get(f"/datasets/{_data(w, 'gated')}/resolve/main/train.csv")
            ),
        ),
        (
            "xet",
            "token",
            lambda c, w, a: ok(
                c.get(f"/api/datasets/{_data(w, 'gated')}/xet-read-token/main")
            ),
        ),
    ],
    "commit to a private dataset": [
        (
            "hf",
            "token",
            lambda c, w, a: ok(
                c.post(
                    f"/api/datasets/{_data(w)}/commit/main",
                    _ndjson("more.csv", b"text\nhf\n"),
                    content_type="application/x-ndjson",
                )
            ),
        ),
        (
            "xet",
            "token",
            lambda c, w, a: ok(c.get(f"/api/datasets/{_data(w)}/xet-write-token/main")),
        ),
    ],
    "open a discussion on a private dataset": [
        (
            "hf",
            "token",
            lambda c, w, a: ok(
                c.post(
                    f"/api/datasets/{_data(w)}/discussions",
                    json.dumps({"title": "Label noise", "description": "row 1"}),
                    content_type="application/json",
                )
            ),
        ),
    ],
}

MEMBERS = {"owner", "orgadmin", "writer", "reader"}
WRITERS = {"owner", "orgadmin", "writer"}
ADMINS = {"owner", "orgadmin"}
SIGNED_IN = MEMBERS | {"stranger", "staff"}

EXPECTED: dict[str, set[str]] = {
    "read a private repo's file": MEMBERS | {"read token"},
    "download a gated file": MEMBERS | {"read token"},
    "commit to a private repo": WRITERS,
    "change a repo's settings": ADMINS,
    "create a branch": WRITERS,
    "like a gated repo": SIGNED_IN,
    "read a private dataset": MEMBERS | {"read token"},
    "download a gated dataset file": MEMBERS | {"read token"},
    "commit to a private dataset": WRITERS,
    "open a discussion on a private dataset": MEMBERS,
}

ACTORS = [
    "owner",
    "orgadmin",
    "writer",
    "reader",
    "stranger",
    "anonymous",
    "read token",
    "repo-limited token",
    "revoked token",
    "expired token",
    "staff",
    "banned",
]


@pytest.mark.parametrize("use_case", list(USE_CASES))
def test_every_face_gives_each_actor_the_same_verdict(world, use_case):
    verdicts: dict[str, dict[str, bool]] = {}
    for name in ACTORS:
        actor = world.actors[name]
        for face, via, call in USE_CASES[use_case]:
            if via == "session" and not actor.session:
                continue  # a token is not a browser session
            if via == "token" and actor.session and actor.user is None:
                client = Client()  # anonymous
            elif via == "token":
                client = token_client(actor)
            else:
                client = session_client(actor)
            verdicts.setdefault(name, {})[f"{face}/{via}"] = bool(
                call(client, world, actor)
            )
    wrong = {
        name: faces
        for name, faces in verdicts.items()
        if set(faces.values()) != {name in EXPECTED[use_case]}
    }
    assert wrong == {}, f"{use_case}: expected allowed for {EXPECTED[use_case]}"
