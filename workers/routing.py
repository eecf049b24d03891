"""Queues and routes: housekeeping on ``default``; validation and eval later."""

from kombu import Queue

TASK_QUEUES = (Queue("default"),)
TASK_ROUTES = {
    "storage.*": {"queue": "default"},
}
