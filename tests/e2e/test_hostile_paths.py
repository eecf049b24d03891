"""Hostile file paths never reach a commit (issue 13, hole 6).

A ``sub/.git/config`` in a repo becomes a git directory in every checkout
of it: ``git status`` there runs its ``core.fsmonitor`` command. Bidi
controls, zero-width characters and look-alike slashes make a name read as
another one. The attacker here writes the NDJSON commit by hand (the
huggingface_hub client refuses ``.git`` in lower case itself); the real
client is used where it sends the path as given.
"""

from __future__ import annotations

import base64
import json

import pytest
import requests
from huggingface_hub.errors import BadRequestError

from hub.catalog.models import ModelRepo
from tests.factories import commit_files, make_repo

FSMONITOR_CONFIG = b"[core]\n\tfsmonitor = touch /tmp/pwned-by-hub\n"


@pytest.fixture
def repo(maya) -> ModelRepo:
    repo = make_repo(maya[0], "victim")
    commit_files(repo, {"README.md": b"# Victim\n"}, author=maya[0], title="Init")
    return repo


def _ndjson_commit(hub_url: str, secret: str, path: str) -> requests.Response:
    lines = [
        {"key": "header", "value": {"summary": "Add config", "description": ""}},
        {
            "key": "file",
            "value": {
                "path": path,
                "encoding": "base64",
                "content": base64.b64encode(FSMONITOR_CONFIG).decode(),
            },
        },
    ]
    return requests.post(
        f"{hub_url}/api/models/maya/victim/commit/main",
        data="".join(json.dumps(line) + "\n" for line in lines).encode(),
        headers={
            "Authorization": f"Bearer {secret}",
            "Content-Type": "application/x-ndjson",
        },
        timeout=30,
    )


def _head(hub_url: str) -> str:
    return requests.get(f"{hub_url}/api/models/maya/victim", timeout=30).json()["sha"]


@pytest.mark.parametrize(
    ("path", "named"),
    [
        ("sub/.git/config", "'.git' directory"),
        ("sub/.GIT/config", "'.git' directory"),
        ("deep/er/.Git/config", "'.git' directory"),
        ("model\u202egnp.exe", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("sub/.g\u200bit/config", "U+200B ZERO WIDTH SPACE"),
        ("weights\u2215model.bin", "U+2215 DIVISION SLASH"),
        ("weights\uff0fmodel.bin", "U+FF0F FULLWIDTH SOLIDUS"),
        ("folder /config.json", "ending in a space"),
        ("folder./config.json", "ending in a dot"),
        ("  /config.json", "only whitespace"),
    ],
)
def test_raw_commit_with_hostile_path_is_refused_and_changes_nothing(
    hub_url, maya, repo, path, named
):
    before = _head(hub_url)

    response = _ndjson_commit(hub_url, maya[1], path)

    assert response.status_code == 400, response.text
    assert named in response.json()["error"]
    assert named in response.headers["X-Error-Message"]
    assert _head(hub_url) == before
    assert repo.commits.count() == 2  # the repo's creation and "Init"


def test_real_client_sees_the_named_character_in_its_error(api, repo, hub_url):
    before = _head(hub_url)

    with pytest.raises(BadRequestError) as error:
        api.upload_file(
            path_or_fileobj=b"print('hi')\n",
            path_in_repo="scripts/run\u202etxt.py",
            repo_id="maya/victim",
        )

    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in str(error.value)
    assert _head(hub_url) == before


def test_real_client_upper_case_git_folder_is_refused(api, repo, hub_url):
    before = _head(hub_url)

    with pytest.raises(BadRequestError, match="'.git' directory"):
        api.upload_file(
            path_or_fileobj=FSMONITOR_CONFIG,
            path_in_repo="sub/.GIT/config",
            repo_id="maya/victim",
        )

    assert _head(hub_url) == before
