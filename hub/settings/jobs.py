"""Validation and evaluation jobs: retries and heartbeats, evaluation limits,
queues and the beat schedule."""

from __future__ import annotations

import os
import tempfile
from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from hub.env import (
    env_bool,
    env_int,
    env_path,
    env_str,
)

# Jobs. A run queued this long without being picked up is sent again; a
# running run without a heartbeat this long is requeued (worker died), and a
# run is errored after HUB_JOB_MAX_ATTEMPTS attempts.
HUB_JOB_RESEND_AFTER_SECONDS = env_int("HUB_JOB_RESEND_AFTER_SECONDS", 120, minimum=1)
HUB_JOB_STALE_AFTER_SECONDS = env_int("HUB_JOB_STALE_AFTER_SECONDS", 900, minimum=1)
HUB_JOB_MAX_ATTEMPTS = env_int("HUB_JOB_MAX_ATTEMPTS", 3, minimum=1)
# Total bytes one commit may hold (0: no quota).
HUB_REPO_QUOTA_BYTES = env_int("HUB_REPO_QUOTA_BYTES", 0, minimum=0)

# Evaluations (issue 7; README "Evaluations and leaderboard"). Unset
# HUB_EVAL_ENABLED means "on when the .[eval] extra is installed".
HUB_EVAL_ENABLED = (
    None if env_str("HUB_EVAL_ENABLED") is None else env_bool("HUB_EVAL_ENABLED", True)
)
HUB_EVAL_MAX_TIER = env_str("HUB_EVAL_MAX_TIER", "s")
if HUB_EVAL_MAX_TIER not in ("xs", "s", "m", "l", "xl"):
    raise ImproperlyConfigured("HUB_EVAL_MAX_TIER must be one of xs, s, m, l, xl")
HUB_EVAL_TIMEOUT_SECONDS = env_int("HUB_EVAL_TIMEOUT_SECONDS", 1800, minimum=5)
HUB_EVAL_THREADS = env_int("HUB_EVAL_THREADS", min(2, os.cpu_count() or 1), minimum=1)
HUB_EVAL_MAX_RUNNING_PER_OWNER = env_int("HUB_EVAL_MAX_RUNNING_PER_OWNER", 1, minimum=1)
HUB_EVAL_MAX_QUEUED_REQUESTS_PER_USER = env_int(
    "HUB_EVAL_MAX_QUEUED_REQUESTS_PER_USER", 10, minimum=1
)
HUB_EVAL_ALLOW_NO_NETWORK_ISOLATION = env_bool(
    "HUB_EVAL_ALLOW_NO_NETWORK_ISOLATION", False
)
# Bytes of a dataset split one eval run reads (issue 18): files in order, the
# last one by its first bytes (a Parquet file with its footer too).
HUB_EVAL_DATASET_MAX_BYTES = env_int(
    "HUB_EVAL_DATASET_MAX_BYTES", 64 << 20, minimum=1 << 20
)
HUB_EVAL_WORKDIR = env_path(
    "HUB_EVAL_WORKDIR", Path(tempfile.gettempdir()) / "model-commons-evals"
)

# Queues and routes live in workers/routing.py (applied by the Celery app).
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Seconds between reconciler passes; 0 (default): once a minute on the
# minute. Shorter intervals shorten recovery after a broker or worker loss.
_reconcile_every = env_int("HUB_RECONCILE_INTERVAL_SECONDS", 0, minimum=0)
CELERY_BEAT_SCHEDULE = {
    # Every minute: https://crontab.guru/#*_*_*_*_* (or every
    # HUB_RECONCILE_INTERVAL_SECONDS when set).
    "jobs-reconcile": {
        "task": "jobs.reconcile",
        "schedule": (
            timedelta(seconds=_reconcile_every) if _reconcile_every else crontab()
        ),
    },
    # Dataset previews: the same sweep, same interval.
    "viewer-reconcile": {
        "task": "viewer.reconcile",
        "schedule": (
            timedelta(seconds=_reconcile_every) if _reconcile_every else crontab()
        ),
    },
    # Every hour at minute 17: https://crontab.guru/#17_*_*_*_*
    "blob-gc": {
        "task": "storage.collect_garbage",
        "schedule": crontab(minute=17),
    },
    # Every minute: the whole catalog's facet counts and total stay cached
    # (hub/catalog/filters.py), so the first page never waits for them.
    "catalog-facets": {
        "task": "catalog.refresh_facets",
        "schedule": crontab(),
    },
    # Every hour at minute 7: https://crontab.guru/#7_*_*_*_*
    "catalog-trending": {
        "task": "catalog.recompute_trending",
        "schedule": crontab(minute=7),
    },
}
