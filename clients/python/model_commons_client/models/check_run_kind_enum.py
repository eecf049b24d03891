from enum import StrEnum


class CheckRunKindEnum(StrEnum):
    FILE = "file"
    REPO = "repo"

    def __str__(self) -> str:
        return str(self.value)
