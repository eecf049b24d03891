"""Quotas per namespace: what counts as usage, and the one rule every upload
path calls before bytes travel.

**Stored bytes of a namespace** are the sum, over its repositories, of the
distinct files any commit of the repository references (history included:
a file deleted from ``main`` is still held by the commits before). This is
the logical size a user sees on each model page ("Logical"), so the usage
page's rows add up to its total; it is what the Hugging Face Hub counts. The
hub's own savings (content shared with other repos, Xet chunk dedup) are
not credited to the namespace: a quota is a promise about what the
namespace may put in, it stays predictable, and it never reveals whether
another repo holds some content. A file the repository already references
(in any commit) costs nothing again; the same file in two repositories of
a namespace counts twice, once per repository.

**Enforced before the bytes are sent**, by ``quota_require_upload``, from:
the LFS batch call and the web upload plan (``upload_plans``), the Xet shard
(``hub.community.xet``), and the commit itself (``commit_submit``: inline
files, and the last word on everything). Preupload, which knows sizes but
not contents, refuses what is certain (``quota_require_preupload``), so the
stock client (Xet or LFS) is stopped before sending anything. A Xet write
token and a xorb upload are refused once the namespace is at or over its
storage quota (``quota_require_room``): they carry no file sizes. A new
repository (and a repository moved in) is refused over the repository count
(``quota_require_repo_slot``). Limits come from ``hub.accounts.quotas``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import F, Func, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from hub.accounts.actors import Actor, user_is_active
from hub.accounts.models import Namespace
from hub.accounts.quotas import QuotaLimits, namespace_limits
from hub.accounts.selectors import namespace_get, organization_role
from hub.catalog.errors import QuotaExceededError, RepoQuotaExceededError
from hub.catalog.models import ModelRepo, TreeEntry
from hub.core.errors import AuthenticationError, PermissionDeniedError
from hub.core.sizes import human_size_si as human_size
from hub.storage.models import Blob

_ASK = "Delete what you no longer need, or ask the hub's staff for a larger quota."


@dataclass(frozen=True)
class RepoUsage:
    name: str
    is_private: bool
    stored_bytes: int


@dataclass(frozen=True)
class NamespaceUsage:
    """A namespace's usage against its limits (None: unlimited)."""

    namespace: Namespace
    limits: QuotaLimits
    repos: list[RepoUsage]

    @property
    def stored_bytes(self) -> int:
        return sum(repo.stored_bytes for repo in self.repos)

    @property
    def repo_count(self) -> int:
        return len(self.repos)


def _repo_bytes() -> Coalesce:
    """Per repo (the outer query's row): the sizes of the distinct files its
    commits reference, as a correlated subquery (one statement for all)."""
    referenced = TreeEntry.objects.filter(
        commit__repo_id=OuterRef(OuterRef("pk"))
    ).values("blob_id")
    total = (
        Blob.objects.filter(pk__in=referenced)
        .order_by()
        .annotate(total=Func(F("size"), function="SUM"))
        .values("total")
    )
    return Coalesce(Subquery(total), Value(0))


def namespace_usage(*, namespace: Namespace) -> NamespaceUsage:
    """Every repository of ``namespace`` with its stored bytes, and the
    limits in force. Two queries, whatever the number of repositories."""
    rows = (
        ModelRepo.objects.filter(namespace=namespace)
        .annotate(stored=_repo_bytes())
        .order_by("-stored", "name")
        .values_list("name", "is_private", "stored")
    )
    return NamespaceUsage(
        namespace=namespace,
        limits=namespace_limits(namespace=namespace),
        repos=[RepoUsage(f"{namespace.name}/{n}", p, int(s)) for n, p, s in rows],
    )


