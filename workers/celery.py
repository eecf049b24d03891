"""The Celery app: ``workers.celery:app`` (``celery -A workers worker``).

With no broker URL configured the app uses kombu's filesystem transport
under ``var/broker``: jobs still run asynchronously in a separate worker
process, and no server is needed (the embedded default).
"""

from __future__ import annotations

import os

from celery import Celery

from workers.routing import TASK_QUEUES, TASK_ROUTES

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")

app = Celery("model_commons")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = TASK_QUEUES
app.conf.task_routes = TASK_ROUTES


@app.on_after_configure.connect
def _prepare_filesystem_broker(sender: Celery, **_: object) -> None:
    """The filesystem transport needs its folders to exist before polling."""
    options = sender.conf.broker_transport_options or {}
    for key in (
        "data_folder_in",
        "data_folder_out",
        "processed_folder",
        "control_folder",
    ):
        folder = options.get(key)
        if folder:
            os.makedirs(folder, exist_ok=True)


app.conf.include = [
    "workers.tasks",
    "workers.jobs",
    "workers.evals.tasks",
    "workers.viewer",
]
