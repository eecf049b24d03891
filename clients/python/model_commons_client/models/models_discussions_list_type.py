from enum import StrEnum


class ModelsDiscussionsListType(StrEnum):
    ALL = "all"
    DISCUSSION = "discussion"
    PULL_REQUEST = "pull_request"

    def __str__(self) -> str:
        return str(self.value)
