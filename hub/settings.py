"""Model Commons settings: one module for every environment.

Environments differ only by environment variables (table in README.md).
With none set, the hub runs embedded: SQLite, blobs on local disk under
``var/``, and a Celery broker on the filesystem (no server needed).
"""

from __future__ import annotations

import os
import re
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from hub.core.ratelimit import rate_parse
from hub.env import (
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_path,
    env_str,
    parse_blob_store_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = env_path("HUB_VAR_DIR", BASE_DIR / "var")

DEBUG = env_bool("HUB_DEBUG", default=True)
_secret = env_str("SECRET_KEY")
if not _secret:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when HUB_DEBUG is false")
    _secret = "dev-only-insecure-key-change-me-" + "x" * 20
SECRET_KEY = _secret

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when HUB_DEBUG is false")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Behind a TLS-terminating proxy (production default). The proxy must set
# X-Forwarded-Proto; probes (/healthz, /readyz, /metrics) are answered by
# hub.ops before the HTTPS redirect and host validation, so kubelets can
# call a pod's IP over plain HTTP.
HUB_HTTPS = env_bool("HUB_HTTPS", default=not DEBUG)
SILENCED_SYSTEM_CHECKS: list[str] = []
if HUB_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("HUB_HSTS_SECONDS", 365 * 24 * 3600, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HUB_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("HUB_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Submitting a domain to the browsers' preload list is the domain
        # owner's decision, not the application's: opt in with
        # HUB_HSTS_PRELOAD=true.
        SILENCED_SYSTEM_CHECKS.append("security.W021")
# Nothing of the hub is meant to be framed (check --deploy wants DENY).
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every response (hub.core.middleware): scripts,
# styles, fonts and requests from the hub only, images from the hub and
# data: URLs, plus these sources (comma-separated, e.g.
# "https://images.example.org,https://*.cdn.example"). A model card's image
# on another site is not loaded unless its site is listed: readers are not
# tracked by whoever wrote the card.
HUB_CSP_IMG_SOURCES = env_list("HUB_CSP_IMG_SOURCES", [])
for _source in HUB_CSP_IMG_SOURCES:
    if not re.fullmatch(
        r"https?:|(https?://)?(\*\.)?[A-Za-z0-9.-]+(:[0-9]+)?(/[^\s;,'\"]*)?",
        _source,
    ):
        raise ImproperlyConfigured(
            f"HUB_CSP_IMG_SOURCES: {_source!r} is not a CSP source such as "
            "https://images.example.org"
        )
# Django's CSRF failure page would have an inline style and no layout.
CSRF_FAILURE_VIEW = "hub.web.views.errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Public base URL, used only where no request is at hand (e-mails, jobs).
HUB_PUBLIC_URL = (env_str("HUB_PUBLIC_URL", "http://127.0.0.1:8000") or "").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "hub.core",
    "hub.accounts",
    "hub.licenses",
    "hub.storage",
    "hub.catalog",
    "hub.community",
    "hub.jobs",
    "hub.notifications",
    "hub.reviews",
    "hub.moderation",
    "hub.web",
    "hub.ops",
]

MIDDLEWARE = [
    # Request ids, JSON access logs and request metrics wrap everything;
    # probes are answered before host validation and the HTTPS redirect.
    "hub.ops.middleware.RequestContextMiddleware",
    "hub.core.middleware.ContentSecurityPolicyMiddleware",
    "hub.ops.middleware.ProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "hub.core.middleware.RejectNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# /readyz runs these checks in order (hub.ops.readiness): dotted paths of
# functions that raise when something is down, each in the app that owns
# what it checks; a check reports under its name less "check_".
HUB_READINESS_CHECKS = [
    "hub.ops.readiness.check_database",
    "hub.ops.readiness.check_migrations",
    "hub.ops.readiness.check_broker",
    "hub.storage.readiness.check_blob_store",
    "workers.readiness.check_scanners",
]

ROOT_URLCONF = "hub.urls"
WSGI_APPLICATION = "hub.wsgi.application"
# The Hugging Face client never follows a redirect on POST correctly, so URLs
# are never rewritten with a trailing slash (docs: hf-protocol.md 1.7).
APPEND_SLASH = False

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hub.web.context_processors.site",
                "hub.notifications.context_processors.unread_notifications",
            ],
        },
    },
]

