"""Readiness check of the blob store (listed in settings.HUB_READINESS_CHECKS)."""

from __future__ import annotations

from hub.storage.services import blob_store


def check_blob_store() -> None:
    """Raise unless the configured store answers (root writable, bucket reachable)."""
    blob_store().ping()
