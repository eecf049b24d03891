from __future__ import annotations

from django.db import models


class Blob(models.Model):
    """Content stored once in the blob store, addressed by its SHA-256.

    A row exists only once the bytes are in place with a verified digest, so
    a commit may reference any Blob row that is not quarantined.
    """

    sha256 = models.CharField(max_length=64, primary_key=True)
    size = models.BigIntegerField()
    # git blob id of the content itself ("blob <size>\0<bytes>"), filled in
    # the first time a commit stores this blob as a regular (non-LFS) file.
    git_sha1 = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    is_quarantined = models.BooleanField(default=False, db_index=True)
    quarantine_reason = models.TextField(blank=True)
    quarantined_at = models.DateTimeField(null=True, blank=True)
    # When the first final safety verdict on this content was recorded. Until
    # then, content that could carry code is served to maintainers only.
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(size__gte=0), name="blob_size_nonneg"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sha256[:12]} ({self.size} B)"


class BlobClaim(models.Model):
    """A user proved they hold this content by uploading it (hash verified).

    Content is stored once for everyone, so knowing a digest must not be
    enough to put someone else's private file into one's own repo: a commit
    may reference a blob only if its author uploaded it or can already read
    a repo that contains it.
    """

    blob = models.ForeignKey(
        "storage.Blob", on_delete=models.CASCADE, related_name="claims"
    )
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blob", "user"], name="blobclaim_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} holds {self.blob_id[:12]}"
