"""Fixtures for the real ``datasets`` library against the live hub.

The hub, the actors and their tokens are the e2e suite's (tests/e2e/conftest
sets the client's environment at import). ``datasets`` runs in a child
process (scripts/load.py) with HF_ENDPOINT pointing at this test's live
server: the library reads its endpoint and token at import, so a process
per test is the way to aim it without patching its module state.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.e2e import conftest as e2e

# The e2e suite's fixtures: the live hub, its actors and the client.
_restore_migrated_data = e2e._restore_migrated_data
hub_url = e2e.hub_url
hf_cache = e2e.hf_cache
maya = e2e.maya
jun = e2e.jun
api = e2e.api

LOADER = Path(__file__).with_name("scripts") / "load.py"
ROOT = Path(__file__).resolve().parents[2]


class DatasetsClient:
    """``load_dataset`` in a child process aimed at the live hub."""

    def __init__(self, hub_url: str, home: Path) -> None:
        self.hub_url = hub_url
        self.root = home
        self.runs = 0

    def load(self, *requests: dict[str, Any], token: str | None = None) -> list[Any]:
        """Run each load request; returns one answer per request.

        Each run has a cache of its own: ``datasets`` falls back to a cached
        copy when the hub refuses, which would hide the refusal.
        """
        self.runs += 1
        home = self.root / f"run-{self.runs}"
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("HF_", "HUGGINGFACE_"))
        }
        env.update(
            HF_ENDPOINT=self.hub_url,
            HF_HOME=str(home),
            HF_DATASETS_CACHE=str(home / "datasets"),
            HF_HUB_DISABLE_TELEMETRY="1",
            HF_HUB_DISABLE_PROGRESS_BARS="1",
            HF_DATASETS_DISABLE_PROGRESS_BARS="1",
            HF_HUB_ETAG_TIMEOUT="30",
        )
        if token:
            env["HF_TOKEN"] = token
        done = subprocess.run(
            [sys.executable, str(LOADER)],
            input=json.dumps(list(requests)),
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr[-4000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    def load_one(self, path: str, *, token: str | None = None, **kwargs: Any):
        """One load; the answer's splits, or the error answer as is."""
        streaming = kwargs.pop("streaming", False)
        take = kwargs.pop("take", 0)
        request = {"path": path, "kwargs": kwargs, "streaming": streaming}
        request["take"] = take
        (answer,) = self.load(request, token=token)
        return answer.get("splits", answer)


@pytest.fixture
def hf_datasets(hub_url, tmp_path) -> DatasetsClient:
    """The real ``datasets`` library, aimed at the live hub, with its own cache."""
    return DatasetsClient(hub_url, tmp_path / "hf-home")


def parquet_bytes(rows: list[dict[str, Any]]) -> bytes:
    """A Parquet file of ``rows``, written by pyarrow."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(rows), sink)
    return sink.getvalue()
