"""Validation of namespace names, repo names and file paths inside a repo.

One place for these rules: accounts (user and org names), catalog (repo
names, file paths) and both APIs call these functions. The rules follow
what the huggingface_hub client accepts (hf-protocol.md 1.7) so that
anything the hub accepts, the client can address.
"""

from __future__ import annotations

import re
import unicodedata

from hub.core.errors import ValidationError

# First URL segments that the HF client or this hub's own URLs treat as
# prefixes; a namespace with one of these names could never be addressed.
RESERVED_NAMESPACES = frozenset(
    {
        "api",
        "models",
        "datasets",
        "spaces",
        "kernels",
        "buckets",
        "admin",
        "settings",
        "static",
        "media",
        "new",
        "login",
        "logout",
        "signup",
        "join",
        "account",
        "accounts",
        "organizations",
        "orgs",
        "docs",
        "search",
        "licenses",
        "leaderboard",
        "notifications",
        "moderation",
        "healthz",
        "readyz",
        "metrics",
        "upload",
        "blog",
        "help",
        "about",
        "pricing",
        "papers",
        "collections",
        "huggingface",
        "root",
        "none",
        "null",
    }
)

# Repo types and the URL segment of each, as the HF client builds its URLs
# (``/api/datasets/...``, ``/datasets/ns/name/resolve/...``).
REPO_TYPES = ("model", "dataset", "space")
REPO_TYPE_PLURALS = {"model": "models", "dataset": "datasets", "space": "spaces"}
_URL_PREFIXES = {"model": "", "dataset": "datasets/", "space": "spaces/"}
_PREFIX_TYPES = {"datasets": "dataset", "spaces": "space"}


def repo_typed_id(repo_type: str, namespace: str, name: str) -> str:
    """``ns/name`` with the type's URL prefix: ``ns/name`` for a model,
    ``datasets/ns/name``, ``spaces/ns/name``. Web pages, redirects, audit
    records and repo-limited tokens name repos by it."""
    return f"{_URL_PREFIXES[repo_type]}{namespace}/{name}"


def repo_typed_id_split(typed_id: str) -> tuple[str, str, str] | None:
    """``(repo_type, namespace, name)`` of a typed id, or None if malformed."""
    parts = typed_id.split("/")
    repo_type = "model"
    if len(parts) == 3:
        repo_type = _PREFIX_TYPES.get(parts[0], "")
        parts = parts[1:]
    if len(parts) != 2 or not repo_type or not all(parts):
        return None
    return repo_type, parts[0], parts[1]


_NAME_RE = re.compile(r"^[A-Za-z0-9._-]{1,96}$")
MAX_NAME_LENGTH = 96


def validate_repo_part(value: str, *, what: str = "name") -> str:
    """Check one part of a repo id (namespace or repo name) as the HF client does.

    1-96 characters of ``[A-Za-z0-9._-]``, no ``--`` or ``..``, not starting or
    ending with ``-`` or ``.``, not ending in ``.git``. Raises ValidationError.
    """
    if not isinstance(value, str) or not value:
        raise ValidationError(f"The {what} must not be empty.")
    if len(value) > MAX_NAME_LENGTH:
        raise ValidationError(
            f"The {what} {value[:20]!r}... is too long: at most {MAX_NAME_LENGTH} "
            "characters."
        )
    if not _NAME_RE.match(value):
        raise ValidationError(
            f"The {what} {value!r} may only contain letters, digits, '-', '_' and '.'."
        )
    if "--" in value or ".." in value:
        raise ValidationError(f"The {what} {value!r} must not contain '--' or '..'.")
    if value[0] in "-." or value[-1] in "-.":
        raise ValidationError(
            f"The {what} {value!r} must not start or end with '-' or '.'."
        )
    if value.lower().endswith(".git"):
        raise ValidationError(f"The {what} {value!r} must not end with '.git'.")
    return value


def validate_namespace_name(value: str) -> str:
    """A user or organization name: a valid repo part that is not reserved."""
    validate_repo_part(value, what="namespace name")
    if value.lower() in RESERVED_NAMESPACES:
        raise ValidationError(
            f"The name {value!r} is reserved: choose another one.",
            details={"reserved": sorted(RESERVED_NAMESPACES)},
        )
    return value


def validate_repo_name(value: str) -> str:
    return validate_repo_part(value, what="repository name")


MAX_PATH_LENGTH = 1024
MAX_PATH_COMPONENT = 255

# Characters that make a path look like another one: bidi controls reorder
# what is shown ("gpt\u202egnp.exe" reads as "gptexe.png"), zero-width
# characters hide inside a name (".g\u200bit"), and look-alike slashes draw a
# folder that is not one. Pages, terminals and file managers render them, so
# a reviewer reads another name than the one stored (issue 13, hole 6).
_DECEPTIVE_CHARACTERS = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)]  # LRE, RLE, PDF, LRO, RLO
    + [chr(c) for c in range(0x2066, 0x206A)]  # LRI, RLI, FSI, PDI
    + ["\u200e", "\u200f", "\u061c"]  # LRM, RLM, ARABIC LETTER MARK
    + ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]  # zero-width
    + ["\u2215", "\u2044", "\uff0f", "\u29f8"]  # look-alike slashes
)
# Folder names a checkout treats as its git directory: ".git", and on Windows
# its 8.3 short name (git refuses both; CVE-2014-9390). A ".git" folder below
# the root turns "git status" there into running its core.fsmonitor command.
_GIT_DIR_NAMES = frozenset({".git", "git~1"})


