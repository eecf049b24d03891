"""nginx in front of a live hub: the e2e fixtures (live server, actors)."""

from tests.e2e.conftest import (  # noqa: F401 - fixtures re-exported for pytest
    _restore_migrated_data,
    api,
    hub_url,
    jun,
    maya,
)
