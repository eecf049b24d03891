"""Quotas met by the stock client with hf_xet (Xet on, default settings).

Preupload refuses what certainly does not fit, so the client sends no xorb
at all. What preupload cannot tell (a new file of a size the repo already
holds) is refused at the shard: its xorbs have travelled by then (the Xet
protocol sends them before any file size is declared), but no file, blob
or commit is registered and the orphan xorbs are left to garbage
collection. The client runs in a process of its own with a clean
environment (the e2e conftest disables Xet in this one).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from hub.accounts.actors import Actor
from hub.accounts.quotas import namespace_quota_set
from hub.catalog.models import ModelRepo
from hub.storage.models import Blob, XetFile, XetXorb
from tests.factories import commit_files, make_repo, make_user

KB = 1000

UPLOAD = textwrap.dedent(
    """
    import json, sys
    from huggingface_hub import HfApi
    from huggingface_hub.utils._runtime import is_xet_available

    endpoint, token, local, path = sys.argv[1:5]
    api = HfApi(endpoint=endpoint, token=token)
    report = {"xet": is_xet_available(), "error": None}
    try:
        api.upload_file(path_or_fileobj=local, path_in_repo=path, repo_id="maya/w")
    except Exception as exc:
        report["error"] = f"{type(exc).__name__}: {exc}"
    print(json.dumps(report))
    """
)


@pytest.fixture
def xet_env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "XET_"))}
    env["HF_HOME"] = str(tmp_path / "hf-home")
    env["HF_HUB_DISABLE_TELEMETRY"] = "1"
    env["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
    return env


@pytest.fixture
def quota(settings):
    settings.HUB_INLINE_UPLOAD_MAX_BYTES = 1024  # anything bigger goes via Xet
    settings.HUB_QUOTA_STORAGE_BYTES = 60 * KB
    settings.HUB_QUOTA_FILE_BYTES = None
    settings.HUB_QUOTA_REPOS = None
    return settings


def _upload(hub_url: str, token: str, local: Path, path: str, env) -> dict:
    run = subprocess.run(
        [sys.executable, "-c", UPLOAD, hub_url, token, str(local), path],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    report: dict = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["xet"] is True  # the stock client, Xet on
    return report


def test_xet_upload_over_the_quota_sends_no_xorb_and_shows_why(
    hub_url, maya, quota, tmp_path, xet_env
):
    make_repo(maya[0], "w")
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(70 * KB))
    report = _upload(hub_url, maya[1], big, "big.bin", xet_env)
    assert "Storage quota of maya exceeded" in report["error"]
    assert "this upload needs 70 kB more" in report["error"]
    assert not XetXorb.objects.exists()
    # Staff raise it: the same upload goes through Xet.
    staff = make_user("sam", is_staff=True)
    namespace_quota_set(
        actor=Actor.of(staff), namespace=maya[0].namespace, changes={"storage": "1MB"}
    )
    assert _upload(hub_url, maya[1], big, "big.bin", xet_env)["error"] is None
    blob = Blob.objects.get(size=70 * KB)
    assert blob.xet_file is not None


def test_what_preupload_cannot_tell_is_refused_at_the_shard(
    hub_url, maya, quota, tmp_path, xet_env
):
    repo = make_repo(maya[0], "w")
    commit_files(repo, {"old.bin": os.urandom(40 * KB)})
    heads = repo.commits.count()
    new = tmp_path / "new.bin"
    new.write_bytes(os.urandom(40 * KB))
    report = _upload(hub_url, maya[1], new, "new.bin", xet_env)
    # hf_xet raises RuntimeError("Internal error: <the hub's message>").
    assert report["error"].startswith("RuntimeError")
    assert "Storage quota of maya exceeded" in report["error"], report["error"]
    assert XetXorb.objects.exists()  # sent before any size was declared
    assert not XetFile.objects.exists()
    assert not Blob.objects.filter(xet_file__isnull=False).exists()
    assert ModelRepo.objects.get(pk=repo.pk).commits.count() == heads
