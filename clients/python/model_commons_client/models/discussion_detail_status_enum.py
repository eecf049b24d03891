from enum import StrEnum


class DiscussionDetailStatusEnum(StrEnum):
    CLOSED = "closed"
    DRAFT = "draft"
    MERGED = "merged"
    OPEN = "open"

    def __str__(self) -> str:
        return str(self.value)
