from enum import StrEnum


class ReviewCreateStateEnum(StrEnum):
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    COMMENTED = "commented"

    def __str__(self) -> str:
        return str(self.value)
