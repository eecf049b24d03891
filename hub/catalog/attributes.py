"""Which files are stored as LFS objects: one rule for every interface.

A file is LFS when the repo's ``.gitattributes`` marks it ``filter=lfs`` or
when it is at least HUB_LFS_THRESHOLD_BYTES, as on the Hugging Face Hub.
The HF protocol's preupload answer and the commit service both call
``is_lfs_path`` so they always agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings

# The .gitattributes a new repo starts with (the Hugging Face Hub's default,
# plus GGUF).
DEFAULT_LFS_PATTERNS = (
    "*.7z",
    "*.arrow",
    "*.bin",
    "*.bz2",
    "*.ckpt",
    "*.ftz",
    "*.gguf",
    "*.gz",
    "*.h5",
    "*.joblib",
    "*.lfs.*",
    "*.mlmodel",
    "*.model",
    "*.msgpack",
    "*.npy",
    "*.npz",
    "*.onnx",
    "*.ot",
    "*.parquet",
    "*.pb",
    "*.pickle",
    "*.pkl",
    "*.pt",
    "*.pth",
    "*.rar",
    "*.safetensors",
    "saved_model/**/*",
    "*.tar.*",
    "*.tar",
    "*.tflite",
    "*.tgz",
    "*.wasm",
    "*.xz",
    "*.zip",
    "*.zst",
    "*tfevents*",
)
DEFAULT_GITATTRIBUTES = "".join(
    f"{pattern} filter=lfs diff=lfs merge=lfs -text\n"
    for pattern in DEFAULT_LFS_PATTERNS
)


@dataclass(frozen=True)
class LfsRules:
    patterns: tuple[re.Pattern[str], ...]

    def matches(self, path: str) -> bool:
        return any(p.match(path) for p in self.patterns)


def _glob_to_regex(pattern: str) -> re.Pattern[str]:
    """gitattributes glob → regex. Without '/', the pattern matches a basename."""
    anchored = "/" in pattern.rstrip("/")
    body = git_glob_regex(pattern.lstrip("/"))
    return re.compile(f"^{body}$" if anchored else f"^(?:.*/)?{body}$")


def git_glob_regex(pattern: str) -> str:
    """The regex body of a git wildmatch pattern (gitignore and gitattributes)."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("/**", i) and i + 3 == len(pattern):
            out.append("/.*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 2 :]:
            end = pattern.index("]", i + 2)
            body = pattern[i + 1 : end]
            if body.startswith("!"):
                body = "^" + body[1:]
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = end + 1
        elif pattern[i] == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return "".join(out)


@lru_cache(maxsize=256)
def parse_gitattributes(text: str) -> LfsRules:
    """Patterns with ``filter=lfs`` (a later ``-filter`` line unsets them)."""
    patterns: list[tuple[str, re.Pattern[str]]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        pattern, *attrs = line.split()
        if "filter=lfs" in attrs:
            patterns.append((pattern, _glob_to_regex(pattern)))
        elif "-filter" in attrs or "!filter" in attrs:
            patterns = [(p, rx) for p, rx in patterns if p != pattern]
    return LfsRules(patterns=tuple(rx for _, rx in patterns))


def is_lfs_path(*, path: str, size: int, gitattributes: str | None) -> bool:
    """Whether a file of this path and size is stored as an LFS object."""
    if size >= settings.HUB_LFS_THRESHOLD_BYTES:
        return True
    if gitattributes is None:
        return False
    return parse_gitattributes(gitattributes).matches(path)
