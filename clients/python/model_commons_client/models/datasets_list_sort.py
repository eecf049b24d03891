from enum import StrEnum


class DatasetsListSort(StrEnum):
    CREATED = "created"
    DOWNLOADS = "downloads"
    LIKES = "likes"
    RATING = "rating"
    TRENDING = "trending"
    UPDATED = "updated"

    def __str__(self) -> str:
        return str(self.value)
