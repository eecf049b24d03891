from enum import StrEnum


class TreeItemTypeEnum(StrEnum):
    DIRECTORY = "directory"
    FILE = "file"

    def __str__(self) -> str:
        return str(self.value)
