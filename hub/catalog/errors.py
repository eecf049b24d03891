"""Catalog errors with stable codes (the HF face maps them to X-Error-Code)."""

from hub.core.errors import (
    ApplicationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)


class RepoNotFoundError(NotFoundError):
    code = "repo_not_found"


class RevisionNotFoundError(NotFoundError):
    code = "revision_not_found"


class EntryNotFoundError(NotFoundError):
    code = "entry_not_found"


class StaleParentError(ConflictError):
    code = "stale_parent"


class RepoExistsError(ConflictError):
    code = "repo_exists"


class RefExistsError(ConflictError):
    code = "ref_exists"


class MissingBlobError(ValidationError):
    code = "missing_blob"


class QuarantinedBlobError(ValidationError):
    code = "quarantined_blob"
    http_status = 422


class InvalidCardError(ValidationError):
    code = "invalid_card"


class GatedContentError(PermissionDeniedError):
    """The repo is gated and the caller has not been granted access."""

    code = "gated_repo"


class QuarantinedContentError(PermissionDeniedError):
    """The file failed its safety checks: served to maintainers only."""

    code = "quarantined"


class ChecksPendingError(PermissionDeniedError):
    """The file may carry code and its safety checks have not passed yet."""

    code = "checks_pending"
    retry_after = 5


class RepoDisabledError(PermissionDeniedError):
    """A moderator disabled the repo: nothing of it is served.

    The message is the exact text huggingface_hub turns into
    ``DisabledRepoError``; the moderator's reason travels in ``details``.
    """

    code = "repo_disabled"
    http_status = 403


class QuotaExceededError(ApplicationError):
    """An upload its namespace's storage or file size quota does not allow:
    413, whose message the HF client shows as is."""

    code = "quota_exceeded"
    http_status = 413


class RepoQuotaExceededError(PermissionDeniedError):
    """A new repository over its namespace's repository count."""

    code = "repo_quota_exceeded"
