"""huggingface_hub 0.36 (hf_xet installed, Xet not disabled) in a repo that
already holds a file stored through Xet: it uploads a file (the hub keeps it
on plain LFS) and downloads the Xet-stored one. Prints one JSON report.

    legacy_mixed.py REPO LOCAL_FILE PATH_IN_REPO XET_FILE

Run by tests/xet/test_e2e_client.py with the legacy client's own virtualenv
and HF_ENDPOINT / HF_TOKEN set.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from pathlib import Path

import huggingface_hub
from huggingface_hub import HfApi, hf_hub_download


def sha256_of(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def main() -> None:
    repo_id, local, path_in_repo, xet_file = sys.argv[1:]
    api = HfApi()
    report: dict[str, object] = {"version": huggingface_hub.__version__}
    try:
        from huggingface_hub.utils import is_xet_available

        report["xet_available"] = is_xet_available()
    except ImportError:
        report["xet_available"] = None
    api.upload_file(path_or_fileobj=local, path_in_repo=path_in_repo, repo_id=repo_id)
    cache = tempfile.mkdtemp()
    report["sha256"] = {
        name: sha256_of(hf_hub_download(repo_id, name, cache_dir=cache))
        for name in (path_in_repo, xet_file)
    }
    report["files"] = sorted(api.list_repo_files(repo_id))
    print(json.dumps(report))


if __name__ == "__main__":
    main()
