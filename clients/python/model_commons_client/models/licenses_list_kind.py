from enum import StrEnum


class LicensesListKind(StrEnum):
    MODEL = "model"
    SPDX = "spdx"
    SPECIAL = "special"

    def __str__(self) -> str:
        return str(self.value)
