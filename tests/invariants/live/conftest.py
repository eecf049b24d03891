"""The live hub of the end-to-end tests (real HTTP, the real client)."""

from tests.e2e.conftest import (  # noqa: F401 - fixtures re-exported for pytest
    _restore_migrated_data,
    api,
    hf_cache,
    hub_url,
    jun,
    maya,
)
