"""Reviews and ratings of models."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hub.reviews.models import Review, ReviewReply, ReviewRevision


class RatingDistributionSerializer(serializers.Serializer):
    """How many visible reviews gave each number of stars."""

    stars_1 = serializers.IntegerField()
    stars_2 = serializers.IntegerField()
    stars_3 = serializers.IntegerField()
    stars_4 = serializers.IntegerField()
    stars_5 = serializers.IntegerField()


class RatingSummarySerializer(serializers.Serializer):
    """Average (0 when unrated), count and distribution of visible reviews."""

    average = serializers.FloatField()
    count = serializers.IntegerField()
    distribution = serializers.SerializerMethodField()

    @extend_schema_field(RatingDistributionSerializer)
    def get_distribution(self, summary: Any) -> dict[str, int]:
        return {
            f"stars_{stars}": summary.distribution.get(stars, 0)
            for stars in range(1, 6)
        }


class ReviewEvidenceSerializer(serializers.Serializer):
    use_case = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    hardware = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    library_name = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default=""
    )
    library_version = serializers.CharField(
        max_length=32, required=False, allow_blank=True, default=""
    )
    reproduced_eval = serializers.BooleanField(required=False, default=False)


class ReviewReplySerializer(serializers.ModelSerializer):
    author = serializers.CharField(
        source="author.username", allow_null=True, default=None
    )

    class Meta:
        model = ReviewReply
        fields = ["author", "text", "created_at"]


class ReviewSerializer(serializers.ModelSerializer):
    """A review. Hidden reviews are shown to their author only, with the reason."""

    author = serializers.CharField(source="author.username")
    revision = serializers.CharField(source="commit.oid", help_text="Commit id.")
    evidence = serializers.SerializerMethodField()
    is_verified_download = serializers.BooleanField(
        help_text="The author downloaded this revision from the hub."
    )
    reply = serializers.SerializerMethodField()

    class Meta:
        model = Review
        fields = [
            "id",
            "author",
            "revision",
            "rating",
            "text",
            "evidence",
            "is_verified_download",
            "helpful_count",
            "is_hidden",
            "hidden_reason",
            "reply",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(ReviewEvidenceSerializer)
    def get_evidence(self, review: Review) -> dict[str, Any]:
        return {
            "use_case": review.use_case,
            "hardware": review.hardware,
            "library_name": review.library_name,
            "library_version": review.library_version,
            "reproduced_eval": review.reproduced_eval,
        }

    @extend_schema_field(ReviewReplySerializer(allow_null=True))
    def get_reply(self, review: Review) -> dict[str, Any] | None:
        try:
            reply = review.reply
        except ReviewReply.DoesNotExist:
            return None
        return ReviewReplySerializer(reply).data


class ReviewRevisionSerializer(serializers.ModelSerializer):
    revision = serializers.CharField(source="commit.oid")

    class Meta:
        model = ReviewRevision
        fields = ["revision", "rating", "text", "evidence", "written_at"]


class ReviewSubmitSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    text = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=20_000
    )
    revision = serializers.CharField(
        required=False,
        default="main",
        max_length=255,
        help_text="The revision you used (branch, tag or commit id; default main). "
        "Stored as its commit id.",
    )
    evidence = ReviewEvidenceSerializer(required=False)


class ReviewReplyCreateSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=10_000)


class ReviewHelpfulSerializer(serializers.Serializer):
    helpful_count = serializers.IntegerField()
    voted = serializers.BooleanField()
