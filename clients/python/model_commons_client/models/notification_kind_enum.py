from enum import StrEnum


class NotificationKindEnum(StrEnum):
    ACCESS_REQUEST = "access_request"
    COMMENT = "comment"
    DISCUSSION = "discussion"
    MERGE = "merge"
    MODEL_REVIEW = "model_review"
    MODERATION = "moderation"
    PULL_REQUEST = "pull_request"
    REVIEW = "review"

    def __str__(self) -> str:
        return str(self.value)
