"""The license catalog: list with term flags (filterable) and detail."""

from __future__ import annotations

from typing import Any

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets

from api.v1.etag import ETagRetrieveMixin
from api.v1.serializers.licenses import LicenseSerializer
from api.v1.views.repo_base import CleanPathMixin
from hub.licenses.models import License
from hub.licenses.selectors import license_get, license_list


class LicenseFilter(django_filters.FilterSet):
    """Filter by kind and by term flags (``?allows_commercial_use=true``).

    A flag left unknown for a license (null) matches neither true nor false.
    """

    kind = django_filters.ChoiceFilter(choices=License.Kind.choices)
    allows_commercial_use = django_filters.BooleanFilter()
    allows_derivatives = django_filters.BooleanFilter()
    requires_attribution = django_filters.BooleanFilter()
    requires_share_alike = django_filters.BooleanFilter()
    has_use_restrictions = django_filters.BooleanFilter()
    requires_acceptance = django_filters.BooleanFilter()

    class Meta:
        model = License
        fields = [
            "kind",
            "allows_commercial_use",
            "allows_derivatives",
            "requires_attribution",
            "requires_share_alike",
            "has_use_restrictions",
            "requires_acceptance",
        ]


@extend_schema(tags=["licenses"])
class LicenseViewSet(
    CleanPathMixin,
    ETagRetrieveMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Licenses the hub accepts in model cards, by id (ids may contain dots)."""

    serializer_class = LicenseSerializer
    filterset_class = LicenseFilter
    lookup_field = "id"
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> Any:
        return license_list()

    def get_object(self) -> License:
        return license_get(license_id=self.kwargs["id"])


def register(router: Any) -> None:
    router.register("licenses", LicenseViewSet, basename="api-v1-license")
