from enum import StrEnum


class PullRequestReviewSummaryStateEnum(StrEnum):
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    NONE = "none"

    def __str__(self) -> str:
        return str(self.value)
