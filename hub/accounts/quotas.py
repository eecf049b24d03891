"""Quota limits of a namespace: the hub's defaults and staff's overrides.

Three limits apply to every namespace (a user or an organisation): stored
bytes, number of repositories and size of one file. The hub-wide defaults
are ``HUB_QUOTA_STORAGE_BYTES``, ``HUB_QUOTA_REPOS`` and
``HUB_QUOTA_FILE_BYTES`` (unset: unlimited); staff override any of them per
namespace (``NamespaceQuota`` rows), and only staff: an organisation's
admins cannot raise their own limits. What counts as usage, and where the
limits are enforced, is ``hub.catalog.quotas``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.db import transaction

from hub.accounts.actors import Actor, user_is_active
from hub.accounts.models import Namespace, NamespaceQuota
from hub.audit.services import audit_record
from hub.core.errors import AuthenticationError, PermissionDeniedError, ValidationError
from hub.core.sizes import parse_size

# What staff may set a limit to: a number, "unlimited" (None) or back to the
# hub's default.
DEFAULT: Literal["default"] = "default"
UNLIMITED = "unlimited"
QuotaValue = int | None | Literal["default"]

KINDS = tuple(NamespaceQuota.Kind.values)
_DEFAULT_SETTING = {
    NamespaceQuota.Kind.STORAGE: "HUB_QUOTA_STORAGE_BYTES",
    NamespaceQuota.Kind.REPOS: "HUB_QUOTA_REPOS",
    NamespaceQuota.Kind.FILE: "HUB_QUOTA_FILE_BYTES",
}


@dataclass(frozen=True)
class QuotaLimits:
    """The limits in force for a namespace (None: unlimited) and which of
    them staff set for it (the others are the hub's defaults)."""

    storage_bytes: int | None
    repos: int | None
    file_bytes: int | None
    overridden: frozenset[str]

    def limit(self, kind: str) -> int | None:
        return {
            NamespaceQuota.Kind.STORAGE: self.storage_bytes,
            NamespaceQuota.Kind.REPOS: self.repos,
            NamespaceQuota.Kind.FILE: self.file_bytes,
        }[NamespaceQuota.Kind(kind)]


def quota_default(kind: str) -> int | None:
    """The hub-wide limit of ``kind`` (None: unlimited)."""
    value = getattr(settings, _DEFAULT_SETTING[NamespaceQuota.Kind(kind)], None)
    return None if value is None else int(value)


def namespace_limits(*, namespace: Namespace) -> QuotaLimits:
    """The limits in force for ``namespace``: staff's override, else the
    default. One query."""
    rows = dict(
        NamespaceQuota.objects.filter(namespace=namespace).values_list("kind", "limit")
    )
    values = {
        kind: rows[kind] if kind in rows else quota_default(kind) for kind in KINDS
    }
    return QuotaLimits(
        storage_bytes=values[NamespaceQuota.Kind.STORAGE],
        repos=values[NamespaceQuota.Kind.REPOS],
        file_bytes=values[NamespaceQuota.Kind.FILE],
        overridden=frozenset(rows),
    )


def quota_value_parse(kind: str, raw: object) -> QuotaValue:
    """What staff typed: ``default``, ``unlimited``, a count (repos) or a
    size (``50GB``, ``1.5GiB``, bytes). ValidationError says what to type."""
    text = str(raw).strip().lower() if not isinstance(raw, bool) else ""
    if text == DEFAULT:
        return DEFAULT
    if text == UNLIMITED:
        return None
    if kind == NamespaceQuota.Kind.REPOS:
        if text.isdigit():
            return int(text)
        raise ValidationError(
            f"repos: {raw!r} is not a number of repositories (or 'unlimited', "
            "'default')."
        )
    try:
        return parse_size(text)
    except ValueError as exc:
        raise ValidationError(
            f"{kind}: {exc} Or 'unlimited', or 'default' for the hub's default."
        ) from None


def _require_staff(actor: Actor) -> None:
    if not actor.is_authenticated:
        raise AuthenticationError("Sign in (or send a token) to change quotas.")
    if not user_is_active(actor.user) or not actor.user.is_staff:
        raise PermissionDeniedError("Only staff can change quotas.")
    if actor.is_read_only or actor.is_repo_limited:
        raise PermissionDeniedError(
            "Changing quotas needs a signed-in session or a write token that is "
            "not limited to repositories."
        )


def _shown(value: int | None) -> int | str:
    return UNLIMITED if value is None else value


@transaction.atomic
def namespace_quota_set(
    *, actor: Actor, namespace: Namespace, changes: Mapping[str, object]
) -> QuotaLimits:
    """Set (or reset to the default) some limits of ``namespace``: staff only.

    ``changes`` maps a kind (storage, repos, file) to what staff typed
    (``quota_value_parse``: a size or count, ``unlimited``, ``default``;
    an int is a count of bytes or repositories). Records ``user.quota_set``
    or ``org.quota_set`` with each limit before and after. Raises AuthenticationError,
    PermissionDeniedError (not staff, a read or repo-limited token) and
    ValidationError (an unknown kind); nothing changes on error.
    """
    _require_staff(actor)
    unknown = sorted(set(changes) - set(KINDS))
    if unknown:
        raise ValidationError(
            f"Unknown quota {', '.join(unknown)}: use {', '.join(KINDS)}."
        )
    parsed = {kind: quota_value_parse(kind, raw) for kind, raw in changes.items()}
    before = namespace_limits(namespace=namespace)
    for kind, value in parsed.items():
        if value == DEFAULT:
            NamespaceQuota.objects.filter(namespace=namespace, kind=kind).delete()
        else:
            NamespaceQuota.objects.update_or_create(
                namespace=namespace, kind=kind, defaults={"limit": value}
            )
    after = namespace_limits(namespace=namespace)
    is_org = namespace.kind == Namespace.Kind.ORGANIZATION
    audit_record(
        "org.quota_set" if is_org else "user.quota_set",
        actor=actor.user,
        organization=namespace.name if is_org else "",
        target=namespace.name,
        details={
            kind: {
                "from": _shown(before.limit(kind)),
                "to": _shown(after.limit(kind)),
                "default": kind not in after.overridden,
            }
            for kind in changes
        },
    )
    return after
