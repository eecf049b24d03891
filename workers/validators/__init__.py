"""Content validators: pure functions from bytes to verdicts.

No Django models, no Celery: a task reads a blob through a
:class:`~workers.validators.base.Source` and stores the returned
:class:`~workers.validators.base.Verdict`. Nothing here executes uploaded
content: headers are parsed, pickles are disassembled, never loaded.

File validators need nothing but the bytes. The repo-level check,
``workers.validators.repo.validate_repo``, checks license ids against the
catalog, so it needs Django set up; it is not imported here for that reason.
"""

from workers.validators.base import (
    BytesSource,
    FileSource,
    Finding,
    Source,
    Verdict,
)
from workers.validators.registry import validate_file, validators_for, version_for

__all__ = [
    "BytesSource",
    "FileSource",
    "Finding",
    "Source",
    "Verdict",
    "validate_file",
    "validators_for",
    "version_for",
]
