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


class LicenseAcceptance(models.Model):
    """A user's request to access a gated repo, by accepting its license terms.

    ``gated=auto`` repos accept at once; ``gated=manual`` repos wait for a
    maintainer's decision. One row per (repo, user); its status changes.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    repo = models.ForeignKey(
        "catalog.ModelRepo", on_delete=models.CASCADE, related_name="acceptances"
    )
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="license_acceptances"
    )
    status = models.CharField(max_length=8, choices=Status.choices)
    # What the user agreed to: the repo's license id at the time.
    license_id = models.CharField(max_length=64, blank=True)
    fields = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["repo", "user"], name="licenseacceptance_one_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.repo_id}: {self.status}"