def _character_name(ch: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``: how a message names a character."""
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'UNNAMED CHARACTER')}"


def validate_repo_path(value: str) -> str:
    """Check a file path inside a repository and return it unchanged.

    Paths are keys in the database only (storage keys come from hashes), but
    they end up in users' checkouts, so anything that is ambiguous or unsafe
    on a filesystem is refused: empty or absolute paths, ``.``/``..``
    segments, backslashes, control characters, doubled or trailing slashes,
    a ``.git`` folder at any depth (any case), characters that disguise a
    name (bidi controls, zero-width characters, look-alike slashes; the
    message names the character), segments that are only whitespace or end
    in a space or a dot (Windows drops those), and paths not in Unicode NFC
    form. Raises ValidationError.
    """
    _check_path_whole(value)
    for part in value.split("/"):
        _check_path_segment(value, part)
    return value


def _check_path_whole(value: str) -> None:
    """The checks of validate_repo_path on the path as a whole, in order."""
    if not isinstance(value, str) or value == "":
        raise ValidationError("A file path must not be empty.")
    if len(value.encode("utf-8")) > MAX_PATH_LENGTH:
        raise ValidationError(
            f"The path {value[:40]!r}... is too long: at most {MAX_PATH_LENGTH} bytes."
        )
    if "\\" in value:
        raise ValidationError(
            f"The path {value!r} contains a backslash: use '/' to separate folders."
        )
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        raise ValidationError(f"The path {value!r} contains a control character.")
    deceptive = next((ch for ch in value if ch in _DECEPTIVE_CHARACTERS), None)
    if deceptive is not None:
        raise ValidationError(
            f"The path {value!r} contains {_character_name(deceptive)}, which "
            "makes a name look like another one: remove it.",
            details={"character": f"U+{ord(deceptive):04X}"},
        )
    if value.startswith("/"):
        raise ValidationError(
            f"The path {value!r} is absolute: give it relative to the repository root."
        )
    if value.endswith("/"):
        raise ValidationError(f"The path {value!r} ends with '/': name a file.")
    if unicodedata.normalize("NFC", value) != value:
        raise ValidationError(
            f"The path {value!r} is not in Unicode NFC form: normalize it first."
        )


def _check_path_segment(value: str, part: str) -> None:
    """The checks of validate_repo_path on one segment of the path, in order."""
    if part == "":
        raise ValidationError(f"The path {value!r} contains an empty segment ('//').")
    if part in (".", ".."):
        raise ValidationError(
            f"The path {value!r} contains a '{part}' segment: paths must be canonical."
        )
    if len(part.encode("utf-8")) > MAX_PATH_COMPONENT:
        raise ValidationError(
            f"A segment of {value!r} is longer than {MAX_PATH_COMPONENT} bytes."
        )
    if part.lower() in _GIT_DIR_NAMES:
        raise ValidationError(
            f"The path {value!r} contains {part!r}, which a git checkout "
            "treats as its own '.git' directory: rename it."
        )
    if part.isspace():
        raise ValidationError(
            f"The path {value!r} has a segment that is only whitespace."
        )
    if part[-1].isspace() or part[-1] == ".":
        raise ValidationError(
            f"The path {value!r} has a segment {part!r} ending in "
            f"{'a dot' if part[-1] == '.' else 'a space'}, which Windows "
            "drops: remove it."
        )


def validate_folder_path(value: str) -> str:
    """A folder path for delete-folder operations: like a file path, '/' optional."""
    return validate_repo_path(value.rstrip("/"))


_HEX40_RE = re.compile(r"^[0-9a-f]{40}$")
_REF_FORBIDDEN = set(" ~^:?*[\\")
MAX_REF_LENGTH = 255


def is_commit_oid(value: str) -> bool:
    return bool(_HEX40_RE.match(value))


def validate_ref_name(value: str, *, what: str = "branch name") -> str:
    """A branch or tag name that git would accept and that is unambiguous here.

    git's check-ref-format rules, plus: not a 40-hex string (it would read as
    a commit id) and not under ``refs/`` (reserved for pull requests).
    """
    if not isinstance(value, str) or not value:
        raise ValidationError(f"The {what} must not be empty.")
    if len(value) > MAX_REF_LENGTH:
        raise ValidationError(
            f"The {what} is too long: at most {MAX_REF_LENGTH} characters."
        )
    problems = []
    if any(ch in _REF_FORBIDDEN or unicodedata.category(ch) == "Cc" for ch in value):
        problems.append(
            "spaces, control characters and any of ~^:?*[\\ are not allowed"
        )
    if ".." in value or "//" in value or "@{" in value or value == "@":
        problems.append("'..', '//', '@{' and a lone '@' are not allowed")
    if value.startswith(("/", "-", ".")) or value.endswith(("/", ".", ".lock")):
        problems.append(
            "it must not start with '/', '-' or '.', nor end with '/', '.' or '.lock'"
        )
    if any(part.startswith(".") for part in value.split("/")):
        problems.append("no segment may start with '.'")
    if value.startswith("refs/"):
        problems.append("names under 'refs/' are reserved for pull requests")
    if is_commit_oid(value):
        problems.append("a 40-hex name would be read as a commit id")
    if problems:
        raise ValidationError(f"Invalid {what} {value!r}: " + "; ".join(problems) + ".")
    return value
