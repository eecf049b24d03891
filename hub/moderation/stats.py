"""The hub in numbers, for its operators (``manage.py hub_stats``).

Counts from every app's tables, each one aggregate query; the storage
figures reuse ``hub.catalog.storage_usage`` (logical bytes the commits
name vs the bytes held, Xet deduplication included), computed fresh. It
lives here, in the highest app it reads, because ``hub.moderation`` (open
reports) sits above all the others it counts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from hub.accounts.models import Organization, User
from hub.catalog.models import Commit, ModelRepo
from hub.catalog.storage_usage import hub_storage_usage
from hub.jobs.models import EvalRun, ValidationRun
from hub.moderation.models import Report
from hub.storage.models import Blob, XetShard, XetXorb


def _by_status(runs: QuerySet[Any], statuses: list[str]) -> dict[str, int]:
    counts = dict(runs.values_list("status").annotate(n=Count("pk")).order_by())
    return {status: int(counts.get(status, 0)) for status in statuses}


def _repos() -> dict[str, int]:
    counts = ModelRepo.objects.aggregate(
        total=Count("pk"),
        public=Count("pk", filter=Q(is_private=False)),
        private=Count("pk", filter=Q(is_private=True)),
        gated=Count("pk", filter=~Q(gated=ModelRepo.Gated.OFF)),
        disabled=Count("pk", filter=Q(disabled_at__isnull=False)),
    )
    return {key: int(value or 0) for key, value in counts.items()}


def _blobs() -> dict[str, int]:
    counts = Blob.objects.aggregate(
        count=Count("pk"),
        stored=Count("pk", filter=Q(in_store=True)),
        xet_only=Count("pk", filter=Q(in_store=False)),
        quarantined=Count("pk", filter=Q(is_quarantined=True)),
        unchecked=Count("pk", filter=Q(checked_at__isnull=True)),
        logical_bytes=Sum("size"),
        in_store_bytes=Sum("size", filter=Q(in_store=True)),
    )
    xorbs = XetXorb.objects.aggregate(count=Count("pk"), size=Sum("size"))
    result = {key: int(value or 0) for key, value in counts.items()}
    result["xorbs"] = int(xorbs["count"] or 0)
    result["xorb_bytes"] = int(xorbs["size"] or 0)
    result["shards"] = XetShard.objects.count()
    result["stored_bytes"] = result["in_store_bytes"] + result["xorb_bytes"]
    return result


def _users() -> dict[str, int]:
    users = User.objects.aggregate(
        total=Count("pk"),
        active=Count("pk", filter=Q(is_active=True)),
        staff=Count("pk", filter=Q(is_staff=True)),
    )
    return {key: int(value or 0) for key, value in users.items()}


def _storage() -> dict[str, int]:
    usage = hub_storage_usage(fresh=True)
    return {
        "logical_bytes": usage.logical_bytes,
        "stored_bytes": usage.stored_bytes,
        "dedup_percent": usage.dedup_percent,
    }


def _reports() -> dict[str, int]:
    return {
        "open": Report.objects.filter(status=Report.Status.OPEN).count(),
        "total": Report.objects.count(),
    }


# Each section of the answer and how it is counted, in the order shown.
SECTIONS: list[tuple[str, Callable[[], Any]]] = [
    ("users", _users),
    ("organizations", lambda: Organization.objects.count()),
    ("repos", _repos),
    ("commits", lambda: Commit.objects.count()),
    (
        "downloads",
        lambda: int(ModelRepo.objects.aggregate(n=Sum("downloads"))["n"] or 0),
    ),
    ("blobs", _blobs),
    ("storage", _storage),
    (
        "validation_runs",
        lambda: _by_status(
            ValidationRun.objects.all(), list(ValidationRun.Status.values)
        ),
    ),
    (
        "eval_runs",
        lambda: _by_status(EvalRun.objects.all(), list(EvalRun.Status.values)),
    ),
    ("reports", _reports),
]


def _quiet(section: str) -> None:
    pass


def hub_stats(*, progress: Callable[[str], None] = _quiet) -> dict[str, Any]:
    """Users, organizations, repos (public, private, gated, disabled),
    commits, downloads, blobs and storage (logical vs stored bytes, Xet
    dedup), validation and eval runs by state, reports: a JSON-ready dict.
    Reads only; ``progress`` is told each section once counted."""
    stats: dict[str, Any] = {}
    for name, count in SECTIONS:
        stats[name] = count()
        progress(name)
    return stats
