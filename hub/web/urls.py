"""Server-rendered pages. Included last: ``/{namespace}/{name}`` is a catch-all.

Single-segment pages (``/new``, ``/login``, ``/settings/...``) use names
that ``hub.core.names.RESERVED_NAMESPACES`` keeps from users and
organizations, so ``/{namespace}`` can never shadow them or be shadowed.
"""

from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, path

from hub.web.views import accounts, files, history, home, repo, search, upload

_REPO = "<str:namespace>/<str:name>"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", home.home, name="home"),
    path("models", search.models, name="models"),
    path("new", upload.repo_new, name="repo-new"),
    path("signup", accounts.signup, name="signup"),
    path(
        "login",
        auth_views.LoginView.as_view(
            template_name="web/accounts/login.html",
            redirect_authenticated_user=True,
            next_page="home",
        ),
        name="login",
    ),
    path("logout", auth_views.LogoutView.as_view(next_page="home"), name="logout"),
    path("settings/tokens", accounts.tokens, name="tokens"),
    path(
        "settings/tokens/<int:pk>/revoke",
        accounts.token_revoke_view,
        name="token-revoke",
    ),
    path("organizations/new", accounts.organization_new, name="organization-new"),
    path(
        "organizations/<str:name>/members",
        accounts.organization_members,
        name="organization-members",
    ),
    path("<str:namespace>", accounts.namespace_page, name="namespace"),
    path(_REPO, repo.model_page, name="model"),
    path(f"{_REPO}/like", repo.like, name="model-like"),
    path(f"{_REPO}/checks/<str:oid>", repo.checks_json, name="model-checks"),
    path(f"{_REPO}/tree", files.tree, name="tree-root"),
    path(f"{_REPO}/tree/<path:rest>", files.tree, name="tree"),
    path(f"{_REPO}/blob/<path:rest>", files.blob, name="blob"),
    path(f"{_REPO}/commits/<path:rest>", history.commits, name="commits"),
    path(f"{_REPO}/commit/<str:oid>", history.commit_detail, name="commit"),
    path(f"{_REPO}/upload", upload.upload_page, name="upload"),
    path(f"{_REPO}/upload/plan", upload.upload_plan_view, name="upload-plan"),
    path(f"{_REPO}/upload/commit", upload.upload_commit_view, name="upload-commit"),
]
