"""The S3 tests drive the hub over HTTP too: they share the e2e fixtures."""

from tests.e2e.conftest import (  # noqa: F401 - fixtures re-exported for pytest
    _restore_migrated_data,
    api,
    hub_url,
    jun,
    maya,
)
