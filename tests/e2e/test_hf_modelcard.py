"""ModelCard.load / ModelCard.push_to_hub (huggingface_hub 2.4) against the hub.

Both honour only HF_ENDPOINT, read at import, so they run in a fresh
process with it set.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

SCRIPT = """
import json, sys
from huggingface_hub import ModelCard, ModelCardData
repo = sys.argv[1]
card = ModelCard.load(repo)
before = card.data.to_dict()
card.data.license = "apache-2.0"
card.data.tags = ["card-test"]
card.text = card.text + "\\nEdited with ModelCard.push_to_hub.\\n"
card.push_to_hub(repo, commit_message="Update card")
after = ModelCard.load(repo)
bad = ModelCard("---\\nlicense: apache2\\n---\\n# Bad\\n")
try:
    bad.push_to_hub(repo)
    refused = None
except Exception as exc:
    refused = str(exc)
print(json.dumps({
    "before": before,
    "after": after.data.to_dict(),
    "text": after.text,
    "refused": refused,
}))
"""


def test_model_card_load_and_push_to_hub(api, maya, hub_url, tmp_path):
    repo_id = "maya/card-model"
    api.create_repo(repo_id)
    api.upload_file(
        path_or_fileobj=(
            b"---\nlicense: mit\npipeline_tag: text-generation\n---\n# Hi\n"
        ),
        path_in_repo="README.md",
        repo_id=repo_id,
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    env.update(
        HF_ENDPOINT=hub_url,
        HF_TOKEN=maya[1],
        HF_HOME=str(tmp_path / "home"),
        HF_HUB_DISABLE_XET="1",
        HF_HUB_DISABLE_TELEMETRY="1",
    )
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, repo_id],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["before"]["license"] == "mit"
    assert report["after"]["license"] == "apache-2.0"
    assert report["after"]["tags"] == ["card-test"]
    assert "Edited with ModelCard.push_to_hub." in report["text"]
    assert report["refused"] is not None and "apache-2.0" in report["refused"]
    info = api.model_info(repo_id)
    assert info.card_data is not None and info.card_data["license"] == "apache-2.0"
