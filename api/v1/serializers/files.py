"""Files, commits, diffs and check runs of a repo (output shapes).

Dates are ISO-8601 UTC with a ``Z`` (REST_FRAMEWORK's DATETIME_FORMAT).
Download links use the Hugging Face protocol's resolve URL at the commit id,
so a link keeps naming the same bytes after the branch moves.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hub.catalog.models import Commit, TreeEntry
from hub.jobs.models import ValidationRun


def resolve_url(context: dict[str, Any], path: str) -> str | None:
    """Absolute ``/{typed id}/resolve/{commit}/{path}`` for a file."""
    request = context.get("request")
    repo = context.get("repo")
    commit = context.get("commit")
    if request is None or repo is None or commit is None:
        return None
    return request.build_absolute_uri(
        f"/{quote(repo.typed_id)}/resolve/{commit.oid}/{quote(path)}"
    )


class TreeItemSerializer(serializers.Serializer):
    """A file or a folder at a revision (``hub.catalog.trees.TreeItem``)."""

    type = serializers.ChoiceField(choices=["file", "directory"])
    path = serializers.CharField()
    size = serializers.SerializerMethodField()
    is_lfs = serializers.SerializerMethodField()
    sha256 = serializers.SerializerMethodField(
        help_text="SHA-256 of the file's content (files only)."
    )
    git_oid = serializers.SerializerMethodField(
        help_text="git blob id: of the file, or of its LFS pointer (files only)."
    )
    download_url = serializers.SerializerMethodField(
        help_text="HF-protocol resolve URL at the commit id (files only)."
    )

    def get_size(self, item: Any) -> int | None:
        return item.size if item.entry is not None else None

    def get_is_lfs(self, item: Any) -> bool | None:
        return item.entry.is_lfs if item.entry is not None else None

    def get_sha256(self, item: Any) -> str | None:
        return item.entry.blob_id if item.entry is not None else None

    def get_git_oid(self, item: Any) -> str | None:
        return item.entry.git_oid if item.entry is not None else None

    def get_download_url(self, item: Any) -> str | None:
        if item.entry is None:
            return None
        return resolve_url(self.context, item.path)


class CheckRunSerializer(serializers.ModelSerializer):
    """One validation run of a commit: a file's check or the repo-level one."""

    class Meta:
        model = ValidationRun
        fields = [
            "id",
            "kind",
            "path",
            "status",
            "verdict",
            "findings",
            "metadata",
            "attempts",
            "reused",
            "validator_version",
            "created_at",
            "started_at",
            "finished_at",
        ]


class FileDetailSerializer(serializers.ModelSerializer):
    """One file at a revision, with its latest validation verdict."""

    commit = serializers.SerializerMethodField(help_text="The resolved commit id.")
    sha256 = serializers.CharField(source="blob_id")
    is_quarantined = serializers.BooleanField(source="blob.is_quarantined")
    download_url = serializers.SerializerMethodField()
    validation = serializers.SerializerMethodField()

    class Meta:
        model = TreeEntry
        fields = [
            "path",
            "size",
            "is_lfs",
            "sha256",
            "git_oid",
            "commit",
            "is_quarantined",
            "download_url",
            "validation",
        ]

    def get_commit(self, entry: TreeEntry) -> str:
        return self.context["commit"].oid

    def get_download_url(self, entry: TreeEntry) -> str | None:
        return resolve_url(self.context, entry.path)

    @extend_schema_field(CheckRunSerializer(allow_null=True))
    def get_validation(self, entry: TreeEntry) -> dict[str, Any] | None:
        run = self.context.get("validation")
        return CheckRunSerializer(run).data if run is not None else None


class CommitAuthorSerializer(serializers.Serializer):
    name = serializers.CharField(source="author_name")
    email = serializers.CharField(source="author_email")


class CommitListItemSerializer(serializers.ModelSerializer):
    """A commit in a history listing."""

    author = CommitAuthorSerializer(source="*")

    class Meta:
        model = Commit
        fields = ["oid", "title", "description", "author", "created_at"]


