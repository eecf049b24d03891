"""What validation and eval runs share: the log kept per run, the attempts
an infrastructure failure is retried."""

from __future__ import annotations

from django.conf import settings

# A run keeps the last LOG_LIMIT characters of its log.
LOG_LIMIT = 20_000


def max_attempts() -> int:
    return int(getattr(settings, "HUB_JOB_MAX_ATTEMPTS", 3))