def _storage_refusal(usage: NamespaceUsage, needed: int | None, actor: Actor) -> None:
    """Raise when ``needed`` more bytes do not fit (None: when the namespace
    is already at its quota). The usage and the limit are told only to
    those who may see them (``namespace_usage_can_view``): a stranger
    opening a pull request learns that it does not fit, not the figures of
    the namespace's private repositories."""
    limit = usage.limits.storage_bytes
    used = usage.stored_bytes
    if limit is None or (used < limit if needed is None else used + needed <= limit):
        return
    name = usage.namespace.name
    details: dict[str, object] = {"namespace": name, "quota": "storage"}
    if needed is not None:
        details["needed_bytes"] = needed
    wants = (
        "nothing more can be uploaded"
        if needed is None
        else f"this upload needs {human_size(needed)} more"
    )
    if not namespace_usage_can_view(actor=actor, namespace=usage.namespace):
        raise QuotaExceededError(
            f"Storage quota of {name} exceeded: {wants}. Its owners can free "
            "space or ask the hub's staff for a larger quota.",
            details=details,
        )
    details.update(used_bytes=used, limit_bytes=limit)
    raise QuotaExceededError(
        f"Storage quota of {name} exceeded: {human_size(used)} used of "
        f"{human_size(limit)}; {wants}. {_ASK}",
        details=details,
    )


def _file_refusal(namespace: Namespace, limits: QuotaLimits, name: str, size: int):
    limit = limits.file_bytes
    if limit is None or size <= limit:
        return
    raise QuotaExceededError(
        f"File size limit of {namespace.name} exceeded: {name} is "
        f"{human_size(size)}, files may be at most {human_size(limit)}. "
        "Split the file, or ask the hub's staff for a larger limit.",
        details={
            "namespace": namespace.name,
            "quota": "file",
            "file": name,
            "size": size,
            "limit_bytes": limit,
        },
    )


def _has_limits(limits: QuotaLimits) -> bool:
    return limits.storage_bytes is not None or limits.file_bytes is not None


def _lock(namespace: Namespace) -> None:
    """Take the namespace's row for the rest of the transaction: two commits
    (or two new repositories) of one namespace are checked one after the
    other, so both cannot pass on the same room."""
    list(Namespace.objects.select_for_update().filter(pk=namespace.pk).values("pk"))


def quota_require_upload(
    *, repo: ModelRepo, files: Iterable[tuple[str, int]], actor: Actor
) -> None:
    """Refuse (QuotaExceededError, 413) content for ``repo`` that its
    namespace's quotas do not allow: a file over the per-file limit, or
    files the repository does not reference yet whose sizes would take the
    namespace over its storage quota. ``files`` are (sha256, size) pairs.
    Reads only; at most three queries, none when no limit is set."""
    limits = namespace_limits(namespace=repo.namespace)
    if not _has_limits(limits):
        return
    # A negative size is refused by the plan itself; it must not offset others.
    sizes = {sha256: max(size, 0) for sha256, size in files}
    for sha256, size in sizes.items():
        _file_refusal(repo.namespace, limits, f"the file {sha256[:12]}…", size)
    if limits.storage_bytes is None or not sizes:
        return
    held = set(
        TreeEntry.objects.filter(commit__repo=repo, blob_id__in=list(sizes))
        .values_list("blob_id", flat=True)
        .distinct()
    )
    needed = sum(size for sha256, size in sizes.items() if sha256 not in held)
    if needed:
        _storage_refusal(namespace_usage(namespace=repo.namespace), needed, actor)


def quota_require_commit(
    *, repo: ModelRepo, sha256s: Sequence[str], actor: Actor
) -> None:
    """``quota_require_upload`` for the files a commit adds, their sizes
    read from the stored blobs (the commit checked they exist). Call it in
    the commit's transaction: it locks the namespace (``_lock``)."""
    limits = namespace_limits(namespace=repo.namespace)
    if not _has_limits(limits) or not sha256s:
        return
    _lock(repo.namespace)
    sizes = Blob.objects.filter(pk__in=set(sha256s)).values_list("pk", "size")
    quota_require_upload(repo=repo, files=list(sizes), actor=actor)


