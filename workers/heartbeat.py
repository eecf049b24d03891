"""A running run's heartbeat, touched from a side thread while it works.

The reconciler requeues a running run whose heartbeat is older than the
stale limit (``HUB_JOB_STALE_AFTER_SECONDS``, or the eval one): a check
that blocks on a slow store read or a long scan must keep beating, or a
healthy run would be taken from its worker and retried, and given up
after ``HUB_JOB_MAX_ATTEMPTS``. Beats come at a third of the limit at
most, so two may be missed before a live run looks dead.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.db import connection

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 30.0


def beat_interval(stale_after_seconds: float) -> float:
    """Seconds between beats for runs judged stale after this long."""
    return max(0.5, min(HEARTBEAT_SECONDS, stale_after_seconds / 3))


class Heartbeat:
    """``with Heartbeat(beat, interval):`` calls ``beat()`` every interval."""

    def __init__(self, beat: Callable[[], None], interval: float) -> None:
        self.beat = beat
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                try:
                    self.beat()
                except Exception:  # a missed beat is not fatal
                    logger.warning("heartbeat failed", exc_info=True)
        finally:
            connection.close()  # this thread's own database connection

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
