"""The actions the audit log records, each with what it means.

One list, so the web filter, ``/api/v1``'s schema and the services agree;
``audit_record`` refuses an action not named here.
"""

from __future__ import annotations

ACTIONS: dict[str, str] = {
    # Signing in (every backend: local password, OpenID Connect, LDAP).
    "auth.sign_in": "Signed in",
    "auth.sign_in_failed": "Failed to sign in",
    "auth.sign_out": "Signed out",
    "auth.sign_out_everywhere": "Signed out of every session",
    "auth.password_change": "Changed their password",
    "auth.password_reset_request": "Asked for a password reset",
    "auth.password_reset": "Reset their password by e-mail",
    "auth.email_verify": "Verified their e-mail address",
    "auth.totp_enable": "Turned on two-factor authentication",
    "auth.totp_disable": "Turned off two-factor authentication",
    "auth.totp_failed": "Gave a wrong two-factor code",
    # Accounts and tokens.
    "user.create": "Account created",
    "user.privileges": "Staff or superuser status changed",
    "user.email_change": "Changed their e-mail address",
    "token.create": "Token created",
    "token.revoke": "Token revoked",
    "token.new_address": "Token used from a new address",
    # Organisations.
    "org.create": "Organisation created",
    "org.update": "Organisation profile changed",
    "org.member_set": "Member added or role changed",
    "org.member_remove": "Member removed",
    "org.quota_set": "Quota changed",
    # Repositories.
    "repo.create": "Repository created",
    "repo.visibility": "Visibility changed",
    "repo.gating": "Gating changed",
    "repo.access_decision": "Access request decided",
    "repo.rename": "Repository renamed",
    "repo.transfer": "Repository transferred",
    "repo.delete": "Repository deleted",
    # Staff.
    "moderation.act": "Moderation action",
    "user.quota_set": "Quota changed",
}
