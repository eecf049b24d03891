from enum import StrEnum


class CheckRunStatusEnum(StrEnum):
    ERRORED = "errored"
    FAILED = "failed"
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"

    def __str__(self) -> str:
        return str(self.value)
