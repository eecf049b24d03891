from enum import StrEnum


class AuditEventActionEnum(StrEnum):
    AUTH_EMAIL_VERIFY = "auth.email_verify"
    AUTH_PASSWORD_CHANGE = "auth.password_change"
    AUTH_PASSWORD_RESET = "auth.password_reset"
    AUTH_PASSWORD_RESET_REQUEST = "auth.password_reset_request"
    AUTH_SIGN_IN = "auth.sign_in"
    AUTH_SIGN_IN_FAILED = "auth.sign_in_failed"
    AUTH_SIGN_OUT = "auth.sign_out"
    AUTH_SIGN_OUT_EVERYWHERE = "auth.sign_out_everywhere"
    AUTH_TOTP_DISABLE = "auth.totp_disable"
    AUTH_TOTP_ENABLE = "auth.totp_enable"
    AUTH_TOTP_FAILED = "auth.totp_failed"
    MODERATION_ACT = "moderation.act"
    ORG_CREATE = "org.create"
    ORG_MEMBER_REMOVE = "org.member_remove"
    ORG_MEMBER_SET = "org.member_set"
    ORG_QUOTA_SET = "org.quota_set"
    ORG_UPDATE = "org.update"
    REPO_ACCESS_DECISION = "repo.access_decision"
    REPO_CREATE = "repo.create"
    REPO_DELETE = "repo.delete"
    REPO_GATING = "repo.gating"
    REPO_RENAME = "repo.rename"
    REPO_TRANSFER = "repo.transfer"
    REPO_VISIBILITY = "repo.visibility"
    TOKEN_CREATE = "token.create"
    TOKEN_NEW_ADDRESS = "token.new_address"
    TOKEN_REVOKE = "token.revoke"
    USER_CREATE = "user.create"
    USER_EMAIL_CHANGE = "user.email_change"
    USER_PRIVILEGES = "user.privileges"
    USER_QUOTA_SET = "user.quota_set"

    def __str__(self) -> str:
        return str(self.value)
