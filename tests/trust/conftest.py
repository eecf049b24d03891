"""Attacker-side tests share the e2e fixtures: the hub over real HTTP."""

from tests.e2e.conftest import (  # noqa: F401 - fixtures re-exported for pytest
    _restore_migrated_data,
    api,
    hf_cache,
    hub_url,
    jun,
    maya,
    start_worker,
)
