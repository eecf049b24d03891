from __future__ import annotations

import re

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F
from django.db.models.functions import Coalesce, Lower

from hub.core.names import repo_typed_id


class ModelRepo(models.Model):
    """A repository ``namespace/name`` of one type: a model, a dataset or a
    space (HF's three kinds; spaces are stored and served, never run).

    Ids are unique per type, as on the HF Hub: ``alice/x`` may be a model and
    a dataset at once. The card metadata fields are denormalized from the
    head commit of ``main`` (see ``Commit.card_data``) so the catalog can be
    searched and filtered without reading files.
    """

    class RepoType(models.TextChoices):
        MODEL = "model", "Model"
        DATASET = "dataset", "Dataset"
        SPACE = "space", "Space"

    class Gated(models.TextChoices):
        OFF = "off", "Not gated"
        AUTO = "auto", "Automatic approval"
        MANUAL = "manual", "Manual approval"

    namespace = models.ForeignKey(
        "accounts.Namespace", on_delete=models.CASCADE, related_name="repos"
    )
    name = models.CharField(max_length=96)
    # Also the database's default: rows written in bulk SQL (bench seeds,
    # data migrations) are models unless they say otherwise.
    repo_type = models.CharField(
        max_length=7,
        choices=RepoType.choices,
        default=RepoType.MODEL,
        db_default=RepoType.MODEL,
    )
    is_private = models.BooleanField(default=False)
    gated = models.CharField(max_length=6, choices=Gated.choices, default=Gated.OFF)
    created_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    last_commit_at = models.DateTimeField(null=True, blank=True, db_index=True)

    # Card metadata of main's head, denormalized for search and filters.
    license = models.CharField(max_length=64, blank=True, db_index=True)
    license_name = models.CharField(max_length=200, blank=True)
    tags = models.JSONField(default=list, blank=True)
    pipeline_tag = models.CharField(max_length=64, blank=True, db_index=True)
    library_name = models.CharField(max_length=64, blank=True, db_index=True)
    base_model = models.JSONField(default=list, blank=True)
    datasets = models.JSONField(default=list, blank=True)
    language = models.JSONField(default=list, blank=True)
    card_data = models.JSONField(default=dict, blank=True)

    downloads = models.BigIntegerField(default=0)
    likes = models.IntegerField(default=0)
    # Downloads plus likes of the last 7 days, recomputed periodically.
    trending_score = models.FloatField(default=0, db_index=True)
    # Numbers shared by discussions and pull requests, as on the HF Hub.
    last_discussion_num = models.IntegerField(default=0)
    # Visible reviews' average rating (0 without any) and count, kept by
    # hub.reviews.services so the catalog sorts and filters by rating.
    rating_avg = models.FloatField(default=0)
    rating_count = models.IntegerField(default=0)
    # Set by a moderator (hub.moderation): a disabled repo serves no file
    # and shows the reason instead of its pages.
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.TextField(blank=True, default="")

    # First paragraph of main's README body, plain text (lists and search).
    description = models.TextField(blank=True, default="")
    # Full-text document of the repo id, description and card text, written
    # by hub.catalog.search (PostgreSQL only: NULL on other databases).
    search_vector = SearchVectorField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "namespace",
                "repo_type",
                Lower("name"),
                name="modelrepo_name_ci_unique_per_type",
            ),
        ]
        # Catalog sorts (hub.catalog.search.REPO_SORTS): descending, with the
        # primary key as tiebreaker, so a keyset cursor is one index range
        # scan. GIN indexes for search and JSON filters are PostgreSQL-only
        # and live in migration 0003.
        indexes = [
            models.Index(
                F("trending_score").desc(), F("id").desc(), name="modelrepo_by_trending"
            ),
            models.Index(
                F("downloads").desc(), F("id").desc(), name="modelrepo_by_downloads"
            ),
            models.Index(F("likes").desc(), F("id").desc(), name="modelrepo_by_likes"),
            models.Index(
                F("rating_avg").desc(), F("id").desc(), name="modelrepo_by_rating"
            ),
            models.Index(
                F("created_at").desc(), F("id").desc(), name="modelrepo_by_created"
            ),
            models.Index(
                Coalesce("last_commit_at", "created_at").desc(),
                F("id").desc(),
                name="modelrepo_by_updated",
            ),
            # The few private repos, found without scanning the public ones
            # (facet counts add the caller's visible private repos).
            models.Index(
                fields=["id"],
                condition=models.Q(is_private=True),
                name="modelrepo_private",
            ),
            # Few repos are disabled: what a member sees beyond the public
            # set (private OR disabled) is two small index scans.
            models.Index(
                fields=["id"],
                condition=models.Q(disabled_at__isnull=False),
                name="modelrepo_disabled",
            ),
            # Datasets and spaces are few beside the models: their lists
            # read them all through this and sort, instead of walking a
            # sort index past every model.
            models.Index(
                fields=["repo_type", "id"],
                condition=~models.Q(repo_type="model"),
                name="modelrepo_not_models",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.namespace.name}/{self.name}"

    @property
    def typed_id(self) -> str:
        """The id with its type's prefix, as the HF Hub spells it in URLs:
        ``ns/name`` for a model, ``datasets/ns/name``, ``spaces/ns/name``.

        Web pages live at ``/<typed_id>``; redirects, audit records and
        repo-limited tokens name repos by it.
        """
        return repo_typed_id(self.repo_type, self.namespace.name, self.name)

    @property
    def type_label(self) -> str:
        """ "model", "dataset" or "space", for messages."""
        return str(self.repo_type)

    @property
    def is_disabled(self) -> bool:
        return self.disabled_at is not None


class RepoRedirect(models.Model):
    """An old id that now points at a renamed or moved repo; the id is typed
    (``old/name`` for a model, ``datasets/old/name`` for a dataset)."""

    old_full_name = models.CharField(max_length=200, unique=True)
    repo = models.ForeignKey(
        "catalog.ModelRepo", on_delete=models.CASCADE, related_name="redirects"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.old_full_name} → {self.repo_id}"


class Commit(models.Model):
    """An immutable commit. ``oid`` is the git commit id of the same content.

    Commit ids are content hashes, so two repos may hold the same oid: the
    key is (repo, oid). ``tree_oid`` is the git id of the root tree.
    """

    repo = models.ForeignKey(
        "catalog.ModelRepo", on_delete=models.CASCADE, related_name="commits"
    )
    oid = models.CharField(max_length=40)
    tree_oid = models.CharField(max_length=40)
    # RESTRICT (not PROTECT): a commit cannot be deleted on its own, but
    # deleting the repo deletes its whole history.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.RESTRICT, related_name="+"
    )
    merge_parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.RESTRICT, related_name="+"
    )
    author = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author_name = models.CharField(max_length=150)
    author_email = models.CharField(max_length=254)
    title = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(db_index=True)
    # Parsed README.md front matter at this commit ({} when there is none).
    card_data = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["repo", "oid"], name="commit_oid_unique_in_repo"
            ),
        ]
        indexes = [
            models.Index(fields=["repo", "-created_at"], name="commit_repo_recent")
        ]

    def __str__(self) -> str:
        return self.oid[:12]

    @property
    def message(self) -> str:
        return f"{self.title}\n\n{self.description}" if self.description else self.title


