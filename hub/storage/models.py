from __future__ import annotations

from django.db import models


class Blob(models.Model):
    """Content stored once, addressed by its SHA-256.

    Bytes sent through the blob store are verified before the row exists.
    Bytes sent through Xet (``in_store`` false) carry the digest the
    uploader's shard declared until a worker has rebuilt and hashed them
    (``xet_file.verified_at``); until then only the uploader may commit them
    and their checks stay pending.
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
    # Where the bytes live: in the blob store under the digest (``in_store``),
    # or only as a Xet file rebuilt from xorbs. ``xet_file`` is also set for
    # stored content whose Xet form is known, so Xet clients can fetch it.
    in_store = models.BooleanField(default=True)
    xet_file = models.ForeignKey(
        "storage.XetFile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="blobs",
    )

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


class XetXorb(models.Model):
    """A verified xorb stored in the ``xorbs`` key space (Xet storage).

    A row exists only once every chunk decoded to its declared size and the
    chunk hashes form the xorb's hash (its key). ``chunk_table`` packs, per
    chunk, its hash (32 bytes), the offset of its header in the serialized
    xorb (u32) and its uncompressed size (u32): what reconstruction, shard
    checks and dedup answers need without reading the xorb again.
    """

    hash = models.CharField(max_length=64, primary_key=True)  # hex (spec form)
    size = models.BigIntegerField()  # serialized bytes, as stored
    unpacked_size = models.BigIntegerField()
    chunk_count = models.IntegerField()
    chunk_table = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"xorb {self.hash[:12]} ({self.size} B)"


class XorbClaim(models.Model):
    """A user may reference this xorb's chunks in their shards.

    Granted when they uploaded it, or when a dedup answer they were allowed
    to see offered it (only for content they can already download).
    """

    xorb = models.ForeignKey(
        "storage.XetXorb", on_delete=models.CASCADE, related_name="claims"
    )
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["xorb", "user"], name="xorbclaim_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} may use xorb {self.xorb_id[:12]}"


class XetFile(models.Model):
    """A file registered by a shard: its Xet id, size, declared SHA-256 and
    reconstruction terms.

    ``terms`` packs, per term, the xorb hash (32 bytes, raw), chunk start and
    end (u32, end exclusive) and unpacked length (u32). The SHA-256 comes
    from the uploader's shard and is trusted only once ``verified_at`` is
    set: a worker rebuilt the file from its xorbs and hashed it.
    """

    hash = models.CharField(max_length=64, primary_key=True)  # file id, hex
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.BigIntegerField()
    terms = models.BinaryField()
    xorbs = models.ManyToManyField(
        "storage.XetXorb", through="storage.XetFileXorb", related_name="files"
    )
    uploaded_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    # Why verification failed (the rebuilt bytes do not hash to ``sha256``).
    verify_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"xet file {self.hash[:12]} ({self.size} B)"


class XetFileXorb(models.Model):
    """Which xorbs a file's terms use (GC, accounting, dedup visibility)."""

    file = models.ForeignKey("storage.XetFile", on_delete=models.CASCADE)
    xorb = models.ForeignKey("storage.XetXorb", on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["file", "xorb"], name="xetfilexorb_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.file_id[:12]} uses {self.xorb_id[:12]}"


class XetShard(models.Model):
    """A shard a client uploaded, kept in the ``shards`` key space."""

    hash = models.CharField(max_length=64, primary_key=True)  # sha256 of bytes
    size = models.BigIntegerField()
    uploaded_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    files = models.ManyToManyField("storage.XetFile", related_name="shards")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"shard {self.hash[:12]} ({self.size} B)"


class XetDedupChunk(models.Model):
    """A chunk eligible for global dedup (the spec's rule) and its xorb."""

    chunk_hash = models.CharField(max_length=64, primary_key=True)  # hex
    xorb = models.ForeignKey(
        "storage.XetXorb", on_delete=models.CASCADE, related_name="+"
    )

    def __str__(self) -> str:
        return f"chunk {self.chunk_hash[:12]} in {self.xorb_id[:12]}"
