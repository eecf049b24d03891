"""HF-face tests over real HTTP share the e2e fixtures (a live hub)."""

from tests.e2e.conftest import (  # noqa: F401 - fixtures re-exported for pytest
    _restore_migrated_data,
    hub_url,
    jun,
    maya,
)
