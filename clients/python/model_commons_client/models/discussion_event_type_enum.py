from enum import StrEnum


class DiscussionEventTypeEnum(StrEnum):
    COMMENT = "comment"
    COMMIT = "commit"
    MODERATION = "moderation"
    REVIEW = "review"
    STATUS_CHANGE = "status-change"
    TITLE_CHANGE = "title-change"

    def __str__(self) -> str:
        return str(self.value)
