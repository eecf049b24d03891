from enum import StrEnum


class DatasetsListLicenseTermItem(StrEnum):
    COMMERCIAL = "commercial"
    DERIVATIVES = "derivatives"
    NO_ACCEPTANCE = "no_acceptance"
    NO_ATTRIBUTION = "no_attribution"
    NO_SHARE_ALIKE = "no_share_alike"
    NO_USE_RESTRICTIONS = "no_use_restrictions"

    def __str__(self) -> str:
        return str(self.value)
