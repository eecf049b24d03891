"""Model repos: list items, detail, facets, and the create/update inputs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from api.v1.serializers.access import LicenseLineageSerializer
from api.v1.serializers.files import ChecksSummarySerializer
from api.v1.serializers.reviews import RatingSummarySerializer
from api.v1.serializers.storage import StorageUsageSerializer
from hub.catalog.facets import FACETS
from hub.catalog.models import ModelRepo
from hub.licenses.models import License

_LICENSE_FLAGS = (
    "allows_commercial_use",
    "allows_derivatives",
    "requires_attribution",
    "requires_share_alike",
    "has_use_restrictions",
    "requires_acceptance",
)


def _iso(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, as REST_FRAMEWORK's DATETIME_FORMAT renders."""
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _strings(value: Any) -> list[str]:
    return (
        [item for item in value if isinstance(item, str)]
        if isinstance(value, list)
        else []
    )


class ModelRepoLicenseFlagsSerializer(serializers.Serializer):
    """What the license permits; null where the catalog does not know."""

    allows_commercial_use = serializers.BooleanField(allow_null=True)
    allows_derivatives = serializers.BooleanField(allow_null=True)
    requires_attribution = serializers.BooleanField(allow_null=True)
    requires_share_alike = serializers.BooleanField(allow_null=True)
    has_use_restrictions = serializers.BooleanField()
    requires_acceptance = serializers.BooleanField()


class ModelRepoLicenseSerializer(serializers.Serializer):
    """The license a repo's card declares, from the license catalog."""

    id = serializers.CharField()
    name = serializers.CharField()
    url = serializers.CharField()
    flags = serializers.SerializerMethodField()

    @extend_schema_field(ModelRepoLicenseFlagsSerializer)
    def get_flags(self, license_: License) -> dict[str, Any]:
        return {flag: getattr(license_, flag) for flag in _LICENSE_FLAGS}


class ModelDatasetLinkSerializer(serializers.Serializer):
    """One id of a model card's ``datasets:``."""

    id = serializers.CharField(source="repo_id", help_text="As the card names it.")
    on_hub = serializers.SerializerMethodField(
        help_text="Whether it is a dataset on this hub you may see "
        "(/api/v1/datasets/{id})."
    )

    def get_on_hub(self, link: Any) -> bool:
        return link.repo is not None


class ModelRepoListItemSerializer(serializers.ModelSerializer):
    """A repo in a catalog list (card metadata of main's head)."""

    id = serializers.CharField(source="full_name", help_text="namespace/name")
    namespace = serializers.CharField(source="namespace.name")
    private = serializers.BooleanField(source="is_private")
    tags = serializers.ListField(child=serializers.CharField())
    language = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = ModelRepo
        fields = [
            "id",
            "namespace",
            "name",
            "private",
            "gated",
            "license",
            "pipeline_tag",
            "library_name",
            "tags",
            "language",
            "description",
            "downloads",
            "likes",
            "trending_score",
            "rating_avg",
            "rating_count",
            "created_at",
            "updated_at",
            "last_commit_at",
        ]
        read_only_fields = fields

    def to_representation(self, repo: ModelRepo | dict[str, Any]) -> dict[str, Any]:
        # Written out for speed (a page holds up to 100 repos); the declared
        # fields above are the documented shape and must match. Lists pass
        # rows of LIST_VALUES, the detail a ModelRepo.
        row = repo if isinstance(repo, dict) else _row_of(repo)
        namespace = row["namespace__name"]
        return {
            "id": f"{namespace}/{row['name']}",
            "namespace": namespace,
            "name": row["name"],
            "private": row["is_private"],
            "gated": row["gated"],
            "license": row["license"],
            "pipeline_tag": row["pipeline_tag"],
            "library_name": row["library_name"],
            "tags": _strings(row["tags"]),
            "language": _strings(row["language"]),
            "description": row["description"],
            "downloads": row["downloads"],
            "likes": row["likes"],
            "trending_score": row["trending_score"],
            "rating_avg": row["rating_avg"],
            "rating_count": row["rating_count"],
            "created_at": _iso(row["created_at"]),
            "updated_at": _iso(row["updated_at"]),
            "last_commit_at": _iso(row["last_commit_at"]),
        }


# The columns a list item shows: lists fetch these with .values() instead
# of building model instances.
LIST_VALUES = (
    "id",
    "namespace__name",
    "name",
    "is_private",
    "gated",
    "license",
    "pipeline_tag",
    "library_name",
    "tags",
    "language",
    "description",
    "downloads",
    "likes",
    "trending_score",
    "rating_avg",
    "rating_count",
    "created_at",
    "updated_at",
    "last_commit_at",
)


def _row_of(repo: ModelRepo) -> dict[str, Any]:
    row = {field: getattr(repo, field) for field in LIST_VALUES[2:]}
    row.update(id=repo.pk, namespace__name=repo.namespace.name)
    return row


