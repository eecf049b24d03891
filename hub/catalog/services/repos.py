"""Writes to the catalog's repos: create, settings, move, delete, and their
download statistics.
"""

from __future__ import annotations

import json
from datetime import UTC, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from hub.accounts.models import Namespace, User
from hub.audit.services import audit_record
from hub.catalog.attributes import DEFAULT_GITATTRIBUTES
from hub.catalog.cards import CardMetadata
from hub.catalog.errors import RepoExistsError
from hub.catalog.models import ModelRepo, Ref, RepoDailyStat, RepoRedirect, TreeEntry
from hub.catalog.search import repo_search_id_refresh
from hub.catalog.services.commits import DEFAULT_BRANCH, commit_create, commit_insert
from hub.catalog.services.operations import AddFile, entry_for
from hub.core.errors import ValidationError
from hub.core.names import repo_typed_id, validate_repo_name
from hub.licenses.selectors import license_validate_id
from hub.storage.services import blob_upload_bytes


def _namespace_org(namespace: Namespace) -> str:
    """The organisation whose admins see the repo's events ("" for a user's)."""
    return namespace.name if namespace.kind == Namespace.Kind.ORGANIZATION else ""


def _audit_repo(action: str, repo: ModelRepo, by: User | None, **details: Any) -> None:
    audit_record(
        action,
        actor=by,
        organization=_namespace_org(repo.namespace),
        repo=repo.typed_id,
        details=details,
    )


def _require_choice(what: str, value: str, choices: list[str]) -> None:
    if value not in choices:
        raise ValidationError(
            f"The {what} must be one of {', '.join(choices)}, not {value!r}."
        )


@transaction.atomic
def repo_create(
    *,
    namespace: Namespace,
    name: str,
    creator: User | None,
    is_private: bool = False,
    gated: str = ModelRepo.Gated.OFF,
    repo_type: str = ModelRepo.RepoType.MODEL,
) -> ModelRepo:
    """Create ``namespace/name`` with a first commit on ``main``.

    The first commit adds the default ``.gitattributes`` (as the HF Hub
    does), so the repo has a head from the start. Records ``repo.create``
    (by ``creator``). Raises ValidationError for a bad name or type and
    RepoExistsError when the id (any case) is taken by a repo of its type.
    """
    validate_repo_name(name)
    _require_choice("repo type", repo_type, ModelRepo.RepoType.values)
    _require_choice("gated", gated, ModelRepo.Gated.values)
    typed_id = repo_typed_id(repo_type, namespace.name, name)
    taken = ModelRepo.objects.filter(
        namespace=namespace, repo_type=repo_type, name__iexact=name
    )
    if taken.exists():
        raise RepoExistsError(f"Repository {typed_id} already exists.")
    try:
        with transaction.atomic():
            repo = ModelRepo.objects.create(
                namespace=namespace,
                name=name,
                repo_type=repo_type,
                is_private=is_private,
                gated=gated,
                created_by=creator,
            )
    except IntegrityError:
        raise RepoExistsError(f"Repository {typed_id} already exists.") from None
    blob = blob_upload_bytes(data=DEFAULT_GITATTRIBUTES.encode())
    entries = {
        ".gitattributes": entry_for(blob, ".gitattributes", DEFAULT_GITATTRIBUTES)
    }
    commit_insert(
        repo=repo,
        ref=None,
        ref_name=DEFAULT_BRANCH,
        parent=None,
        entries=entries,
        title="initial commit",
        description="",
        author=creator,
        card=CardMetadata(),
    )
    _audit_repo("repo.create", repo, creator, is_private=is_private, gated=str(gated))
    return repo


@transaction.atomic
def repo_create_with_license(
    *,
    namespace: Namespace,
    name: str,
    creator: User | None,
    license_id: str,
    is_private: bool = False,
    repo_type: str = ModelRepo.RepoType.MODEL,
) -> ModelRepo:
    """Create a repo whose first README.md declares ``license_id`` in its card.

    Raises what repo_create raises, and ValidationError naming the valid ids
    for an unknown license. Nothing is created on error.
    """
    license_validate_id(license_id=license_id)
    repo = repo_create(
        namespace=namespace,
        name=name,
        creator=creator,
        is_private=is_private,
        repo_type=repo_type,
    )
    readme = f"---\nlicense: {json.dumps(license_id)}\n---\n\n# {name}\n"
    blob = blob_upload_bytes(data=readme.encode())
    commit_create(
        repo=repo,
        operations=[AddFile("README.md", blob.sha256)],
        title=f"Add {repo.type_label} card",
        author=creator,
    )
    return repo


@transaction.atomic
def repo_update_settings(
    *,
    repo: ModelRepo,
    is_private: bool | None = None,
    gated: str | None = None,
    by: User | None = None,
) -> ModelRepo:
    """Change visibility and gating. Only the given fields change; each real
    change is recorded (``repo.visibility``, ``repo.gating``, ``by`` whom)."""
    if gated is not None:
        _require_choice("gated", gated, ModelRepo.Gated.values)
        if gated != repo.gated:
            _audit_repo("repo.gating", repo, by, previous=repo.gated, gated=gated)
        repo.gated = gated
    if is_private is not None:
        if is_private != repo.is_private:
            _audit_repo(
                "repo.visibility",
                repo,
                by,
                previous="private" if repo.is_private else "public",
                visibility="private" if is_private else "public",
            )
        repo.is_private = is_private
    repo.save(update_fields=["is_private", "gated", "updated_at"])
    return repo


