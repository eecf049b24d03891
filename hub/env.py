"""Typed readers for environment variables.

Every setting comes from the environment (see README, "Configuration"). A
malformed value raises ImproperlyConfigured at start-up instead of surfacing
later as a confusing runtime error. Secrets may come from ``NAME_FILE``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from hub.core.sizes import parse_size

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    """Return the variable, or the content of the file named by NAME_FILE."""
    value = os.environ.get(name)
    if value is not None:
        return value
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_name!r}: {exc}") from exc
    return default


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true or false)")


def env_int(
    name: str, default: int, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from exc
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} must be at least {minimum}")
    if maximum is not None and value > maximum:
        raise ImproperlyConfigured(f"{name}={value} must be at most {maximum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_path(name: str, default: Path) -> Path:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    path = Path(raw).expanduser()
    if not path.is_absolute():
        raise ImproperlyConfigured(f"{name}={raw!r} must be an absolute path")
    return path


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value not in choices:
        raise ImproperlyConfigured(
            f"{name}={raw!r} must be one of {', '.join(choices)}"
        )
    return value


@dataclass(frozen=True)
class BlobStoreUrl:
    """HUB_BLOB_STORE parsed: ``file`` with a path, or ``s3`` with a bucket."""

    scheme: str
    path: Path = Path("/")
    bucket: str = ""
    prefix: str = ""


# S3 bucket names: 3-63 lowercase letters, digits, dots and hyphens.
_BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")


def parse_blob_store_url(raw: str) -> BlobStoreUrl:
    """``file:///abs/path`` or ``s3://bucket[/prefix]``; anything else raises."""
    parsed = urlsplit(raw)
    if parsed.scheme == "file":
        if parsed.netloc not in ("", "localhost") or not parsed.path.startswith("/"):
            raise ImproperlyConfigured(
                f"HUB_BLOB_STORE={raw!r}: a file store needs an absolute path "
                "(file:///var/lib/hub/blobs)"
            )
        return BlobStoreUrl(scheme="file", path=Path(parsed.path))
    if parsed.scheme == "s3":
        if not _BUCKET_RE.match(parsed.netloc):
            raise ImproperlyConfigured(
                f"HUB_BLOB_STORE={raw!r}: {parsed.netloc!r} is not an S3 bucket name"
            )
        prefix = parsed.path.strip("/")
        return BlobStoreUrl(
            scheme="s3", bucket=parsed.netloc, prefix=f"{prefix}/" if prefix else ""
        )
    raise ImproperlyConfigured(
        f"HUB_BLOB_STORE={raw!r} must be file:///path or s3://bucket[/prefix]"
    )


def env_size(name: str) -> int | None:
    """A byte count (``50GB``, ``1.5GiB``, ``123``) or None when unset/empty."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return None
    try:
        return parse_size(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}: {exc}") from exc