class ModelRepoDetailSerializer(ModelRepoListItemSerializer):
    """A repo with its license terms, main's head commit, its checks and its
    storage accounting.

    Expects ``license``, ``head`` (Commit or None), ``checks``
    (ChecksSummary or None) and ``storage`` (StorageUsage) in the serializer
    context.
    """

    license = serializers.SerializerMethodField()
    base_model = serializers.ListField(child=serializers.CharField())
    datasets = serializers.ListField(child=serializers.CharField())
    sha = serializers.SerializerMethodField(help_text="Commit id of main's head.")
    card_data = serializers.DictField(help_text="Parsed README.md front matter.")
    checks = serializers.SerializerMethodField()
    rating = serializers.SerializerMethodField()
    license_lineage = serializers.SerializerMethodField()
    storage = serializers.SerializerMethodField()
    dataset_links = serializers.SerializerMethodField()

    class Meta(ModelRepoListItemSerializer.Meta):
        fields = [
            *ModelRepoListItemSerializer.Meta.fields,
            "license_name",
            "base_model",
            "datasets",
            "sha",
            "card_data",
            "checks",
            "rating",
            "license_lineage",
            "storage",
            "dataset_links",
        ]
        read_only_fields = fields

    def to_representation(self, repo: ModelRepo | dict[str, Any]) -> dict[str, Any]:
        assert isinstance(repo, ModelRepo), "the detail needs the model"
        data = super().to_representation(repo)
        data.update(
            license=self.get_license(repo),
            license_name=repo.license_name,
            base_model=_strings(repo.base_model),
            datasets=_strings(repo.datasets),
            sha=self.get_sha(repo),
            card_data=repo.card_data if isinstance(repo.card_data, dict) else {},
            checks=self.get_checks(repo),
            rating=self.get_rating(repo),
            license_lineage=self.get_license_lineage(repo),
            storage=self.get_storage(repo),
            dataset_links=self.get_dataset_links(repo),
        )
        return data

    @extend_schema_field(ModelRepoLicenseSerializer(allow_null=True))
    def get_license(self, repo: ModelRepo) -> dict[str, Any] | None:
        license_ = self.context.get("license")
        return ModelRepoLicenseSerializer(license_).data if license_ else None

    @extend_schema_field(OpenApiTypes.STR)
    def get_sha(self, repo: ModelRepo) -> str | None:
        head = self.context.get("head")
        return head.oid if head is not None else None

    @extend_schema_field(ChecksSummarySerializer(allow_null=True))
    def get_checks(self, repo: ModelRepo) -> dict[str, Any] | None:
        checks = self.context.get("checks")
        return ChecksSummarySerializer(checks).data if checks is not None else None

    @extend_schema_field(RatingSummarySerializer(allow_null=True))
    def get_rating(self, repo: ModelRepo) -> dict[str, Any] | None:
        rating = self.context.get("rating")
        return RatingSummarySerializer(rating).data if rating is not None else None

    @extend_schema_field(LicenseLineageSerializer(allow_null=True))
    def get_license_lineage(self, repo: ModelRepo) -> dict[str, Any] | None:
        lineage = self.context.get("license_lineage")
        return LicenseLineageSerializer(lineage).data if lineage is not None else None

    @extend_schema_field(StorageUsageSerializer(allow_null=True))
    def get_storage(self, repo: ModelRepo) -> dict[str, Any] | None:
        """Logical vs stored bytes of the files of every commit of the repo."""
        usage = self.context.get("storage")
        return StorageUsageSerializer(usage).data if usage is not None else None

    @extend_schema_field(ModelDatasetLinkSerializer(many=True))
    def get_dataset_links(self, repo: ModelRepo) -> list[dict[str, Any]]:
        """The card's ``datasets:``, each with the dataset on this hub it names."""
        links = self.context.get("dataset_links") or []
        return list(ModelDatasetLinkSerializer(links, many=True).data)


class ModelRepoFacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    count = serializers.IntegerField()


class ModelRepoFacetsSerializer(serializers.Serializer):
    """Counts over the filtered, visible set; only the facets asked for."""

    license = ModelRepoFacetValueSerializer(many=True, required=False)
    task = ModelRepoFacetValueSerializer(many=True, required=False)
    library = ModelRepoFacetValueSerializer(many=True, required=False)
    language = ModelRepoFacetValueSerializer(many=True, required=False)
    tags = ModelRepoFacetValueSerializer(
        many=True, required=False, help_text="The 30 most frequent."
    )


@extend_schema_serializer(many=False)
class ModelRepoListPageSerializer(serializers.Serializer):
    """A page of the catalog: cursor links and the facet counts asked for."""

    results = ModelRepoListItemSerializer(many=True)
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    facets = ModelRepoFacetsSerializer()


class ModelRepoListQuerySerializer(serializers.Serializer):
    """Query parameters of the list besides the FilterSet and the cursor."""

    facets = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=f"Comma-separated facets to count ({', '.join(FACETS)}), or "
        "'all'. Counted over the filtered set you may see; omit on later pages. "
        "Public repos' counts are cached per query and may lag changes by about "
        "a minute; your private repos are counted live.",
    )

    def validate_facets(self, value: str) -> list[str]:
        names = [part.strip() for part in value.split(",") if part.strip()]
        if names == ["all"]:
            return list(FACETS)
        unknown = [name for name in names if name not in FACETS]
        if unknown:
            raise serializers.ValidationError(
                f"Unknown facet {unknown[0]!r}: use {', '.join(FACETS)} or 'all'."
            )
        return list(dict.fromkeys(names))


class ModelRepoCreateSerializer(serializers.Serializer):
    namespace = serializers.CharField(
        required=False, max_length=96, help_text="User or organization (default: you)."
    )
    name = serializers.CharField(max_length=96)
    private = serializers.BooleanField(default=False)
    license = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=64,
        help_text="License id; the first README.md declares it in its card.",
    )


class ModelRepoUpdateSerializer(serializers.Serializer):
    private = serializers.BooleanField(required=False)
    gated = serializers.ChoiceField(choices=ModelRepo.Gated.choices, required=False)
