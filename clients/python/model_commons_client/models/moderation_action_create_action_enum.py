from enum import StrEnum


class ModerationActionCreateActionEnum(StrEnum):
    BAN_USER = "ban_user"
    DISABLE_REPO = "disable_repo"
    ENABLE_REPO = "enable_repo"
    HIDE_COMMENT = "hide_comment"
    HIDE_REVIEW = "hide_review"
    LOCK_DISCUSSION = "lock_discussion"
    UNBAN_USER = "unban_user"
    UNHIDE_COMMENT = "unhide_comment"
    UNHIDE_REVIEW = "unhide_review"
    UNLOCK_DISCUSSION = "unlock_discussion"

    def __str__(self) -> str:
        return str(self.value)
