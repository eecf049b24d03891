"""Server-rendered pages. Included last: ``/{namespace}/{name}`` is a catch-all.

Single-segment pages (``/new``, ``/login``, ``/settings/...``) use names
that ``hub.core.names.RESERVED_NAMESPACES`` keeps from users and
organizations, so ``/{namespace}`` can never shadow them or be shadowed.
"""

from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, path

from hub.catalog.models import ModelRepo
from hub.web.views import (
    access,
    accounts,
    audit,
    contribute,
    discussions,
    files,
    history,
    home,
    leaderboard,
    moderation,
    notifications,
    organizations,
    repo,
    repo_refs,
    repo_settings,
    reviews,
    search,
    security,
    sso,
    two_factor,
    upload,
    usage,
)
from hub.web.views.common import typed_route


def repo_routes(
    prefix: str, repo_type: str = ModelRepo.RepoType.MODEL
) -> list[URLPattern]:
    """Every page of a repo, under ``prefix`` (the type's URL prefix, as in
    ``ModelRepo.typed_id``). The views are shared; the routes of datasets and
    spaces tell them their type (``typed_route``) and are named
    ``{type}-{name}``."""
    _REPO = f"{prefix}<str:namespace>/<str:name>"
    patterns = [*_file_routes(_REPO), *_community_routes(_REPO)]
    if repo_type == ModelRepo.RepoType.MODEL:
        return patterns
    if repo_type == ModelRepo.RepoType.DATASET:
        patterns.append(
            path(f"{_REPO}/viewer/<str:oid>", repo.viewer_json, name="viewer")
        )
    return [
        path(
            str(p.pattern),
            typed_route(p.callback, repo_type),
            name=f"{repo_type}-{p.name}",
        )
        for p in patterns
        # Evaluations run models only.
        if not str(p.name).startswith("model-eval")
    ]


def _file_routes(_REPO: str) -> list[URLPattern]:
    """The repo page, its live panels, files, history and uploads."""
    return [
        path(_REPO, repo.model_page, name="model"),
        path(f"{_REPO}/like", repo.like, name="model-like"),
        path(f"{_REPO}/checks/<str:oid>", repo.checks_json, name="model-checks"),
        path(f"{_REPO}/evals/rerun", repo.eval_rerun, name="model-eval-rerun"),
        path(f"{_REPO}/evals/<str:oid>", repo.evals_json, name="model-evals"),
        path(f"{_REPO}/tree", files.tree, name="tree-root"),
        path(f"{_REPO}/tree/<path:rest>", files.tree, name="tree"),
        path(f"{_REPO}/blob/<path:rest>", files.blob, name="blob"),
        path(f"{_REPO}/commits/<path:rest>", history.commits, name="commits"),
        path(f"{_REPO}/commit/<str:oid>", history.commit_detail, name="commit"),
        path(f"{_REPO}/upload", upload.upload_page, name="upload"),
        path(f"{_REPO}/upload/plan", upload.upload_plan_view, name="upload-plan"),
        path(f"{_REPO}/upload/commit", upload.upload_commit_view, name="upload-commit"),
    ]


def _community_routes(_REPO: str) -> list[URLPattern]:
    """Discussions, edits, reviews, access, branches and settings."""
    return [
        path(
            f"{_REPO}/discussions",
            discussions.discussion_list,
            name="discussions",
        ),
        path(
            f"{_REPO}/discussions/new",
            discussions.discussion_new,
            name="discussion-new",
        ),
        path(
            f"{_REPO}/discussions/<int:num>",
            discussions.discussion_detail,
            name="discussion",
        ),
        path(
            f"{_REPO}/discussions/<int:num>/comments/<int:event_id>/<str:action>",
            discussions.discussion_action,
            name="discussion-comment-action",
        ),
        path(
            f"{_REPO}/discussions/<int:num>/<str:action>",
            discussions.discussion_action,
            name="discussion-action",
        ),
        path(f"{_REPO}/edit/<path:rest>", contribute.edit_file, name="edit-file"),
        path(
            f"{_REPO}/delete/<path:rest>", contribute.delete_files, name="delete-files"
        ),
        *_review_and_admin_routes(_REPO),
    ]