def quota_require_preupload(
    *, repo: ModelRepo, files: Sequence[tuple[str, int]], actor: Actor
) -> None:
    """Refuse, before any byte is sent, files (path, size) that cannot fit.

    Preupload knows sizes, not contents, so only what is certain counts: a
    file of a size the repository already holds (likely unchanged, or a
    copy) is left to the later, exact checks (the LFS batch, the Xet shard,
    the commit); every other file is new content for this repository.
    """
    limits = namespace_limits(namespace=repo.namespace)
    if not _has_limits(limits) or not files:
        return
    known = set(
        TreeEntry.objects.filter(
            commit__repo=repo, size__in={size for _, size in files}
        )
        .values_list("size", flat=True)
        .distinct()
    )
    new = [(path, size) for path, size in files if size not in known]
    for path, size in new:
        _file_refusal(repo.namespace, limits, path, size)
    needed = sum(size for _, size in new)
    if limits.storage_bytes is not None and needed:
        _storage_refusal(namespace_usage(namespace=repo.namespace), needed, actor)


def quota_require_room(*, namespace: Namespace, actor: Actor) -> None:
    """Refuse when ``namespace`` is already at or over its storage quota:
    the check for steps that carry no file sizes (a Xet write token, a
    xorb)."""
    if namespace_limits(namespace=namespace).storage_bytes is None:
        return
    _storage_refusal(namespace_usage(namespace=namespace), None, actor)


def quota_require_repo_slot(
    *, namespace: Namespace, actor: Actor, moving: ModelRepo | None = None
) -> None:
    """Refuse a new repository in ``namespace`` (or ``moving`` one in from
    another namespace) over its repository count (403), or a moved one whose
    stored bytes would take it over its storage quota (413). Call it in
    the transaction that creates (or moves) the repository: it locks the
    namespace (``_lock``)."""
    limits = namespace_limits(namespace=namespace)
    if moving is not None and moving.namespace_id == namespace.pk:
        return  # a rename: nothing more in the namespace
    if limits.repos is None and (moving is None or limits.storage_bytes is None):
        return
    _lock(namespace)
    if limits.repos is not None:
        count = ModelRepo.objects.filter(namespace=namespace).count()
        if count >= limits.repos:
            raise RepoQuotaExceededError(
                f"Repository quota of {namespace.name} reached: {count} of "
                f"{limits.repos} repositories used. {_ASK}",
                details={
                    "namespace": namespace.name,
                    "quota": "repos",
                    "used": count,
                    "limit": limits.repos,
                },
            )
    if moving is not None and limits.storage_bytes is not None:
        needed = (
            ModelRepo.objects.filter(pk=moving.pk)
            .annotate(stored=_repo_bytes())
            .values_list("stored", flat=True)
            .first()
        )
        usage = namespace_usage(namespace=namespace)
        _storage_refusal(usage, int(needed or 0), actor)


def namespace_usage_can_view(*, actor: Actor, namespace: Namespace) -> bool:
    """The namespace's own user, its organisation's members (any role) and
    staff; never through a token limited to some repositories (the usage
    names every repository, private ones included)."""
    user = actor.user
    if not user_is_active(user) or actor.is_repo_limited:
        return False
    if user.is_staff:
        return True
    if namespace.kind == Namespace.Kind.USER:
        return bool(namespace.user_id == user.pk)
    organization = namespace.organization
    return organization is not None and (
        organization_role(organization=organization, user=user) is not None
    )


def namespace_usage_open(*, actor: Actor, name: str) -> NamespaceUsage:
    """The usage page's and ``/api/v1``'s answer for namespace ``name``.

    NotFoundError for an unknown name, AuthenticationError for anonymous
    callers, PermissionDeniedError for anyone but the namespace's user, its
    organisation's members and staff.
    """
    namespace = namespace_get(name=name)
    if not actor.is_authenticated:
        raise AuthenticationError("Sign in (or send a token) to see quota usage.")
    if not namespace_usage_can_view(actor=actor, namespace=namespace):
        raise PermissionDeniedError(
            f"Only {namespace.name}"
            + (
                "'s members"
                if namespace.kind == Namespace.Kind.ORGANIZATION
                else " themselves"
            )
            + " and the hub's staff can see its quota usage"
            + (
                " (not with a token limited to repositories)."
                if actor.is_repo_limited
                else "."
            )
        )
    return namespace_usage(namespace=namespace)
