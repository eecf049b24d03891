"""Django itself: paths, debug, secrets and hosts, HTTPS and headers, apps,
middleware, templates, the database, authentication and static files."""

from __future__ import annotations

import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from hub.env import (
    env_bool,
    env_int,
    env_list,
    env_path,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
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
    "django_otp",
    "django_otp.plugins.otp_totp",
    "hub.core",
    "hub.audit",
    "hub.accounts",
    "hub.licenses",
    "hub.storage",
    "hub.catalog",
    "hub.community",
    "hub.jobs",
    "hub.notifications",
    "hub.viewer",
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
    # Two-factor sign-in, revoked sessions, "last seen" (hub.accounts).
    "hub.accounts.middleware.AccountSessionMiddleware",
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
# Persistent connections: opening one costs a PostgreSQL backend process
# and an authentication, several times what a download's queries cost
# (issue 17: 12 ms of a 13 ms resolve). Each is checked before a request
# reuses it (one round trip), so a restarted server costs no failed request.
DATABASES = {
    "default": dj_database_url.parse(
        _database_url,
        conn_max_age=env_int("HUB_DB_CONN_MAX_AGE", 600, minimum=0),
        conn_health_checks=env_bool("HUB_DB_CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The same backend, without the health check's round trip on a
    # connection that answered a request within the last second.
    DATABASES["default"]["ENGINE"] = "hub.core.db.postgresql"
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