class FileChangeSerializer(serializers.Serializer):
    """A file added, removed or modified, with a text diff when it is small.

    Takes ``(FileChange, diff)`` pairs (``hub.catalog.history.FileChange``).
    """

    status = serializers.ChoiceField(choices=["added", "removed", "modified"])
    path = serializers.CharField()
    old_size = serializers.IntegerField(allow_null=True)
    new_size = serializers.IntegerField(allow_null=True)
    old_sha256 = serializers.CharField(allow_null=True)
    new_sha256 = serializers.CharField(allow_null=True)
    is_lfs = serializers.BooleanField()
    diff = serializers.CharField(
        allow_null=True,
        help_text="Unified diff of a small text file; null for binary, LFS or "
        "large files, or once the response's diff budget is spent.",
    )

    def to_representation(self, instance: Any) -> dict[str, Any]:
        change, diff = instance
        old, new = change.old, change.new
        return {
            "status": change.status,
            "path": change.path,
            "old_size": old.size if old is not None else None,
            "new_size": new.size if new is not None else None,
            "old_sha256": old.blob_id if old is not None else None,
            "new_sha256": new.blob_id if new is not None else None,
            "is_lfs": any(e is not None and e.is_lfs for e in (old, new)),
            "diff": diff,
        }


class FailingCheckSerializer(serializers.Serializer):
    kind = serializers.CharField()
    path = serializers.CharField()
    verdict = serializers.CharField()
    messages = serializers.SerializerMethodField()

    def get_messages(self, run: ValidationRun) -> list[str]:
        return [
            f["message"]
            for f in run.findings
            if isinstance(f, dict) and isinstance(f.get("message"), str)
        ]


class ChecksSummarySerializer(serializers.Serializer):
    """CI-style state of a commit's checks (``hub.jobs.selectors.ChecksSummary``)."""

    state = serializers.ChoiceField(
        choices=["pending", "success", "failure", "error", "none"]
    )
    total = serializers.IntegerField()
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="Runs per status."
    )
    failing = FailingCheckSerializer(many=True)
    parameters = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Parameters per dtype, from the safetensors headers.",
    )


class CommitDetailSerializer(serializers.ModelSerializer):
    """A commit with its parents, the files it changed and its checks."""

    author = CommitAuthorSerializer(source="*")
    parents = serializers.SerializerMethodField()
    changes = serializers.SerializerMethodField()
    diff_truncated = serializers.SerializerMethodField(
        help_text="True when some text diffs were left out to bound the response."
    )
    checks = serializers.SerializerMethodField()

    class Meta:
        model = Commit
        fields = [
            "oid",
            "tree_oid",
            "title",
            "description",
            "author",
            "created_at",
            "parents",
            "changes",
            "diff_truncated",
            "checks",
        ]

    def get_parents(self, commit: Commit) -> list[str]:
        return list(self.context.get("parents", []))

    @extend_schema_field(FileChangeSerializer(many=True))
    def get_changes(self, commit: Commit) -> Any:
        return FileChangeSerializer(self.context["changes"], many=True).data

    def get_diff_truncated(self, commit: Commit) -> bool:
        return bool(self.context.get("diff_truncated"))

    @extend_schema_field(ChecksSummarySerializer)
    def get_checks(self, commit: Commit) -> dict[str, Any]:
        return ChecksSummarySerializer(self.context["checks"]).data


class RevisionPointSerializer(serializers.Serializer):
    revision = serializers.CharField()
    oid = serializers.CharField()


class CompareSerializer(serializers.Serializer):
    """File-level changes from ``base`` to ``head``, text diffs for small files."""

    base = RevisionPointSerializer()
    head = RevisionPointSerializer()
    files = FileChangeSerializer(many=True)
    diff_truncated = serializers.BooleanField(
        help_text="True when some text diffs were left out to bound the response."
    )


class CheckRunPageSerializer(serializers.Serializer):
    """A page of a commit's runs (cursor-paginated) with the summary of all."""

    commit = serializers.CharField(help_text="The commit id the checks belong to.")
    summary = ChecksSummarySerializer()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = CheckRunSerializer(many=True)
