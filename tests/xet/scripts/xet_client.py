"""Drive the stock huggingface_hub client (hf_xet installed, Xet on); print JSON.

Run by tests/xet/test_e2e_client.py in a process of its own, with no Xet-related
environment variable (the client reads them at import, and the test process has
HF_HUB_DISABLE_XET=1 from the LFS end-to-end tests), so what runs here is what a
user with default settings runs:

    xet_client.py ENDPOINT TOKEN upload-file REPO LOCAL_PATH PATH_IN_REPO
    xet_client.py ENDPOINT TOKEN upload-folder REPO FOLDER
    xet_client.py ENDPOINT TOKEN download REPO FILENAME [REVISION]
    xet_client.py ENDPOINT TOKEN snapshot REPO [REVISION]

The last line of stdout is a JSON report: whether Xet was on, what was done,
and for downloads the SHA-256 of each file the client wrote to its cache.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from pathlib import Path

from huggingface_hub import HfApi, constants, hf_hub_download, snapshot_download
from huggingface_hub.utils._runtime import is_xet_available


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1024 * 1024):
            digest.update(block)
    return digest.hexdigest()


def main() -> None:
    endpoint, token, action, repo_id, *rest = sys.argv[1:]
    report: dict[str, object] = {
        "xet_available": is_xet_available(),
        "xet_disabled": constants.HF_HUB_DISABLE_XET,
        "action": action,
    }
    api = HfApi(endpoint=endpoint, token=token)
    start = time.perf_counter()
    if action == "upload-file":
        local, path_in_repo = rest
        info = api.upload_file(
            path_or_fileobj=local, path_in_repo=path_in_repo, repo_id=repo_id
        )
        report["commit"] = info.oid
    elif action == "upload-folder":
        (folder,) = rest
        info = api.upload_folder(repo_id=repo_id, folder_path=folder)
        report["commit"] = info.oid
    elif action == "download":
        filename, *revision = rest
        path = hf_hub_download(
            repo_id,
            filename,
            revision=revision[0] if revision else None,
            endpoint=endpoint,
            token=token,
        )
        report["sha256"] = {filename: sha256_of(Path(path))}
    elif action == "snapshot":
        snapshot = Path(
            snapshot_download(
                repo_id,
                revision=rest[0] if rest else None,
                endpoint=endpoint,
                token=token,
            )
        )
        report["sha256"] = {
            str(p.relative_to(snapshot)): sha256_of(p)
            for p in sorted(snapshot.rglob("*"))
            if p.is_file()
        }
    else:
        raise SystemExit(f"unknown action {action}")
    report["seconds"] = time.perf_counter() - start
    print(json.dumps(report))


if __name__ == "__main__":
    main()
