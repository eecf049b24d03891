"""The older client generation (huggingface_hub 0.36.x, used by transformers 4.x).

It runs in a virtualenv of its own (created on first use, ``.venv-hf036``),
with hf_xet installed and Xet not disabled, so the hub must negotiate plain
LFS with it (hf-protocol.md section 7).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hub.accounts.services import token_create
from tests.factories import make_user

ROOT = Path(__file__).resolve().parents[2]
LEGACY_VENV = ROOT / ".venv-hf036"
LEGACY_VERSION = "0.36.2"
SCRIPT = Path(__file__).parent / "scripts" / "legacy_client_flow.py"


def legacy_python() -> Path:
    """The legacy client's interpreter, installing it the first time."""
    python = LEGACY_VENV / "bin" / "python"
    marker = LEGACY_VENV / f".hf-{LEGACY_VERSION}"
    if not marker.exists():
        subprocess.run([sys.executable, "-m", "venv", str(LEGACY_VENV)], check=True)
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--quiet",
                f"huggingface_hub[hf_xet]=={LEGACY_VERSION}",
            ],
            check=True,
        )
        marker.touch()
    return python


@pytest.mark.slow
def test_legacy_client_uploads_lists_downloads_and_opens_prs(hub_url, maya, settings):
    # Small enough that the 3 MB file goes through the LFS batch API, where
    # this client offers "xet" and must be answered with basic/multipart.
    settings.HUB_INLINE_UPLOAD_MAX_BYTES = 1024 * 1024
    stranger = make_user("legacy-stranger")
    _, stranger_token = token_create(user=stranger, name="t", scope="write")
    env = {key: value for key, value in os.environ.items() if not key.startswith("HF_")}
    env.update(
        HF_ENDPOINT=hub_url,
        HF_TOKEN=maya[1],
        HF_HOME=str(ROOT / ".venv-hf036" / "home"),
        HF_HUB_DISABLE_TELEMETRY="1",
        HF_HUB_DISABLE_PROGRESS_BARS="1",
    )
    out = subprocess.run(
        [str(legacy_python()), str(SCRIPT), maya[0].username, stranger_token],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-4000:]
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["version"] == LEGACY_VERSION
    assert report["whoami"] == "maya"
    assert report["private"] is True
    assert report["files"] == [
        ".gitattributes",
        "README.md",
        "config.json",
        "weights.bin",
    ]
    assert report["lfs"]["weights.bin"] is True
    assert report["branches"] == ["dev/x", "main"]
    assert report["tags"] == ["v1"]
    assert report["download_ok"] is True
    assert report["snapshot"] == [
        ".gitattributes",
        "README.md",
        "config.json",
        "weights.bin",
    ]
    assert report["missing_entry"] == "EntryNotFoundError"
    assert report["stranger"] == "RepositoryNotFoundError"
    assert report["pr_num"] == 1
    assert "fix.txt" in report["after_merge"]
