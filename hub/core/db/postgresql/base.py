"""Django's PostgreSQL backend, minus one round trip per request.

With ``CONN_HEALTH_CHECKS`` Django checks a persistent connection before
each request reuses it (``SELECT 1``): one more round trip to PostgreSQL on
every download, a quarter of a resolve's database waits (issue 17). A
connection that finished a request without error less than
``RECENT_SECONDS`` ago is taken as alive instead. Should the server have
gone away in that second, the request's first query fails as a lost
connection does (a 503 that says so), and Django closes the connection
after it; a connection idle for longer is checked as before. Workers do not
serve requests: theirs are always checked.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.signals import request_finished
from django.db import connections
from django.db.backends.postgresql import base

RECENT_SECONDS = 1.0


class DatabaseWrapper(base.DatabaseWrapper):
    # When this connection last finished a request without an error.
    answered_at = float("-inf")

    def close_if_health_check_failed(self) -> None:
        recent = time.monotonic() - self.answered_at < RECENT_SECONDS
        if self.connection is not None and recent:
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def close(self) -> None:
        self.answered_at = float("-inf")
        super().close()


def _note_answered(**kwargs: Any) -> None:
    for connection in connections.all(initialized_only=True):
        if (
            isinstance(connection, DatabaseWrapper)
            and connection.connection is not None
            and not connection.errors_occurred
        ):
            connection.answered_at = time.monotonic()


request_finished.connect(_note_answered, dispatch_uid="hub.core.db.answered")
