from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "hub.reviews"
    label = "reviews"
    verbose_name = "Reviews and ratings"

    def ready(self) -> None:
        from hub.reviews.invariants import REVIEW_COUNTERS
        from hub.storage.fsck import invariant_check_register

        invariant_check_register(REVIEW_COUNTERS)  # hub_fsck --invariants