class TreeEntry(models.Model):
    """One file of a commit's full tree: ``path → blob``.

    ``git_oid`` is the git blob id of what git would store: the file itself,
    or for an LFS file its pointer text.
    """

    commit = models.ForeignKey(
        "catalog.Commit", on_delete=models.CASCADE, related_name="entries"
    )
    path = models.CharField(max_length=1024)
    blob = models.ForeignKey(
        "storage.Blob", on_delete=models.PROTECT, related_name="tree_entries"
    )
    size = models.BigIntegerField()
    is_lfs = models.BooleanField(default=False)
    git_oid = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["commit", "path"], name="treeentry_path_unique"
            ),
            models.UniqueConstraint(
                "commit", Lower("path"), name="treeentry_path_ci_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.path


class Ref(models.Model):
    """A mutable pointer: a branch, a tag, or a pull request's ``refs/pr/N``."""

    class Kind(models.TextChoices):
        BRANCH = "branch", "Branch"
        TAG = "tag", "Tag"
        PULL_REQUEST = "pr", "Pull request"

    repo = models.ForeignKey(
        "catalog.ModelRepo", on_delete=models.CASCADE, related_name="refs"
    )
    name = models.CharField(max_length=255)
    kind = models.CharField(max_length=6, choices=Kind.choices)
    commit = models.ForeignKey(
        "catalog.Commit", on_delete=models.RESTRICT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            # A branch and a tag may not share a name: a revision string must
            # resolve to one thing.
            models.UniqueConstraint(
                fields=["repo", "name"], name="ref_name_unique_in_repo"
            ),
        ]

    def __str__(self) -> str:
        return self.name


_PR_REF_RE = re.compile(r"^refs/pr/([1-9][0-9]{0,8})$")


def pr_ref_num(name: str) -> int | None:
    """The pull request number of a ``refs/pr/N`` name, else None.

    The one parser of pull request ref names, for every face and service.
    """
    match = _PR_REF_RE.match(name) if isinstance(name, str) else None
    return int(match.group(1)) if match else None


class RepoDailyStat(models.Model):
    """Downloads and likes of a repo per UTC day (feeds trending)."""

    repo = models.ForeignKey(
        "catalog.ModelRepo", on_delete=models.CASCADE, related_name="daily_stats"
    )
    day = models.DateField()
    downloads = models.BigIntegerField(default=0)
    likes = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["repo", "day"], name="repodailystat_unique_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.repo_id} {self.day}"
