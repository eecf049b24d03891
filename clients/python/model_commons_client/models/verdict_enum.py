from enum import StrEnum


class VerdictEnum(StrEnum):
    FAILED = "failed"
    PASSED = "passed"
    QUARANTINE = "quarantine"
    WARNING = "warning"

    def __str__(self) -> str:
        return str(self.value)
