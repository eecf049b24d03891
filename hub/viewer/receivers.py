"""Signal receivers: every new commit of a dataset gets its previews."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from hub.catalog.signals import commit_created
from hub.viewer.services import blob_previews_request


@receiver(commit_created, dispatch_uid="viewer.previews_on_commit")
def _request_previews(sender: Any, commit: Any, parent: Any, **_: Any) -> None:
    blob_previews_request(commit=commit)
