from enum import StrEnum


class LeaderboardsRetrieveSizeTier(StrEnum):
    L = "l"
    M = "m"
    S = "s"
    VALUE_5 = ""
    XL = "xl"
    XS = "xs"

    def __str__(self) -> str:
        return str(self.value)
