"""Queues and routes.

``default``: housekeeping (GC, reconciler); ``validation``: fast CPU checks
of uploaded files. Workers pick queues with ``--queues``.
"""

from kombu import Queue

TASK_QUEUES = (Queue("default"), Queue("validation"))
TASK_ROUTES = {
    "storage.*": {"queue": "default"},
    "jobs.*": {"queue": "default"},
    "validation.*": {"queue": "validation"},
}
