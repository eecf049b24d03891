"""Fixtures of the web UI tests: a public and a private model with files."""

from __future__ import annotations

import json
import struct

import pytest

from tests.factories import commit_files, make_repo

CARD = b"""---
license: apache-2.0
pipeline_tag: text-generation
library_name: transformers
tags: [tiny, demo]
---

# Tiny model

A **tiny** model for tests. See [the config](config.json).

```python
print("hello")
```
"""


def safetensors_bytes(elements: int = 6) -> bytes:
    header = json.dumps(
        {"w": {"dtype": "F32", "shape": [elements], "data_offsets": [0, 4 * elements]}}
    ).encode()
    header += b" " * (-len(header) % 8)
    return struct.pack("<Q", len(header)) + header + b"\0" * (4 * elements)


@pytest.fixture
def repo(owner):
    """owner/tiny: a public model with a card, a config and weights."""
    repo = make_repo(owner, "tiny")
    commit_files(
        repo,
        {
            "README.md": CARD,
            "config.json": b'{"model_type": "llama", "hidden_size": 8}\n',
            "model.safetensors": safetensors_bytes(),
        },
        author=owner,
        title="Add the model",
    )
    repo.refresh_from_db()
    return repo


@pytest.fixture
def private_repo(owner):
    repo = make_repo(owner, "secret", is_private=True)
    commit_files(repo, {"README.md": b"# Secret\n"}, author=owner)
    repo.refresh_from_db()
    return repo
