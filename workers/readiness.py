"""Readiness check of the validators (listed in settings.HUB_READINESS_CHECKS).

A web image without the modules the validation workers need could accept
uploads that no worker can ever check; /readyz reports it. The check lives
with the validators; hub.ops only runs the checks it is given.
"""

from __future__ import annotations

import picklescan.scanner  # noqa: F401 - importing is the check

import workers.validators.registry  # noqa: F401 - importing is the check


def check_scanners() -> None:
    """Nothing to do once imported: this module loads only if the scanners do."""
