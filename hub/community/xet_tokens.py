"""Xet access tokens: who may use the hub's CAS, for which repo, which way."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class XetGrant:
    """What a Xet access token carries, once opened and re-checked."""

    user_id: int | None
    token_id: int | None
    repo_id: int
    write: bool
    is_pr: bool
    expires_at: int
