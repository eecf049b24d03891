from enum import StrEnum


class GatedEnum(StrEnum):
    AUTO = "auto"
    MANUAL = "manual"
    OFF = "off"

    def __str__(self) -> str:
        return str(self.value)
