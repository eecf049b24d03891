"""Prometheus metrics: request latency, bytes moved, jobs and queue depth.

Counters and histograms live in each process; under gunicorn with several
processes, PROMETHEUS_MULTIPROC_DIR (set by deploy/gunicorn.conf.py) makes
them files that the scrape sums. Job counts and queue depth are read from
PostgreSQL and the broker when scraped, so they are always the truth and
need no process to keep them.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import REGISTRY, Collector

logger = logging.getLogger(__name__)

REQUEST_LATENCY = Histogram(
    "hub_http_request_duration_seconds",
    "Time to produce a response (streamed bodies excluded), by route.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120),
)
UPLOAD_BYTES = Counter(
    "hub_upload_bytes_total",
    "Bytes of files received and verified, by path (hub, s3-direct or xet).",
    ["via"],
)
DOWNLOAD_BYTES = Counter(
    "hub_download_bytes_total",
    "Bytes of files handed to clients, by how (stream, x-accel, s3-redirect).",
    ["via"],
)


def observe_upload(size: int, *, via: str) -> None:
    UPLOAD_BYTES.labels(via=via).inc(size)


def observe_download(size: int, *, via: str) -> None:
    DOWNLOAD_BYTES.labels(via=via).inc(size)


# Job-run models counted at scrape, with their queue: registered by the apps
# that own them (hub.jobs in its AppConfig.ready()), so ops imports none.
_job_run_models: dict[type[Any], str] = {}


def job_run_model_register(model: type[Any], queue: str | None = None) -> None:
    """Count ``model``'s rows by ``status`` (its ``Status`` choices) at scrape.

    ``queue``: the queue its runs go to; by default the model's
    ``queue_name``, else "eval" for evaluation runs and "validation" for
    the others. Idempotent.
    """
    name = model.__name__.lower()
    _job_run_models[model] = (
        queue
        or getattr(model, "queue_name", None)
        or ("eval" if "eval" in name else "validation")
    )


def _run_models() -> Iterator[tuple[Any, str]]:
    """(model, queue) for every registered job-run model."""
    yield from list(_job_run_models.items())


def queue_depths(broker_url: str, queues: list[str]) -> dict[str, int]:
    """Messages waiting per queue (Redis brokers; others report nothing)."""
    if not broker_url.startswith(("redis://", "rediss://")):
        return {}
    import redis

    client = redis.Redis.from_url(
        broker_url, socket_timeout=2, socket_connect_timeout=2
    )
    try:
        return {queue: int(client.llen(queue)) for queue in queues}
    finally:
        client.close()


class StateCollector(Collector):
    """Job runs by state and queue, and broker queue depth, read at scrape."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from django.conf import settings
        from django.db.models import Count

        jobs = GaugeMetricFamily(
            "hub_jobs", "Job runs by queue and state.", labels=["queue", "state"]
        )
        queues: set[str] = {"default"}
        try:
            for model, queue in _run_models():
                queues.add(queue)
                counts = dict(
                    model.objects.values_list("status").annotate(n=Count("pk"))
                )
                for state in model.Status.values:
                    jobs.add_metric([queue, state], counts.get(state, 0))
        except Exception:  # noqa: BLE001 - a scrape must answer during outages
            logger.warning("metrics: job counts unavailable", exc_info=True)
        yield jobs
        depth = GaugeMetricFamily(
            "hub_queue_depth", "Messages waiting in the broker.", labels=["queue"]
        )
        try:
            for queue, count in queue_depths(
                str(settings.CELERY_BROKER_URL), sorted(queues)
            ).items():
                depth.add_metric([queue], count)
        except Exception:  # noqa: BLE001
            logger.warning("metrics: queue depth unavailable", exc_info=True)
        yield depth


def render() -> tuple[bytes, str]:
    """The exposition text of every metric, summed over processes if needed."""
    registry: CollectorRegistry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    state = CollectorRegistry()
    state.register(StateCollector())
    return generate_latest(registry) + generate_latest(state), CONTENT_TYPE_LATEST
