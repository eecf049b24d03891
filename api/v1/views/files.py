"""Files, history, diffs and check runs of a repo at a revision.

Revisions travel as the ``revision`` query parameter (default ``main``):
branch and tag names may contain '/', which would make a path segment
ambiguous next to a file path.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from api.v1.etag import conditional_response
from api.v1.pagination import StandardPagination
from api.v1.serializers.files import (
    CommitDetailSerializer,
    CommitListItemSerializer,
    CompareSerializer,
    FileDetailSerializer,
    TreeItemSerializer,
)
from api.v1.views.repo_base import REVISION_HELP, RepoMixin, caller_token
from hub.accounts.actors import Actor
from hub.catalog.content import changes_readable
from hub.catalog.diffs import unified_patch
from hub.catalog.history import FileChange, commit_changes, commit_diff, commit_history
from hub.catalog.models import Commit, ModelRepo
from hub.catalog.revisions import revision_resolve
from hub.catalog.trees import file_get, tree_list
from hub.core.names import is_commit_oid
from hub.jobs.models import ValidationRun
from hub.jobs.selectors import checks_summary, validation_runs_of_commit

# Text diffs in /compare: files above hub.catalog.diffs.MAX_DIFF_FILE_BYTES
# are compared by hash only, and the whole response carries at most
# DIFF_BUDGET bytes of diff text.
DIFF_BUDGET = 2 * 1024 * 1024


class TreeQuerySerializer(serializers.Serializer):
    revision = serializers.CharField(default="main", help_text=REVISION_HELP)
    path = serializers.CharField(
        default="", allow_blank=True, help_text="A folder (or file); '' = the root."
    )
    recursive = serializers.BooleanField(
        default=False, help_text="List every file below, not only direct children."
    )


class RevisionQuerySerializer(serializers.Serializer):
    revision = serializers.CharField(default="main", help_text=REVISION_HELP)


class CommitListQuerySerializer(RevisionQuerySerializer):
    path = serializers.CharField(
        default="",
        allow_blank=True,
        help_text="Only commits that changed this file or something in this folder.",
    )


class CompareQuerySerializer(serializers.Serializer):
    base = serializers.CharField(help_text="The revision to compare from.")
    head = serializers.CharField(help_text="The revision to compare to.")


def query_params(
    serializer_class: type[serializers.Serializer], request: Request
) -> Any:
    params = serializer_class(data=request.query_params)
    params.is_valid(raise_exception=True)
    return params.validated_data


class TreePagination(StandardPagination):
    """Limit/offset over a listing; a folder listing may be long."""

    default_limit = 100
    max_limit = 1000


@extend_schema(tags=["files"])
class TreeViewSet(RepoMixin, viewsets.GenericViewSet):
    """``GET /models/{namespace}/{name}/tree``: files and folders at a revision."""

    serializer_class = TreeItemSerializer
    pagination_class = TreePagination
    filter_backends: list[Any] = []

    @extend_schema(parameters=[TreeQuerySerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Folders first, then files, by path; files carry a download URL."""
        params = query_params(TreeQuerySerializer, request)
        repo = self.get_repo()
        commit = revision_resolve(repo=repo, revision=params["revision"])
        items = tree_list(
            commit=commit, path=params["path"], recursive=params["recursive"]
        )
        page = self.paginate_queryset(items)
        context = {**self.get_serializer_context(), "repo": repo, "commit": commit}
        data = TreeItemSerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)


@extend_schema(tags=["files"])
class FileViewSet(RepoMixin, viewsets.GenericViewSet):
    """``GET /models/{namespace}/{name}/files/{path}``: one file's metadata."""

    serializer_class = FileDetailSerializer
    filter_backends: list[Any] = []

    @extend_schema(parameters=[RevisionQuerySerializer])
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Size, hashes, storage, quarantine and the file's validation check."""
        params = query_params(RevisionQuerySerializer, request)
        repo = self.get_repo()
        commit = revision_resolve(repo=repo, revision=params["revision"])
        entry = file_get(commit=commit, path=kwargs["path"])
        run = (
            validation_runs_of_commit(commit=commit)
            .filter(kind=ValidationRun.Kind.FILE, path=entry.path)
            .first()
        )
        context = {
            **self.get_serializer_context(),
            "repo": repo,
            "commit": commit,
            "validation": run,
        }
        return conditional_response(
            request, FileDetailSerializer(entry, context=context).data
        )


class CommitHistoryPagination(BasePagination):
    """``?limit=N&cursor=<commit id>`` over a lazily walked history.

    The cursor names the first commit of the next page, so a page stays the
    same when the branch moves meanwhile.
    """

    default_limit = 20
    max_limit = 100

    def paginate_history(
        self, history: Iterator[Commit], request: Request
    ) -> tuple[list[Commit], str | None]:
        limit = self.default_limit
        raw = request.query_params.get("limit")
        if raw:
            try:
                limit = max(1, min(int(raw), self.max_limit))
            except ValueError:
                raise exceptions.ValidationError(
                    {"limit": "A whole number from 1 to 100."}
                ) from None
        commits = list(islice(history, limit + 1))
        next_url = None
        if len(commits) > limit:
            url = request.build_absolute_uri()
            next_url = replace_query_param(url, "cursor", commits[limit].oid)
        return commits[:limit], next_url

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": "cursor",
                "required": False,
                "in": "query",
                "description": "The commit id to continue from (from `next`).",
                "schema": {"type": "string"},
            },
            {
                "name": "limit",
                "required": False,
                "in": "query",
                "description": "Commits per page (1-100, default 20).",
                "schema": {"type": "integer"},
            },
        ]


