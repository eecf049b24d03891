"""Dataset repos: list items, detail (card, files, viewer, lineage), facets."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from api.v1.serializers.files import ChecksSummarySerializer
from api.v1.serializers.models import (
    ModelRepoFacetValueSerializer,
    ModelRepoLicenseSerializer,
    _iso,
    _strings,
)
from hub.catalog.facet_counts import DATASET_FACETS
from hub.catalog.models import ModelRepo

# The columns a list item shows (rows fetched with .values()).
DATASET_LIST_VALUES = (
    "id",
    "namespace__name",
    "name",
    "is_private",
    "gated",
    "license",
    "language",
    "tags",
    "card_data__task_categories",
    "card_data__size_categories",
    "description",
    "downloads",
    "likes",
    "trending_score",
    "created_at",
    "updated_at",
    "last_commit_at",
)


class DatasetRepoListItemSerializer(serializers.Serializer):
    """A dataset in a catalog list (card metadata of main's head)."""

    id = serializers.CharField(help_text="namespace/name")
    namespace = serializers.CharField()
    name = serializers.CharField()
    private = serializers.BooleanField()
    gated = serializers.ChoiceField(choices=ModelRepo.Gated.choices)
    license = serializers.CharField()
    task_categories = serializers.ListField(child=serializers.CharField())
    size_categories = serializers.ListField(child=serializers.CharField())
    language = serializers.ListField(child=serializers.CharField())
    tags = serializers.ListField(child=serializers.CharField())
    description = serializers.CharField()
    downloads = serializers.IntegerField()
    likes = serializers.IntegerField()
    trending_score = serializers.FloatField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    last_commit_at = serializers.DateTimeField(allow_null=True)

    def to_representation(self, repo: ModelRepo | dict[str, Any]) -> dict[str, Any]:
        # Written out for speed, like the models' list item.
        row = repo if isinstance(repo, dict) else _row_of(repo)
        namespace = row["namespace__name"]
        return {
            "id": f"{namespace}/{row['name']}",
            "namespace": namespace,
            "name": row["name"],
            "private": row["is_private"],
            "gated": row["gated"],
            "license": row["license"],
            "task_categories": _strings(row["card_data__task_categories"]),
            "size_categories": _strings(row["card_data__size_categories"]),
            "language": _strings(row["language"]),
            "tags": _strings(row["tags"]),
            "description": row["description"],
            "downloads": row["downloads"],
            "likes": row["likes"],
            "trending_score": row["trending_score"],
            "created_at": _iso(row["created_at"]),
            "updated_at": _iso(row["updated_at"]),
            "last_commit_at": _iso(row["last_commit_at"]),
        }


def _row_of(repo: ModelRepo) -> dict[str, Any]:
    card = repo.card_data if isinstance(repo.card_data, dict) else {}
    row = {
        field: getattr(repo, field)
        for field in DATASET_LIST_VALUES[2:]
        if not field.startswith("card_data__")
    }
    row.update(
        id=repo.pk,
        namespace__name=repo.namespace.name,
        card_data__task_categories=card.get("task_categories"),
        card_data__size_categories=card.get("size_categories"),
    )
    return row


class DatasetFileSerializer(serializers.Serializer):
    path = serializers.CharField()
    size = serializers.IntegerField()
    lfs = serializers.BooleanField(source="is_lfs")


class DatasetModelSerializer(serializers.Serializer):
    """A model whose card names this dataset in ``datasets:``."""

    id = serializers.CharField(source="full_name")
    pipeline_tag = serializers.CharField()
    downloads = serializers.IntegerField()


class ViewerFileSerializer(serializers.Serializer):
    path = serializers.CharField()
    size = serializers.IntegerField()
    format = serializers.CharField(allow_null=True)
    status = serializers.CharField(
        help_text="pending, ready, error, unsupported or withheld (you may "
        "not download the file yet)."
    )
    message = serializers.CharField()
    num_rows = serializers.IntegerField(allow_null=True)
    num_rows_exact = serializers.BooleanField()


class ViewerSplitSerializer(serializers.Serializer):
    name = serializers.CharField()
    status = serializers.CharField(help_text="pending, ready or error.")
    message = serializers.CharField()
    num_bytes = serializers.IntegerField()
    num_rows = serializers.IntegerField(allow_null=True)
    num_rows_exact = serializers.BooleanField()
    features = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField()),
        help_text="The schema: one {name, type} per column.",
    )
    rows = serializers.ListField(
        child=serializers.DictField(), help_text="The first rows (at most 100)."
    )
    files = ViewerFileSerializer(many=True)


