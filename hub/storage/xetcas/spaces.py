"""The key spaces of Xet storage in the blob store (``store.in_space``)."""

from __future__ import annotations

from hub.storage.store import KeySpace

# Xorbs, keyed by their xorb hash (64 hex, the spec's string form).
XORBS = KeySpace("xorbs")
# Shards as their clients uploaded them, keyed by the SHA-256 of their bytes.
SHARDS = KeySpace("shards")
