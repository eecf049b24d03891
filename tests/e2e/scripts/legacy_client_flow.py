"""Drive huggingface_hub 0.36.x against the hub; print one JSON report.

Run by tests/e2e/test_hf_legacy_client.py with the legacy client's own
virtualenv and HF_ENDPOINT / HF_TOKEN set. hf_xet is installed there and
NOT disabled: 0.3x clients negotiate Xet in the LFS batch call, and the
hub must keep them on plain LFS.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import huggingface_hub
from huggingface_hub import HfApi, hf_hub_download, snapshot_download
from huggingface_hub.utils import EntryNotFoundError, RepositoryNotFoundError


def main() -> None:
    user, other_token = sys.argv[1], sys.argv[2]
    api = HfApi()
    report: dict[str, object] = {"version": huggingface_hub.__version__}
    report["whoami"] = api.whoami()["name"]
    repo_id = f"{user}/legacy-model"
    api.create_repo(repo_id, private=True)
    api.create_repo(repo_id, private=True, exist_ok=True)
    report["private"] = api.model_info(repo_id).private

    work = Path(tempfile.mkdtemp())
    (work / "config.json").write_text('{"model_type": "gpt2"}\n')
    (work / "README.md").write_text("---\nlicense: mit\n---\n# Legacy\n")
    big = work / "weights.bin"
    big.write_bytes(os.urandom(3 * 1024 * 1024 + 17))
    api.upload_folder(repo_id=repo_id, folder_path=work, commit_message="upload")
    info = api.model_info(repo_id, files_metadata=True)
    siblings = info.siblings or []
    report["files"] = sorted(s.rfilename for s in siblings)
    report["lfs"] = {s.rfilename: s.lfs is not None for s in siblings}

    api.create_branch(repo_id, branch="dev/x")
    api.create_tag(repo_id, tag="v1")
    refs = api.list_repo_refs(repo_id)
    report["branches"] = sorted(b.name for b in refs.branches)
    report["tags"] = sorted(t.name for t in refs.tags)

    cache = tempfile.mkdtemp()
    path = hf_hub_download(repo_id, "weights.bin", revision="v1", cache_dir=cache)
    report["download_ok"] = Path(path).read_bytes() == big.read_bytes()
    snap = snapshot_download(repo_id, revision="dev/x", cache_dir=cache)
    report["snapshot"] = sorted(p.name for p in Path(snap).iterdir())
    try:
        hf_hub_download(repo_id, "missing.txt", cache_dir=cache)
    except EntryNotFoundError:
        report["missing_entry"] = "EntryNotFoundError"

    other = HfApi(token=other_token)
    try:
        other.model_info(repo_id)
    except RepositoryNotFoundError:
        report["stranger"] = "RepositoryNotFoundError"

    api.update_repo_settings(repo_id, private=False)
    pr = other.create_commit(
        repo_id,
        operations=[
            huggingface_hub.CommitOperationAdd("fix.txt", b"a fix from someone else\n")
        ],
        commit_message="Fix",
        create_pr=True,
    )
    report["pr_num"] = pr.pr_num
    assert pr.pr_num is not None
    api.merge_pull_request(repo_id, pr.pr_num)
    report["after_merge"] = sorted(api.list_repo_files(repo_id))
    print(json.dumps(report))


if __name__ == "__main__":
    main()
