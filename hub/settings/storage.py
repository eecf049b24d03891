"""Blobs and uploads: the blob store (local or S3), X-Accel downloads, GC,
LFS and inline upload limits."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from hub.env import (
    env_choice,
    env_int,
    env_path,
    env_size,
    env_str,
    parse_blob_store_url,
)
from hub.settings.base import VAR_DIR

# Blob store: content-addressed bytes (hub/storage). HUB_BLOB_STORE picks the
# backend: ``file:///absolute/path`` (the default, HUB_BLOB_ROOT) or
# ``s3://bucket[/prefix]`` with the HUB_S3_* variables below.
HUB_BLOB_ROOT = env_path("HUB_BLOB_ROOT", VAR_DIR / "blobs")
HUB_S3_BUCKET = ""
HUB_S3_PREFIX = ""
_blob_store = (env_str("HUB_BLOB_STORE") or "").strip()
if _blob_store:
    _store = parse_blob_store_url(_blob_store)
    if _store.scheme == "file":
        HUB_BLOB_ROOT = _store.path
    else:
        HUB_S3_BUCKET, HUB_S3_PREFIX = _store.bucket, _store.prefix
# S3: the endpoint the hub and workers talk to (inside the cluster) and the
# one put into presigned URLs handed to clients, so a presigned URL never
# names an internal address. Credentials: HUB_S3_ACCESS_KEY_ID and
# HUB_S3_SECRET_ACCESS_KEY (or *_FILE), else boto3's usual chain.
HUB_S3_ENDPOINT_URL = env_str("HUB_S3_ENDPOINT_URL") or None
HUB_S3_PUBLIC_ENDPOINT_URL = (
    env_str("HUB_S3_PUBLIC_ENDPOINT_URL") or HUB_S3_ENDPOINT_URL
)
HUB_S3_REGION = env_str("HUB_S3_REGION") or env_str("AWS_DEFAULT_REGION") or "us-east-1"
HUB_S3_ACCESS_KEY_ID = env_str("HUB_S3_ACCESS_KEY_ID") or None
HUB_S3_SECRET_ACCESS_KEY = env_str("HUB_S3_SECRET_ACCESS_KEY") or None
HUB_S3_ADDRESSING_STYLE = env_choice(
    "HUB_S3_ADDRESSING_STYLE",
    "path" if HUB_S3_ENDPOINT_URL else "auto",
    ("path", "virtual", "auto"),
)
# Lifetime of presigned download URLs: a quarantine takes effect for new
# downloads at once, for URLs already handed out after at most this long.
HUB_S3_DOWNLOAD_URL_TTL_SECONDS = env_int(
    "HUB_S3_DOWNLOAD_URL_TTL_SECONDS", 900, minimum=10
)
# Direct-to-S3 LFS uploads of this size or more use S3 multipart (5 GB is
# the single-PUT ceiling of S3).
HUB_S3_MULTIPART_THRESHOLD_BYTES = env_int(
    "HUB_S3_MULTIPART_THRESHOLD_BYTES", 64 * 1024 * 1024, minimum=5 * 1024 * 1024
)
# Behind nginx: local blobs are answered with ``X-Accel-Redirect: <prefix>
# <ab/cd/sha256>`` and nginx sends the bytes (deploy/nginx/hub.conf), so
# Python never reads a file on download. Empty: Python streams (sendfile).
HUB_BLOB_ACCEL_REDIRECT_PREFIX = env_str("HUB_BLOB_ACCEL_REDIRECT_PREFIX", "") or ""
if HUB_BLOB_ACCEL_REDIRECT_PREFIX and not (
    HUB_BLOB_ACCEL_REDIRECT_PREFIX.startswith("/")
    and HUB_BLOB_ACCEL_REDIRECT_PREFIX.endswith("/")
):
    raise ImproperlyConfigured(
        "HUB_BLOB_ACCEL_REDIRECT_PREFIX must start and end with '/' (e.g. /_blobs/)"
    )
# Unreferenced blobs younger than this are kept: an upload may be waiting for
# the commit that will reference it.
HUB_BLOB_GC_GRACE_SECONDS = env_int("HUB_BLOB_GC_GRACE_SECONDS", 24 * 3600, minimum=0)
HUB_UPLOAD_CHUNK_BYTES = env_int("HUB_UPLOAD_CHUNK_BYTES", 1024 * 1024, minimum=4096)
# Files of this size or more are stored as LFS objects (as the HF Hub does).
HUB_LFS_THRESHOLD_BYTES = env_int(
    "HUB_LFS_THRESHOLD_BYTES", 10 * 1024 * 1024, minimum=1
)

# Hugging Face protocol. Files up to this size are answered "regular" by
# preupload (inlined in the commit); larger ones "lfs", which clients with
# hf_xet upload through Xet (the hub's CAS, /xet) and older ones through Git
# LFS. 10 MB, the Hugging Face Hub's own rule for small files.
HUB_INLINE_UPLOAD_MAX_BYTES = env_int(
    "HUB_INLINE_UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=0
)
# Lifetime of the Xet access tokens (xet-read-token / xet-write-token) handed
# to clients, at most an hour. Every CAS call re-checks the grant (token
# revoked, account inactive, access lost), so this bounds only how often the
# client asks again. The client refreshes a minute before expiry, so a short
# lifetime costs a token request per minute at worst.
HUB_XET_TOKEN_TTL_SECONDS = env_int(
    "HUB_XET_TOKEN_TTL_SECONDS", 3600, minimum=120, maximum=3600
)
# Lifetime of the self-authenticating LFS upload URLs handed to clients (at
# most an hour; revoking the token that asked for one ends it at once).
HUB_LFS_UPLOAD_URL_TTL_SECONDS = env_int(
    "HUB_LFS_UPLOAD_URL_TTL_SECONDS", 3600, minimum=60, maximum=3600
)
# Part size of multipart LFS uploads (the client PUTs exactly this much).
HUB_LFS_MULTIPART_CHUNK_BYTES = env_int(
    "HUB_LFS_MULTIPART_CHUNK_BYTES", 64 * 1024 * 1024, minimum=5 * 1024 * 1024
)
# Uploads above this size use multipart LFS transfers. Locally stored parts
# are copied once more on completion, so single PUTs are faster: multipart is
# kept for very large files, where a failed part costs less than a retry.
HUB_LFS_MULTIPART_THRESHOLD_BYTES = env_int(
    "HUB_LFS_MULTIPART_THRESHOLD_BYTES", 4 * 1024 * 1024 * 1024, minimum=1
)
# Inline commit bodies (NDJSON with base64 content) may be this large.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int(
    "HUB_MAX_REQUEST_BODY_BYTES", 2 * HUB_INLINE_UPLOAD_MAX_BYTES, minimum=2621440
)

# Quotas per namespace (a user or an organisation; staff override them per
# namespace). Unset or empty: unlimited. Sizes take units: 50GB, 1.5GiB.
# Stored bytes are the logical size of every repo's files, history included
# (hub.catalog.quotas).
HUB_QUOTA_STORAGE_BYTES = env_size("HUB_QUOTA_STORAGE_BYTES")
HUB_QUOTA_FILE_BYTES = env_size("HUB_QUOTA_FILE_BYTES")
HUB_QUOTA_REPOS = (
    env_int("HUB_QUOTA_REPOS", 0, minimum=0)
    if (env_str("HUB_QUOTA_REPOS") or "").strip()
    else None
)
