from enum import StrEnum


class EvalRunStatusEnum(StrEnum):
    FAILED = "failed"
    FINISHED = "finished"
    QUEUED = "queued"
    RUNNING = "running"
    SKIPPED = "skipped"
    TIMEOUT = "timeout"

    def __str__(self) -> str:
        return str(self.value)
