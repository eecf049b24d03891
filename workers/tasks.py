"""Celery tasks: thin wrappers that take ids and call one service."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from hub.catalog.facets import repo_facets_refresh
from hub.catalog.services.repos import repo_trending_recompute
from hub.storage.collect import garbage_collect

logger = logging.getLogger(__name__)


@shared_task(name="storage.collect_garbage", soft_time_limit=3300, time_limit=3600)
def collect_garbage() -> int:
    """Delete unreferenced blobs past the grace period, then the Xet files,
    xorbs and shards nothing uses any more. Safe to run any time."""
    report = garbage_collect()
    logger.info(
        "GC removed %d blobs, %d Xet files, %d xorbs, %d shards, "
        "%d abandoned upload staging dirs",
        len(report.blobs),
        len(report.xet_files),
        len(report.xorbs),
        len(report.shards),
        len(report.staging),
    )
    return len(report.blobs)


@shared_task(name="catalog.recompute_trending", soft_time_limit=1500, time_limit=1800)
def recompute_trending() -> int:
    """Set every repo's trending score from its last 7 days. Idempotent."""
    updated = repo_trending_recompute()
    logger.info("trending scores recomputed for %d repos", updated)
    return updated


@shared_task(name="catalog.refresh_facets", soft_time_limit=50, time_limit=60)
def refresh_facets(
    params: dict[str, list[str]] | None = None, names: list[str] | None = None
) -> bool:
    """Recompute the cached public counts of one catalog query (default: the
    whole catalog, every facet and the total). Without a cache shared with
    the web processes (the embedded default) there is nobody to refresh for."""
    if not settings.HUB_SHARED_CACHE:
        return False
    return repo_facets_refresh(params=params or {}, names=names)