_database_url = env_str("DATABASE_URL")
if not _database_url:
    # Embedded default: the SQLite file lives in var/, created on first use.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    _database_url = f"sqlite:///{VAR_DIR / 'hub.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        _database_url,
        conn_max_age=env_int("HUB_DB_CONN_MAX_AGE", 0, minimum=0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process and the worker read while the other writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;"
    )
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": (
            "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
        )
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env_path("HUB_STATIC_ROOT", VAR_DIR / "static")

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
# preupload (inlined in the commit), so default clients with hf_xet installed
# upload them with no configuration; larger files go through LFS, which
# needs HF_HUB_DISABLE_XET=1 on huggingface_hub 1.x/2.x.
HUB_INLINE_UPLOAD_MAX_BYTES = env_int(
    "HUB_INLINE_UPLOAD_MAX_BYTES", 64 * 1024 * 1024, minimum=0
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

# Celery. Without a broker URL the embedded filesystem transport is used, so
# jobs still run asynchronously in a separate worker process, no server needed.
_broker = env_str("CELERY_BROKER_URL") or env_str("REDIS_URL")
CELERY_BROKER_URL = _broker or "filesystem://"
if not _broker:
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # Broadcast (remote control) messages; the default is ./control.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
        # The worker looks for new messages ten times a second (kombu's
        # default is once): a commit's checks start within 0.1 s.
        "polling_interval": 0.1,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TIMEZONE = "UTC"

# Cache: Redis when configured (rate limits shared by every web process),
# else per-process memory.
_cache_url = env_str("HUB_CACHE_URL") or env_str("REDIS_URL")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
        }
        if _cache_url
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Whether web processes and workers share the cache (a worker can then
# refresh cached catalog counts in the background: hub/catalog/filters.py).
HUB_SHARED_CACHE = bool(_cache_url)

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.v1.auth.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticatedOrReadOnly",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.v1.pagination.StandardPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # JSON through the project's one reader (size and depth caps).
    "DEFAULT_PARSER_CLASSES": [
        "api.v1.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "api.v1.throttling.TokenRateThrottle",
        "api.v1.throttling.IpRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": env_str("HUB_API_RATE_USER", "5000/hour"),
        "anon": env_str("HUB_API_RATE_ANON", "1000/hour"),
    },
    "EXCEPTION_HANDLER": "api.v1.exceptions.exception_handler",
    "DATETIME_FORMAT": "%Y-%m-%dT%H:%M:%S.%fZ",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# Rate limits beyond /api/v1 (issue 13, hole 12), counted like /api/v1's
# (hub.core.ratelimit). The HF protocol: per token (or signed-in user), else
# per client IP; 429 with Retry-After, which huggingface_hub honours. A
# snapshot_download spends about two requests per file
# (tests/e2e/test_hf_rate_limits.py), so an anonymous 300-file download uses a
# fifth of its window's budget.
HUB_HF_RATE_USER = env_str("HUB_HF_RATE_USER", "10000/5m")
HUB_HF_RATE_ANON = env_str("HUB_HF_RATE_ANON", "3000/5m")
for _rate_setting in ("HUB_HF_RATE_USER", "HUB_HF_RATE_ANON"):
    try:
        rate_parse(globals()[_rate_setting])
    except ValueError as exc:
        raise ImproperlyConfigured(f"{_rate_setting}: {exc}") from None
# Sign-in: after this many failed attempts an account (or a client IP, for
# any accounts) waits 1 s before its next attempt, then 2 s, 4 s, ... up to
# the maximum; failures are forgotten this long after the first one, and an
# account's at once on a successful sign-in.
HUB_SIGNIN_FREE_FAILURES = env_int("HUB_SIGNIN_FREE_FAILURES", 5, minimum=1)
HUB_SIGNIN_FREE_FAILURES_PER_IP = env_int(
    "HUB_SIGNIN_FREE_FAILURES_PER_IP", 30, minimum=1
)
HUB_SIGNIN_BACKOFF_MAX_SECONDS = env_int(
    "HUB_SIGNIN_BACKOFF_MAX_SECONDS", 900, minimum=1
)
HUB_SIGNIN_FAILURE_MEMORY_SECONDS = env_int(
    "HUB_SIGNIN_FAILURE_MEMORY_SECONDS", 3600, minimum=60
)
# Reverse proxies in front of the hub that append the address they saw to
# X-Forwarded-For (nginx of deploy/compose.yaml: 1). With 0, the header is
# ignored and the client is the connection's peer: a header anyone can send
# must not choose whose rate limit a request counts against.
HUB_PROXY_COUNT = env_int("HUB_PROXY_COUNT", 0, minimum=0)

SPECTACULAR_SETTINGS = {
    "TITLE": "Model Commons API",
    "DESCRIPTION": "The catalog of a Model Commons hub: models, files, commits, "
    "licenses, organizations, tokens and checks.",
    "VERSION": "1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI is served from the vendored sidecar, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No badge image from the public validator (blocked by the CSP anyway).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}

# Logs: one JSON object per line in production (HUB_LOG_FORMAT=json), each
# carrying the request id (X-Request-ID, set by nginx or generated) or the
# Celery task id. Celery keeps this configuration instead of its own.
HUB_LOG_FORMAT = env_choice(
    "HUB_LOG_FORMAT", "text" if DEBUG else "json", ("text", "json")
)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "hub.ops.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "hub.ops.logs.JsonFormatter"},
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": HUB_LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("HUB_LOG_LEVEL", "INFO")},
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# /metrics (Prometheus). With HUB_METRICS_TOKEN set, scrapers must send it as
# a bearer token. Under gunicorn with several processes, set
# PROMETHEUS_MULTIPROC_DIR (deploy/gunicorn.conf.py does) so every process's
# counters are summed.
HUB_METRICS_TOKEN = env_str("HUB_METRICS_TOKEN") or ""

# Jobs. A run queued this long without being picked up is sent again; a
# running run without a heartbeat this long is requeued (worker died), and a
# run is errored after HUB_JOB_MAX_ATTEMPTS attempts.
HUB_JOB_RESEND_AFTER_SECONDS = env_int("HUB_JOB_RESEND_AFTER_SECONDS", 120, minimum=1)
HUB_JOB_STALE_AFTER_SECONDS = env_int("HUB_JOB_STALE_AFTER_SECONDS", 900, minimum=1)
HUB_JOB_MAX_ATTEMPTS = env_int("HUB_JOB_MAX_ATTEMPTS", 3, minimum=1)
# Total bytes one commit may hold (0: no quota).
HUB_REPO_QUOTA_BYTES = env_int("HUB_REPO_QUOTA_BYTES", 0, minimum=0)

# Evaluations (issue 7; README "Evaluations and leaderboard"). Unset
# HUB_EVAL_ENABLED means "on when the .[eval] extra is installed".
HUB_EVAL_ENABLED = (
    None if env_str("HUB_EVAL_ENABLED") is None else env_bool("HUB_EVAL_ENABLED", True)
)
HUB_EVAL_MAX_TIER = env_str("HUB_EVAL_MAX_TIER", "s")
if HUB_EVAL_MAX_TIER not in ("xs", "s", "m", "l", "xl"):
    raise ImproperlyConfigured("HUB_EVAL_MAX_TIER must be one of xs, s, m, l, xl")
HUB_EVAL_TIMEOUT_SECONDS = env_int("HUB_EVAL_TIMEOUT_SECONDS", 1800, minimum=5)
HUB_EVAL_THREADS = env_int("HUB_EVAL_THREADS", min(2, os.cpu_count() or 1), minimum=1)
HUB_EVAL_MAX_RUNNING_PER_OWNER = env_int("HUB_EVAL_MAX_RUNNING_PER_OWNER", 1, minimum=1)
HUB_EVAL_MAX_QUEUED_REQUESTS_PER_USER = env_int(
    "HUB_EVAL_MAX_QUEUED_REQUESTS_PER_USER", 10, minimum=1
)
HUB_EVAL_ALLOW_NO_NETWORK_ISOLATION = env_bool(
    "HUB_EVAL_ALLOW_NO_NETWORK_ISOLATION", False
)
HUB_EVAL_WORKDIR = env_path(
    "HUB_EVAL_WORKDIR", Path(tempfile.gettempdir()) / "model-commons-evals"
)

# Queues and routes live in workers/routing.py (applied by the Celery app).
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Seconds between reconciler passes; 0 (default): once a minute on the
# minute. Shorter intervals shorten recovery after a broker or worker loss.
_reconcile_every = env_int("HUB_RECONCILE_INTERVAL_SECONDS", 0, minimum=0)
CELERY_BEAT_SCHEDULE = {
    # Every minute: https://crontab.guru/#*_*_*_*_* (or every
    # HUB_RECONCILE_INTERVAL_SECONDS when set).
    "jobs-reconcile": {
        "task": "jobs.reconcile",
        "schedule": (
            timedelta(seconds=_reconcile_every) if _reconcile_every else crontab()
        ),
    },
    # Every hour at minute 17: https://crontab.guru/#17_*_*_*_*
    "blob-gc": {
        "task": "storage.collect_garbage",
        "schedule": crontab(minute=17),
    },
    # Every minute: the whole catalog's facet counts and total stay cached
    # (hub/catalog/filters.py), so the first page never waits for them.
    "catalog-facets": {
        "task": "catalog.refresh_facets",
        "schedule": crontab(),
    },
    # Every hour at minute 7: https://crontab.guru/#7_*_*_*_*
    "catalog-trending": {
        "task": "catalog.recompute_trending",
        "schedule": crontab(minute=7),
    },
}
