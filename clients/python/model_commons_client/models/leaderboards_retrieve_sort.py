from enum import StrEnum


class LeaderboardsRetrieveSort(StrEnum):
    EVALUATED = "evaluated"
    NAME = "name"
    PARAMETERS = "parameters"
    SCORE = "score"

    def __str__(self) -> str:
        return str(self.value)