@transaction.atomic
def repo_move(
    *, repo: ModelRepo, namespace: Namespace, name: str, by: User | None = None
) -> ModelRepo:
    """Rename a repo and/or move it to another namespace.

    The old id keeps working as a redirect (as on the HF Hub) until a new
    repo takes that id. Records ``repo.rename`` within a namespace and
    ``repo.transfer`` to another (with both organisations, so the admins
    of each see it). Raises RepoExistsError if the target id is taken.
    """
    validate_repo_name(name)
    old_full_name = repo.typed_id
    old_namespace = repo.namespace
    new_full_name = repo_typed_id(repo.repo_type, namespace.name, name)
    clash = ModelRepo.objects.filter(
        namespace=namespace, repo_type=repo.repo_type, name__iexact=name
    ).exclude(pk=repo.pk)
    if clash.exists():
        raise RepoExistsError(f"Repository {new_full_name} already exists.")
    repo.namespace = namespace
    repo.name = name
    try:
        with transaction.atomic():
            repo.save(update_fields=["namespace", "name", "updated_at"])
    except IntegrityError:  # taken by a concurrent create or move since
        raise RepoExistsError(f"Repository {new_full_name} already exists.") from None
    repo_search_id_refresh(repo=repo)
    RepoRedirect.objects.filter(old_full_name__iexact=new_full_name).delete()
    if old_full_name.lower() != new_full_name.lower():
        RepoRedirect.objects.update_or_create(
            old_full_name=old_full_name, defaults={"repo": repo}
        )
    _audit_move(repo, old_namespace, old_full_name, by)
    return repo


def _audit_move(
    repo: ModelRepo, old_namespace: Namespace, old_full_name: str, by: User | None
) -> None:
    if repo.typed_id == old_full_name:
        return
    if old_namespace.pk == repo.namespace.pk:
        _audit_repo("repo.rename", repo, by, previous=old_full_name)
        return
    _audit_repo("repo.transfer", repo, by, previous=old_full_name)
    if _namespace_org(old_namespace) and (
        _namespace_org(old_namespace) != _namespace_org(repo.namespace)
    ):
        # The organisation it left hears of it too, under the old id.
        audit_record(
            "repo.transfer",
            actor=by,
            organization=_namespace_org(old_namespace),
            repo=old_full_name,
            target=repo.typed_id,
            details={"previous": old_full_name, "to": repo.typed_id},
        )


@transaction.atomic
def repo_delete(*, repo: ModelRepo, by: User | None = None) -> None:
    """Delete a repo with its whole history (records ``repo.delete``, ``by``
    whom). Its blobs become garbage for GC."""
    _audit_repo("repo.delete", repo, by, was_private=repo.is_private)
    # Tree entries are the bulk of a repo's rows and nothing else points at
    # them: delete them in one statement. The collector then handles the
    # rest, including rows of other apps that reference commits.
    TreeEntry.objects.filter(commit__repo=repo)._raw_delete(TreeEntry.objects.db)
    Ref.objects.filter(repo=repo).delete()
    repo.delete()


@transaction.atomic
def repo_record_download(*, repo: ModelRepo) -> None:
    """Count one download (total and today's). Two UPDATEs, no read-modify-write,
    in one transaction: a process dying between them would leave the total
    off its daily sum (``hub_fsck --invariants`` checks they agree)."""
    today = timezone.now().astimezone(UTC).date()
    ModelRepo.objects.filter(pk=repo.pk).update(downloads=F("downloads") + 1)
    updated = RepoDailyStat.objects.filter(repo=repo, day=today).update(
        downloads=F("downloads") + 1
    )
    if not updated:
        try:
            with transaction.atomic():
                RepoDailyStat.objects.create(repo=repo, day=today, downloads=1)
        except IntegrityError:  # created concurrently: count on that row
            RepoDailyStat.objects.filter(repo=repo, day=today).update(
                downloads=F("downloads") + 1
            )


def repo_trending_recompute(*, days: int = 7) -> int:
    """Set every repo's trending score to its downloads + likes of the last days.

    Idempotent; run periodically by the worker. Returns the repos updated:
    only those whose score changes are written (most repos have no recent
    activity and keep 0). Rewriting every row each hour cost a new version
    of every row in every index, GIN ones included: a minute at 100k repos,
    ten at 1M, and as many dead rows for the catalog's scans (issue 17).
    """
    since = timezone.now().astimezone(UTC).date() - timedelta(days=days - 1)
    recent = (
        RepoDailyStat.objects.filter(repo=OuterRef("pk"), day__gte=since)
        .values("repo")
        .annotate(total=Sum(F("downloads") + F("likes")))
        .values("total")
    )
    score = Coalesce(Subquery(recent), Value(0)) * 1.0
    return ModelRepo.objects.exclude(trending_score=score).update(trending_score=score)
