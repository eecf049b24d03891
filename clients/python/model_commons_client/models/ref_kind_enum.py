from enum import StrEnum


class RefKindEnum(StrEnum):
    BRANCH = "branch"
    PR = "pr"
    TAG = "tag"

    def __str__(self) -> str:
        return str(self.value)
