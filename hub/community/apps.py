from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "hub.community"
    label = "community"
    verbose_name = "Community"

    def ready(self) -> None:
        from hub.community.invariants import COMMUNITY_COUNTERS
        from hub.storage.fsck import invariant_check_register

        invariant_check_register(COMMUNITY_COUNTERS)  # hub_fsck --invariants
