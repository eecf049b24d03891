"""A stock client (hf_xet installed, Xet not disabled) against this hub.

hf-protocol.md section 3: files up to HUB_INLINE_UPLOAD_MAX_BYTES are
answered ``regular`` and travel inline; larger ones are ``lfs``, which the
client sends through Xet to the hub's CAS (``/xet``) and downloads from it
again. The client reads HF_HUB_DISABLE_XET at import, and the e2e conftest
sets it for this process, so the client runs in a subprocess with a clean
environment.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap

import pytest

from hub.catalog.models import TreeEntry
from hub.catalog.revisions import revision_resolve
from hub.storage.models import Blob
from hub.storage.services import blob_mark_checked
from tests.factories import make_repo

BIG = bytes(range(256)) * 40 + os.urandom(200_000)

UPLOAD = textwrap.dedent(
    """
    import json, sys
    from huggingface_hub import HfApi
    from huggingface_hub.utils._runtime import is_xet_available

    endpoint, token, folder, big = sys.argv[1:5]
    api = HfApi(endpoint=endpoint, token=token)
    api.upload_file(
        path_or_fileobj=b"small enough", path_in_repo="small.txt", repo_id="maya/xet"
    )
    api.upload_folder(repo_id="maya/xet", folder_path=folder)
    api.upload_file(path_or_fileobj=big, path_in_repo="big.bin", repo_id="maya/xet")
    print(json.dumps({"xet": is_xet_available()}))
    """
)

DOWNLOAD = textwrap.dedent(
    """
    import hashlib, json, sys
    from huggingface_hub import hf_hub_download

    endpoint, token, cache = sys.argv[1:4]
    path = hf_hub_download(
        "maya/xet", "big.bin", endpoint=endpoint, token=token or False,
        cache_dir=cache,
    )
    data = open(path, "rb").read()
    print(json.dumps({"sha256": hashlib.sha256(data).hexdigest()}))
    """
)


@pytest.fixture
def xet_env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    env["HF_HOME"] = str(tmp_path / "hf-home")
    env["HF_HUB_DISABLE_TELEMETRY"] = "1"
    env["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
    return env


def _client(script: str, *args: str, env: dict[str, str]) -> dict:
    run = subprocess.run(
        [sys.executable, "-c", script, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_default_client_sends_small_files_inline_and_large_ones_through_xet(
    hub_url, maya, settings, tmp_path, xet_env
):
    settings.HUB_INLINE_UPLOAD_MAX_BYTES = 1000
    repo = make_repo(maya[0], "xet")
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "config.json").write_text('{"hidden_size": 8}')
    (folder / "notes.md").write_text("notes")
    big = tmp_path / "big.bin"
    big.write_bytes(BIG)
    result = _client(UPLOAD, hub_url, maya[1], str(folder), str(big), env=xet_env)
    assert result["xet"] is True  # the stock client really had Xet on
    head = revision_resolve(repo=repo, revision="main")
    paths = set(TreeEntry.objects.filter(commit=head).values_list("path", flat=True))
    assert {"small.txt", "config.json", "notes.md", "big.bin"} <= paths
    sha = hashlib.sha256(BIG).hexdigest()
    blob = Blob.objects.get(pk=sha)
    assert blob.xet_file is not None and not blob.in_store
    blob_mark_checked(sha256=sha)  # as the validation worker would
    for who in (maya[1], ""):
        got = _client(
            DOWNLOAD, hub_url, who, str(tmp_path / f"cache{who[:3]}"), env=xet_env
        )
        assert got["sha256"] == sha
