"""What the resource views share: the visible repo, and who may write.

Every view under ``/models/{namespace}/{name}/`` loads the repo through
``hub.catalog.visibility.repo_get_visible``: a private repo the caller may not
see answers 404, exactly like a missing one. Who may write is
decided by the use-case services (``hub.catalog.usecases``), given the
view's ``actor``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from hub.accounts.actors import Actor
from hub.accounts.models import ApiToken, User
from hub.catalog import usecases
from hub.catalog.models import ModelRepo

REVISION_HELP = (
    "A branch, tag, refs/pr/N or 40-hex commit id (default main). A query "
    "parameter, so that names containing '/' stay unambiguous."
)
REVISION_PARAMETER = OpenApiParameter(
    "revision", str, description=REVISION_HELP, default="main"
)


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Documents ``Authorization: Bearer <token>`` (api.v1.auth) in the schema."""

    target_class = "api.v1.auth.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token (mc_...). Read tokens only read; a "
            "token limited to some repos reaches private repos and writes "
            "only there.",
        }


def caller_token(request: Request) -> ApiToken | None:
    """The ApiToken the request authenticated with (None for a session)."""
    auth = request.auth
    return auth if isinstance(auth, ApiToken) else None


def caller_user(request: Request) -> User:
    """The signed-in user; NotAuthenticated (401) for anonymous callers."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise exceptions.NotAuthenticated()
    return user


class TokenScopeAllowsWrite(BasePermission):
    """A read-scoped token never writes, whatever its user may do."""

    message = "This token is read-only: use a token with write scope."

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        token = caller_token(request)
        return token is None or token.can_write


class TokenNotRepoRestricted(BasePermission):
    """Account-level actions need a session or a token not limited to repos.

    A token limited to named repos acts on those repos only; letting it create
    tokens or change organizations would let it escape that limit.
    """

    message = (
        "This token is limited to some repositories: use a token without a "
        "repository limit, or a signed-in session."
    )

    def has_permission(self, request: Request, view: Any) -> bool:
        token = caller_token(request)
        return token is None or not token.repo_ids


class CleanPathMixin:
    """404 for a URL argument no name can hold: one with a NUL character.

    PostgreSQL text cannot contain NUL, so such a value would otherwise fail
    inside the query (a 500) instead of simply matching nothing.
    """

    kwargs: dict[str, Any]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        if any("\x00" in str(value) for value in self.kwargs.values()):
            raise exceptions.NotFound()
        super().initial(request, *args, **kwargs)  # type: ignore[misc]


class RepoMixin(CleanPathMixin):
    """Views nested under a repo: ``namespace`` and ``name`` URL kwargs."""

    # Any: the view classes this mixes into declare it (as Request or as
    # Django's HttpRequest); a narrower type here would clash with one.
    request: Any
    # The type of repo the URL names; the /datasets/... routes set "dataset"
    # (``as_view(repo_type=...)``).
    repo_type = "model"

    def get_repo(self) -> ModelRepo:
        """The repo if the caller may see it; RepoNotFoundError (404) otherwise."""
        repo = getattr(self, "_repo", None)
        if repo is None:
            repo = usecases.repo_open(
                actor=self.actor,
                namespace=self.kwargs["namespace"],
                name=self.kwargs["name"],
                repo_type=self.repo_type,
            )
            self._repo = repo
        return repo

    @property
    def actor(self) -> Actor:
        """Who is acting, for the use-case services that decide permissions."""
        return Actor.of(self.request.user, caller_token(self.request))

    def require_write(self, repo: ModelRepo) -> None:
        usecases.repo_require_write(actor=self.actor, repo=repo)

    def require_admin(self, repo: ModelRepo) -> None:
        usecases.repo_require_admin(actor=self.actor, repo=repo)
