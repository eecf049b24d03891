from enum import StrEnum


class LicenseKindEnum(StrEnum):
    MODEL = "model"
    SPDX = "spdx"
    SPECIAL = "special"

    def __str__(self) -> str:
        return str(self.value)
