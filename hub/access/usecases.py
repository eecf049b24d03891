"""What an actor asks about a gated repo's access requests, each use case
deciding who may (repo admins, through ``hub.catalog.usecases``)."""

from __future__ import annotations

from django.db.models import QuerySet

from hub.access import services
from hub.access.selectors import access_request_list
from hub.accounts.actors import Actor
from hub.accounts.selectors import user_get_by_username
from hub.catalog.models import ModelRepo
from hub.catalog.usecases import repo_require_admin
from hub.core.errors import ValidationError
from hub.core.parsing import int_param
from hub.licenses.models import LicenseAcceptance


def access_requests_list(
    *, actor: Actor, repo: ModelRepo, status: str | None = None
) -> QuerySet[LicenseAcceptance]:
    """The repo's access requests (admins), in one state if given."""
    repo_require_admin(actor=actor, repo=repo)
    if status is not None and status not in LicenseAcceptance.Status.values:
        raise ValidationError("Use pending, accepted or rejected.")
    return access_request_list(repo=repo, status=status)


def access_request_decide(
    *,
    actor: Actor,
    repo: ModelRepo,
    status: str,
    username: str | None = None,
    request_id: str | None = None,
) -> LicenseAcceptance:
    """Accept, reject or reset a user's request, named by user or request id.

    Admins only, checked before anything about the target is looked up.
    """
    repo_require_admin(actor=actor, repo=repo)
    if username:
        user = user_get_by_username(username=username)
    else:
        row = None
        if request_id is not None and request_id.isdigit():
            pk = int_param(request_id, name="requestId")
            row = access_request_list(repo=repo).filter(pk=pk).first()
        if row is None:
            raise ValidationError("Name the request's 'user' (or a known 'requestId').")
        user = row.user
    return services.access_request_decide(
        repo=repo, actor=actor.user, user=user, status=status
    )
