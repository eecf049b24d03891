"""A stock client (hf_xet installed, Xet not disabled) against this hub.

hf-protocol.md section 3: files up to HUB_INLINE_UPLOAD_MAX_BYTES are
answered ``regular`` and travel inline, so default settings work; above the
limit the client goes to Xet, which this hub does not serve, and the error
the user sees must say how to fix it. The client reads HF_HUB_DISABLE_XET at
import, and the e2e conftest sets it for this process, so the client runs
in a subprocess with a clean environment.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from hub.catalog.models import TreeEntry
from hub.catalog.revisions import revision_resolve
from tests.factories import make_repo

CLIENT = textwrap.dedent(
    """
    import json, pathlib, sys
    from huggingface_hub import HfApi
    from huggingface_hub.utils._runtime import is_xet_available

    endpoint, token, folder = sys.argv[1:4]
    api = HfApi(endpoint=endpoint, token=token)
    result = {"xet": is_xet_available()}
    api.upload_file(
        path_or_fileobj=b"small enough", path_in_repo="small.txt", repo_id="maya/xet"
    )
    api.upload_folder(repo_id="maya/xet", folder_path=folder)
    try:
        api.upload_file(
            path_or_fileobj=b"x" * 5000, path_in_repo="big.bin", repo_id="maya/xet"
        )
    except Exception as exc:
        result["error"] = f"{type(exc).__name__}: {exc}"
    print(json.dumps(result))
    """
)


@pytest.fixture
def xet_env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    env["HF_HOME"] = str(tmp_path / "hf-home")
    env["HF_HUB_DISABLE_TELEMETRY"] = "1"
    env["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
    return env


def test_default_client_uploads_small_files_and_is_told_to_disable_xet(
    hub_url, maya, settings, tmp_path, xet_env
):
    settings.HUB_INLINE_UPLOAD_MAX_BYTES = 1000
    repo = make_repo(maya[0], "xet")
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "config.json").write_text('{"hidden_size": 8}')
    (folder / "notes.md").write_text("notes")
    run = subprocess.run(
        [sys.executable, "-c", CLIENT, hub_url, maya[1], str(folder)],
        env=xet_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["xet"] is True  # the stock client really had Xet on
    head = revision_resolve(repo=repo, revision="main")
    paths = set(TreeEntry.objects.filter(commit=head).values_list("path", flat=True))
    assert {"small.txt", "config.json", "notes.md"} <= paths
    assert "big.bin" not in paths
    assert "HF_HUB_DISABLE_XET=1" in result["error"]