class ViewerConfigSerializer(serializers.Serializer):
    name = serializers.CharField()
    is_default = serializers.BooleanField()
    splits = ViewerSplitSerializer(many=True)


class DatasetViewerSerializer(serializers.Serializer):
    """Schema and first rows per config and split of main's head, as the
    worker computed them (``status`` is pending while any file is)."""

    status = serializers.CharField()
    configs = ViewerConfigSerializer(many=True)


class DatasetRepoDetailSerializer(DatasetRepoListItemSerializer):
    """A dataset with its license, card, main's files, its checks, its
    viewer and the models naming it.

    Expects ``license``, ``head`` (Commit or None), ``checks``, ``files``,
    ``viewer`` (a DatasetView or None) and ``models`` in the context.
    """

    license = serializers.SerializerMethodField()  # type: ignore[assignment]
    license_name = serializers.CharField()
    sha = serializers.CharField(allow_null=True, help_text="Commit id of main's head.")
    card_data = serializers.DictField(help_text="Parsed README.md front matter.")
    files = DatasetFileSerializer(many=True, help_text="Files of main's head.")
    checks = ChecksSummarySerializer(allow_null=True)
    viewer = DatasetViewerSerializer(allow_null=True)
    models = DatasetModelSerializer(
        many=True, help_text="Models you may see whose card names this dataset."
    )

    def to_representation(self, repo: ModelRepo | dict[str, Any]) -> dict[str, Any]:
        assert isinstance(repo, ModelRepo), "the detail needs the model"
        data = super().to_representation(repo)
        head = self.context.get("head")
        checks = self.context.get("checks")
        viewer = self.context.get("viewer")
        data.update(
            license=self.get_license(repo),
            license_name=repo.license_name,
            sha=head.oid if head is not None else None,
            card_data=repo.card_data if isinstance(repo.card_data, dict) else {},
            files=DatasetFileSerializer(self.context["files"], many=True).data,
            checks=ChecksSummarySerializer(checks).data if checks else None,
            viewer=DatasetViewerSerializer(viewer).data if viewer else None,
            models=DatasetModelSerializer(self.context["models"], many=True).data,
        )
        return data

    @extend_schema_field(ModelRepoLicenseSerializer(allow_null=True))
    def get_license(self, repo: ModelRepo) -> dict[str, Any] | None:
        license_ = self.context.get("license")
        return ModelRepoLicenseSerializer(license_).data if license_ else None


class DatasetRepoFacetsSerializer(serializers.Serializer):
    """Counts over the filtered, visible set; only the facets asked for."""

    task_category = ModelRepoFacetValueSerializer(many=True, required=False)
    license = ModelRepoFacetValueSerializer(many=True, required=False)
    language = ModelRepoFacetValueSerializer(many=True, required=False)
    size_category = ModelRepoFacetValueSerializer(many=True, required=False)
    file_format = ModelRepoFacetValueSerializer(many=True, required=False)
    tags = ModelRepoFacetValueSerializer(
        many=True, required=False, help_text="The 30 most frequent."
    )


@extend_schema_serializer(many=False)
class DatasetRepoListPageSerializer(serializers.Serializer):
    """A page of the dataset catalog: cursor links and the facets asked for."""

    results = DatasetRepoListItemSerializer(many=True)
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    facets = DatasetRepoFacetsSerializer()


_NAMES = DATASET_FACETS.names


class DatasetRepoListQuerySerializer(serializers.Serializer):
    """Query parameters of the list besides the FilterSet and the cursor."""

    facets = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=f"Comma-separated facets to count ({', '.join(_NAMES)}), or "
        "'all'. Counted over the filtered set you may see; public datasets' "
        "counts are cached per query and may lag by about a minute.",
    )

    def validate_facets(self, value: str) -> list[str]:
        names = [part.strip() for part in value.split(",") if part.strip()]
        if names == ["all"]:
            return list(_NAMES)
        unknown = [name for name in names if name not in _NAMES]
        if unknown:
            raise serializers.ValidationError(
                f"Unknown facet {unknown[0]!r}: use {', '.join(_NAMES)} or 'all'."
            )
        return list(dict.fromkeys(names))
