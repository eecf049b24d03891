from __future__ import annotations

from django.db import models


class License(models.Model):
    """A license id the hub accepts in model cards, with what it permits.

    Loaded from ``hub/licenses/data/licenses.json`` by a data migration. The
    term flags answer the questions users ask of a license: may I use it
    commercially, may I publish derivatives, must I credit, must derivatives
    keep the license, are there use-based restrictions, must I accept terms
    before downloading.
    """

    class Kind(models.TextChoices):
        SPDX = "spdx", "SPDX license"
        MODEL = "model", "Model license"
        SPECIAL = "special", "Special value"

    id = models.CharField(max_length=64, primary_key=True)
    name = models.CharField(max_length=200)
    url = models.URLField(max_length=500, blank=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    spdx_id = models.CharField(max_length=64, blank=True)
    allows_commercial_use = models.BooleanField(null=True)
    allows_derivatives = models.BooleanField(null=True)
    requires_attribution = models.BooleanField(null=True)
    requires_share_alike = models.BooleanField(null=True)
    has_use_restrictions = models.BooleanField(default=False)
    requires_acceptance = models.BooleanField(default=False)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.id
