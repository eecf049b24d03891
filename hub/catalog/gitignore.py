"""``.gitignore`` rules: which paths a client should leave out of an upload."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from hub.catalog.attributes import git_glob_regex


@dataclass(frozen=True)
class _IgnoreRule:
    regex: re.Pattern[str]
    negate: bool
    dir_only: bool


@lru_cache(maxsize=64)
def _gitignore_rules(gitignore: str) -> tuple[_IgnoreRule, ...]:
    rules: list[_IgnoreRule] = []
    for raw in gitignore.splitlines():
        line = raw.rstrip()
        if raw.endswith("\\ "):
            line += " "
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        if negate or line.startswith(("\\!", "\\#")):
            line = line[1:]
        dir_only = line.endswith("/")
        line = line.rstrip("/")
        if not line:
            continue
        anchored = "/" in line
        body = git_glob_regex(line.lstrip("/"))
        regex = f"^{body}$" if anchored else f"^(?:.*/)?{body}$"
        try:
            rules.append(_IgnoreRule(re.compile(regex), negate, dir_only))
        except re.error:
            continue  # git ignores a pattern it cannot read; so does this
    return tuple(rules)


def path_is_ignored(*, path: str, gitignore: str) -> bool:
    """Whether ``.gitignore`` text excludes a file path, with git's semantics.

    The last matching pattern wins; a file inside an excluded folder stays
    excluded whatever later patterns say about the file itself.
    """
    rules = _gitignore_rules(gitignore)
    if not rules:
        return False
    parts = path.split("/")
    for depth in range(1, len(parts)):
        if _last_match(rules, "/".join(parts[:depth]), is_dir=True):
            return True
    return _last_match(rules, path, is_dir=False)


def _last_match(rules: tuple[_IgnoreRule, ...], path: str, *, is_dir: bool) -> bool:
    ignored = False
    for rule in rules:
        if rule.dir_only and not is_dir:
            continue
        if rule.regex.match(path):
            ignored = not rule.negate
    return ignored
