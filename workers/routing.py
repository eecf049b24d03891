"""Queues and routes.

``default``: housekeeping (GC, reconciler); ``validation``: fast CPU checks
of uploaded files; ``eval``: sandboxed evaluations, slow, one at a time
(``--concurrency 1 --prefetch-multiplier 1``). Workers pick queues with
``--queues``.
"""

from kombu import Queue

TASK_QUEUES = (Queue("default"), Queue("validation"), Queue("eval"))
TASK_ROUTES = {
    "storage.*": {"queue": "default"},
    "jobs.*": {"queue": "default"},
    "catalog.*": {"queue": "default"},
    "validation.*": {"queue": "validation"},
    # Dataset previews: a short sandboxed parse per file, like a check.
    "viewer.*": {"queue": "validation"},
    "evals.*": {"queue": "eval"},
}