def _review_and_admin_routes(_REPO: str) -> list[URLPattern]:
    """Reviews, access requests, branches and settings."""
    return [
        path(f"{_REPO}/reviews", reviews.review_submit_view, name="review-submit"),
        path(
            f"{_REPO}/reviews/<int:review_id>/helpful",
            reviews.review_helpful_view,
            name="review-helpful",
        ),
        path(
            f"{_REPO}/reviews/<int:review_id>/reply",
            reviews.review_reply_view,
            name="review-reply",
        ),
        path(
            f"{_REPO}/reviews/<int:review_id>/history",
            reviews.review_history_view,
            name="review-history",
        ),
        path(f"{_REPO}/access", access.access_request_view, name="access-request"),
        path(
            f"{_REPO}/access-requests",
            access.access_requests_page,
            name="access-requests",
        ),
        path(f"{_REPO}/branches", repo_refs.refs_page, name="repo-refs"),
        path(
            f"{_REPO}/branches/<str:action>",
            repo_refs.refs_action,
            name="repo-refs-action",
        ),
        path(f"{_REPO}/settings", repo_settings.settings_page, name="repo-settings"),
        path(
            f"{_REPO}/settings/<str:action>",
            repo_settings.settings_action,
            name="repo-settings-action",
        ),
    ]


urlpatterns: list[URLPattern | URLResolver] = [
    path("", home.home, name="home"),
    path("models", search.models, name="models"),
    path("datasets", search.datasets, name="datasets"),
    path("new", upload.repo_new, name="repo-new"),
    path("signup", accounts.signup, name="signup"),
    path("login", accounts.SignInView.as_view(), name="login"),
    path("login/sso", sso.OidcSignInView.as_view(), name="oidc_authentication_init"),
    path(
        "login/sso/callback",
        sso.OidcCallbackView.as_view(),
        name="oidc_authentication_callback",
    ),
    path("login/code", two_factor.login_code, name="login-code"),
    path("login/forgot", security.password_forgot, name="password-forgot"),
    path(
        "login/reset/<uidb64>/<token>",
        security.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("logout", auth_views.LogoutView.as_view(next_page="home"), name="logout"),
    path("settings/account", security.account, name="settings-account"),
    path(
        "settings/email/verify/<str:token>",
        security.email_verify_view,
        name="email-verify",
    ),
    path("settings/password", security.password, name="settings-password"),
    path("settings/two-factor", two_factor.two_factor, name="two-factor"),
    path("settings/sessions", security.sessions, name="settings-sessions"),
    path(
        "settings/sessions/<int:session_id>/revoke",
        security.session_revoke_view,
        name="settings-session-revoke",
    ),
    path(
        "settings/sessions/revoke-others",
        security.sessions_revoke_others_view,
        name="settings-sessions-revoke-others",
    ),
    path("settings/tokens", accounts.tokens, name="tokens"),
    path(
        "settings/tokens/<int:pk>/revoke",
        accounts.token_revoke_view,
        name="token-revoke",
    ),
    path("settings/usage", usage.settings_usage, name="settings-usage"),
    path("settings/audit", audit.audit_log, name="audit-log"),
    path("settings/audit/export", audit.audit_log_export, name="audit-log-export"),
    path("organizations/new", organizations.organization_new, name="organization-new"),
    path(
        "organizations/<str:name>/usage",
        usage.organization_usage,
        name="organization-usage",
    ),
    path(
        "organizations/<str:name>/audit",
        audit.organization_audit_log,
        name="organization-audit-log",
    ),
    path(
        "organizations/<str:name>/audit/export",
        audit.organization_audit_log_export,
        name="organization-audit-log-export",
    ),
    path(
        "organizations/<str:name>/members",
        organizations.organization_members,
        name="organization-members",
    ),
    path(
        "organizations/<str:name>/settings",
        organizations.organization_settings,
        name="organization-settings",
    ),
    path("notifications", notifications.notifications, name="notifications"),
    path(
        "notifications/read",
        notifications.notifications_read,
        name="notifications-read",
    ),
    path("moderation", moderation.queue_page, name="moderation"),
    path("moderation/report", moderation.report_page, name="moderation-report"),
    path("moderation/act", moderation.act_view, name="moderation-act"),
    path("moderation/log", moderation.log_page, name="moderation-log"),
    path(
        "moderation/reports/<int:report_id>/decide",
        moderation.decide_view,
        name="moderation-decide",
    ),
    path("leaderboard", leaderboard.leaderboard_index, name="leaderboard"),
    path("leaderboard/queue", leaderboard.eval_queue, name="eval-queue"),
    path(
        "leaderboard/<str:evaluator>",
        leaderboard.leaderboard_board,
        name="leaderboard-board",
    ),
    path("<str:namespace>", accounts.namespace_page, name="namespace"),
    # Typed first: ``/datasets/ns/name/like`` is no model's page.
    *repo_routes("datasets/", ModelRepo.RepoType.DATASET),
    *repo_routes("spaces/", ModelRepo.RepoType.SPACE),
    *repo_routes(""),
]
