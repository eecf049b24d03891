"""Signal receivers: every new commit gets its validation runs."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from hub.catalog.signals import commit_created
from hub.jobs.services import validation_runs_create


@receiver(commit_created, dispatch_uid="jobs.validation_runs_on_commit")
def _create_validation_runs(sender: Any, commit: Any, parent: Any, **_: Any) -> None:
    validation_runs_create(commit=commit, parent=parent)
