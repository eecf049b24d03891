from enum import StrEnum


class ReasonEnum(StrEnum):
    ABUSE = "abuse"
    ILLEGAL = "illegal"
    LICENSE = "license"
    MALWARE = "malware"
    MISLEADING = "misleading"
    OTHER = "other"
    SPAM = "spam"

    def __str__(self) -> str:
        return str(self.value)