@extend_schema(tags=["commits"])
class CommitViewSet(RepoMixin, viewsets.GenericViewSet):
    """History of a revision, and single commits with their changes and checks."""

    serializer_class = CommitListItemSerializer
    pagination_class = CommitHistoryPagination
    filter_backends: list[Any] = []

    @extend_schema(parameters=[CommitListQuerySerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """First-parent history, newest first, cursor-paginated."""
        params = query_params(CommitListQuerySerializer, request)
        repo = self.get_repo()
        cursor = request.query_params.get("cursor")
        if cursor and not is_commit_oid(cursor):
            raise exceptions.ValidationError(
                {"cursor": "Use the cursor from the `next` link."}
            )
        start = cursor or params["revision"]
        history = commit_history(repo=repo, revision=start, path=params["path"])
        paginator = CommitHistoryPagination()
        commits, next_url = paginator.paginate_history(history, request)
        data = CommitListItemSerializer(commits, many=True).data
        return Response({"next": next_url, "previous": None, "results": data})

    @extend_schema(responses=CommitDetailSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A commit (by id) with its parents, changed files (with small text
        diffs) and the summary of its checks."""
        repo = self.get_repo()
        commit = revision_resolve(repo=repo, revision=kwargs["oid"])
        parents = [p.oid for p in (commit.parent, commit.merge_parent) if p]
        changes, truncated = _with_diffs(request, repo, commit_changes(commit=commit))
        context = {
            "parents": parents,
            "changes": changes,
            "diff_truncated": truncated,
            "checks": checks_summary(commit=commit),
        }
        data = CommitDetailSerializer(commit, context=context).data
        return conditional_response(request, data)


def _with_diffs(
    request: Request, repo: ModelRepo, changes: list[FileChange]
) -> tuple[list[tuple[FileChange, str | None]], bool]:
    """Pair each change with its text diff, within DIFF_BUDGET bytes in all.

    A diff shows content, so it follows the download rule: none for a gated
    repo's files before access, nor for a quarantined file (but maintainers).
    """
    readable = changes_readable(
        actor=Actor.of(request.user, caller_token(request)),
        repo=repo,
        changes=changes,
    )
    budget = DIFF_BUDGET
    truncated = False
    paired: list[tuple[FileChange, str | None]] = []
    for change in changes:
        diff: str | None = None
        if not (readable(change.old) and readable(change.new)):
            pass
        elif budget <= 0:
            truncated = True
        else:
            diff = unified_patch(change.path, change.old, change.new)
            if diff is not None and len(diff) > budget:
                diff, truncated = None, True
            budget -= len(diff or "")
        paired.append((change, diff))
    return paired, truncated


@extend_schema(tags=["files"])
class CompareViewSet(RepoMixin, viewsets.GenericViewSet):
    """``GET /models/{namespace}/{name}/compare?base=&head=``."""

    serializer_class = CompareSerializer
    filter_backends: list[Any] = []

    @extend_schema(parameters=[CompareQuerySerializer])
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Files changed from ``base`` to ``head``, with diffs of small text files."""
        params = query_params(CompareQuerySerializer, request)
        repo = self.get_repo()
        base = revision_resolve(repo=repo, revision=params["base"])
        head = revision_resolve(repo=repo, revision=params["head"])
        files, truncated = _with_diffs(request, repo, commit_diff(old=base, new=head))
        data = CompareSerializer(
            {
                "base": {"revision": params["base"], "oid": base.oid},
                "head": {"revision": params["head"], "oid": head.oid},
                "files": files,
                "diff_truncated": truncated,
            }
        ).data
        return conditional_response(request, data)


_REPO = "models/<str:namespace>/<str:name>"

urlpatterns = [
    path(
        f"{_REPO}/tree", TreeViewSet.as_view({"get": "list"}), name="api-v1-repo-tree"
    ),
    path(
        f"{_REPO}/files/<path:path>",
        FileViewSet.as_view({"get": "retrieve"}),
        name="api-v1-repo-file",
    ),
    path(
        f"{_REPO}/commits",
        CommitViewSet.as_view({"get": "list"}),
        name="api-v1-repo-commit-list",
    ),
    path(
        f"{_REPO}/commits/<str:oid>",
        CommitViewSet.as_view({"get": "retrieve"}),
        name="api-v1-repo-commit-detail",
    ),
    path(
        f"{_REPO}/compare",
        CompareViewSet.as_view({"get": "retrieve"}),
        name="api-v1-repo-compare",
    ),
]
