"""The key spaces of Xet objects in the blob store, and their stores."""

from __future__ import annotations

import re

from hub.storage.store import BlobStore, KeySpace
from hub.storage.stores import raw_store

# Keys are the objects' own hashes in the spec's hex form (xorbs) or the
# SHA-256 of the bytes (shards). A pattern distinct from SHA256_RE's object,
# so a bad key is named as a key of the space, not as a bad SHA-256.
XET_KEY = re.compile(r"\A[0-9a-f]{64}\Z")
XORBS = KeySpace("xorbs", XET_KEY)
SHARDS = KeySpace("shards", XET_KEY)


def xorb_store() -> BlobStore:
    return raw_store().in_space(XORBS)


def shard_store() -> BlobStore:
    return raw_store().in_space(SHARDS)
