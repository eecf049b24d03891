"""Where hub-received parts wait for their completion, and their clean-up.

Multipart parts sent through the hub are files under
``<HUB_BLOB_ROOT>/tmp/uploads/<upload id>/`` (any web process sharing the
blob root can serve any part). Uploads sent straight to the store (S3)
stage there; the store collects its own expired staging
(``BlobStore.collect_staging``).
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

from hub.core.errors import ValidationError
from hub.storage.services import blob_store
from hub.storage.store import StagedObject
from hub.storage.uploads.grants import UPLOAD_ID_RE

logger = logging.getLogger(__name__)

# Extra idle time granted to a staging directory past the URL lifetime
# before garbage collection may remove it (a part PUT or a completion
# started just before the URLs expired may still be running).
STAGING_IDLE_MARGIN_SECONDS = 3600


def staging_root() -> Path:
    return Path(settings.HUB_BLOB_ROOT) / "tmp" / "uploads"


def staging_dir(upload_id: str) -> Path:
    if not UPLOAD_ID_RE.match(upload_id):
        raise ValidationError("Malformed upload id.")
    return staging_root() / upload_id


def part_files(folder: Path, part_number: int) -> list[Path]:
    prefix = f"{part_number}."
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return []
    return [folder / n for n in names if n.startswith(prefix)]


def _last_activity(folder: Path) -> float:
    latest = folder.stat().st_mtime
    with os.scandir(folder) as entries:
        for entry in entries:
            try:
                latest = max(latest, entry.stat(follow_symlinks=False).st_mtime)
            except FileNotFoundError:
                continue
    return latest


def upload_staging_list() -> list[StagedObject]:
    """Multipart uploads received through the hub and not completed: their
    upload id, bytes staged and last activity (``hub_fsck --invariants``)."""
    found = []
    try:
        entries = list(os.scandir(staging_root()))
    except FileNotFoundError:
        return []
    for entry in entries:
        path = Path(entry.path)
        try:
            if entry.is_dir(follow_symlinks=False):
                size = sum(p.stat().st_size for p in path.iterdir())
                latest = _last_activity(path)
            else:
                stat = entry.stat(follow_symlinks=False)
                size, latest = stat.st_size, stat.st_mtime
        except FileNotFoundError:  # completed or collected meanwhile
            continue
        when = datetime.fromtimestamp(latest, tz=UTC)
        found.append(StagedObject(key=entry.name, size=size, last_modified=when))
    return found


def upload_staging_remove(upload_id: str) -> None:
    """Remove one entry ``upload_staging_list`` listed, with its parts."""
    if Path(upload_id).name != upload_id or upload_id in ("", ".", ".."):
        raise ValidationError("Malformed upload id.")
    path = staging_root() / upload_id
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def upload_staging_collect(*, older_than_seconds: int | None = None) -> list[str]:
    """Remove multipart staging directories idle for ``older_than_seconds``.

    Idle = no part written and no completion reading it for that long. The
    default, the URL lifetime plus STAGING_IDLE_MARGIN_SECONDS, only removes
    uploads no signed URL can reach any more. The store's own staging idle
    as long goes too (``BlobStore.collect_staging``, ``staged_uploads``).
    Returns the upload ids (and staging keys) removed. Safe to run at any
    time, concurrently with uploads.
    """
    if older_than_seconds is None:
        older_than_seconds = (
            int(settings.HUB_LFS_UPLOAD_URL_TTL_SECONDS) + STAGING_IDLE_MARGIN_SECONDS
        )
    cutoff = time.time() - older_than_seconds
    root = staging_root()
    removed: list[str] = []
    try:
        entries = list(os.scandir(root))
    except FileNotFoundError:
        entries = []
    for entry in entries:
        path = Path(entry.path)
        try:
            if entry.is_dir(follow_symlinks=False):
                if _last_activity(path) >= cutoff:
                    continue
                shutil.rmtree(path, ignore_errors=True)
            elif entry.stat(follow_symlinks=False).st_mtime < cutoff:
                path.unlink(missing_ok=True)
            else:
                continue
        except FileNotFoundError:
            continue
        removed.append(entry.name)
    # The store's own staging (S3 keys carry their URLs' expiry: created
    # before the cut-off means expired before cut-off + URL lifetime).
    store = blob_store()
    removed += store.collect_staging(
        expired_before=cutoff + int(settings.HUB_LFS_UPLOAD_URL_TTL_SECONDS)
    )
    # What else the store stages, idle as long: a local write's staging
    # file left by a process that died mid-write (a write removes its own).
    idle_since = datetime.fromtimestamp(cutoff, tz=UTC)
    for staged in store.staged_uploads():
        if staged.last_modified < idle_since:
            store.staged_remove(staged.key)
            removed.append(staged.key)
    if removed:
        logger.info("removed %d abandoned LFS upload staging dirs", len(removed))
    return removed
