from enum import StrEnum


class CodeEnum(StrEnum):
    CHECKS_FAILED = "checks_failed"
    CONFLICT = "conflict"
    NOT_OPEN = "not_open"
    QUARANTINED = "quarantined"

    def __str__(self) -> str:
        return str(self.value)
