from enum import StrEnum


class ChecksSummaryStateEnum(StrEnum):
    ERROR = "error"
    FAILURE = "failure"
    NONE = "none"
    PENDING = "pending"
    SUCCESS = "success"

    def __str__(self) -> str:
        return str(self.value)
