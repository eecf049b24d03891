"""The services around the hub: Celery's broker, the cache, the REST
framework and its schema, rate limits and sign-in back-off, logs, metrics."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from hub.core.ratelimit import rate_parse
from hub.env import (
    env_choice,
    env_int,
    env_str,
)
from hub.settings.base import DEBUG, VAR_DIR

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
            "BACKEND": "hub.core.cache.RedisCache",
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
    # Request bodies are documented as JSON, the format the API is meant to be
    # used with; the form parsers stay for curl -F habits but are not offered
    # to client generators (openapi-python-client, given three content types
    # for one body, sends the last one).
    "PARSER_WHITELIST": ["api.v1.parsers.BoundedJSONParser"],
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
