"""Which files make which config and split of a dataset, as ``datasets`` sees it.

A pure function of the commit's file paths and its card's metadata, with the
rules of ``datasets`` (``datasets/data_files.py``, version 5.2; the Hugging
Face documentation "Structure your repository"):

- the card's ``configs:`` list wins: each config names its ``data_files``
  (a pattern, a list of patterns, or ``{split, path}`` items) and optionally
  a ``data_dir``; the default config is the one with ``default: true``, else
  the one named ``default``, else the only one;
- otherwise there is one config, ``default``, whose splits come from the
  file names: ``data/{split}-00000-of-00001.parquet`` shards first, then
  split keywords in directory names (``train/``, ``data/test/``), then in
  file names (``train.csv``, ``my_dev-1.jsonl``), and a dataset without any
  is one ``train`` split;
- hidden files and folders (``.x``, ``__x``) never count, only data
  extensions do, and the most common format wins (``datasets`` loads one
  format per config).

Patterns follow fsspec's glob (``*`` stays in a folder, ``**`` crosses
folders), the semantics the ``datasets`` library resolves them with.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

DEFAULT_SPLITS = ("train", "validation", "test")
SPLIT_KEYWORDS = {
    "train": ("train", "training"),
    "validation": ("validation", "valid", "dev", "val"),
    "test": ("test", "testing", "eval", "evaluation"),
}
_SEP = "-._ 0-9"
_SHARDED = "data/{split}-[0-9][0-9][0-9][0-9][0-9]-of-[0-9][0-9][0-9][0-9][0-9]*.*"
_IN_DIR = ("**/{k}/**", "**/{k}[{s}]*/**", "**/*[{s}]{k}/**", "**/*[{s}]{k}[{s}]*/**")
_IN_NAME = ("**/{k}[{s}]*", "**/*[{s}]{k}[{s}]*")
# datasets' loaders by the extensions they read; ties go to the earlier one.
MODULE_EXTENSIONS = {
    "parquet": (".parquet",),
    "arrow": (".arrow",),
    "json": (".jsonl", ".json"),
    "csv": (".csv", ".tsv"),
    "text": (".txt",),
}
_PREFERENCE = (".parquet", ".arrow", ".jsonl", ".json", ".csv")
_MAX_NAME = 100


@dataclass(frozen=True)
class SplitFiles:
    """One split: its name and its files, sorted."""

    name: str
    files: tuple[str, ...]


@dataclass(frozen=True)
class ConfigFiles:
    """One config: its splits in ``datasets``' order, and whether it is the default."""

    name: str
    is_default: bool
    splits: tuple[SplitFiles, ...]


def _part_regex(part: str) -> str:
    out, i = [], 0
    while i < len(part):
        char = part[i]
        if char == "*":
            while i + 1 < len(part) and part[i + 1] == "*":
                i += 1
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[" and "]" in part[i + 2 :]:
            end = part.index("]", i + 2)
            body = part[i + 1 : end]
            if body.startswith("!"):
                body = "^" + body[1:]
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = end
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


@cache
def _glob(pattern: str) -> re.Pattern[str]:
    """fsspec's glob as a regular expression over repo-relative paths."""
    parts = pattern.strip().removeprefix("./").lstrip("/").split("/")
    out = []
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if part == "**":
            out.append(".*" if last else "(?:[^/]+/)*")
        else:
            out.append(_part_regex(part) + ("" if last else "/"))
    return re.compile("".join(out))


def _hidden(path: str, pattern: str) -> bool:
    """A hidden file or folder the pattern does not ask for by name."""
    asked = pattern.startswith((".", "__")) or "/." in pattern or "/__" in pattern
    parts = path.split("/")
    return not asked and any(p.startswith((".", "__")) for p in parts)


def _resolve(paths: tuple[str, ...], patterns: Iterable[str]) -> list[str]:
    found: set[str] = set()
    for pattern in patterns:
        regex = _glob(pattern)
        found.update(p for p in paths if regex.fullmatch(p) and not _hidden(p, pattern))
    return sorted(found)


def _extension(path: str) -> str:
    return posixpath.splitext(path)[1].lower()


def _module_files(files: list[str]) -> list[str]:
    """The files of the most common format (``datasets`` reads one per config)."""
    counts = Counter(
        ext
        for path in files
        if any((ext := _extension(path)) in e for e in MODULE_EXTENSIONS.values())
    )
    if not counts:
        return []
    best = max(counts, key=lambda e: (counts[e], -_rank(e), e))
    module = next(m for m, exts in MODULE_EXTENSIONS.items() if best in exts)
    return [p for p in files if _extension(p) in MODULE_EXTENSIONS[module]]


def _rank(ext: str) -> int:
    return _PREFERENCE.index(ext) if ext in _PREFERENCE else len(_PREFERENCE)


def _keyword_patterns(templates: tuple[str, ...]) -> dict[str, list[str]]:
    return {
        split: [t.format(k=k, s=_SEP) for k in SPLIT_KEYWORDS[split] for t in templates]
        for split in DEFAULT_SPLITS
    }


def _inferred(paths: tuple[str, ...]) -> dict[str, list[str]]:
    """Split → patterns from file names alone (``get_data_patterns``)."""
    sharded = _resolve(paths, [_SHARDED.replace("{split}", "*")])
    if sharded:
        names = {posixpath.basename(p).split("-")[0] for p in sharded}
        names = {n for n in names if re.fullmatch(r"\w+(\.\w+)*", n)}
        ordered = [s for s in DEFAULT_SPLITS if s in names]
        ordered += sorted(names - set(DEFAULT_SPLITS))
        return {s: [_SHARDED.replace("{split}", s)] for s in ordered}
    for patterns in (_keyword_patterns(_IN_DIR), _keyword_patterns(_IN_NAME)):
        found = {s: p for s, p in patterns.items() if _resolve(paths, p)}
        if found:
            return found
    return {"train": ["**"]}


def _config_patterns(config: Mapping[str, Any]) -> dict[str, list[str]] | None:
    """Split → patterns of one card config (None: not a valid config)."""
    data_dir = str(config.get("data_dir") or "").strip("/")
    data_files = config.get("data_files")
    if data_files is None:
        return None
    if isinstance(data_files, str):
        data_files = [data_files]
    if not isinstance(data_files, list):
        return None
    by_split: dict[str, list[str]] = {}
    for item in data_files:
        if isinstance(item, str):
            by_split.setdefault("train", []).append(item)
        elif isinstance(item, Mapping) and isinstance(item.get("split"), str):
            path = item.get("path")
            listed = [path] if isinstance(path, str) else path
            if not isinstance(listed, list) or not all(
                isinstance(p, str) for p in listed
            ):
                return None
            by_split.setdefault(item["split"][:_MAX_NAME], []).extend(listed)
        else:
            return None
    if data_dir:
        by_split = {
            s: [posixpath.join(data_dir, p.lstrip("/")) for p in ps]
            for s, ps in by_split.items()
        }
    return by_split


def _splits(
    paths: tuple[str, ...], patterns: dict[str, list[str]]
) -> tuple[SplitFiles, ...]:
    resolved = {split: _resolve(paths, p) for split, p in patterns.items()}
    kept = set(_module_files(sorted({f for files in resolved.values() for f in files})))
    splits = []
    for split, files in resolved.items():
        chosen = tuple(f for f in files if f in kept)
        if chosen:
            splits.append(SplitFiles(split, chosen))
    return tuple(splits)


def dataset_splits(
    paths: Iterable[str], card_data: Mapping[str, Any] | None = None
) -> list[ConfigFiles]:
    """The configs and splits of a dataset commit (see the module docstring).

    Pure; configs without any file are left out, so an empty list means no
    data ``datasets`` could load.
    """
    paths = tuple(sorted(paths))
    configs = (card_data or {}).get("configs")
    if not isinstance(configs, list) or not configs:
        splits = _splits(paths, _inferred(paths))
        return [ConfigFiles("default", True, splits)] if splits else []
    found: list[tuple[str, bool, tuple[SplitFiles, ...]]] = []
    for config in configs:
        if not isinstance(config, Mapping) or not isinstance(
            config.get("config_name"), str
        ):
            continue
        name = config["config_name"][:_MAX_NAME]
        patterns = _config_patterns(config)
        if patterns is None and config.get("data_dir"):
            data_dir = str(config["data_dir"]).strip("/") + "/"
            inside = tuple(p[len(data_dir) :] for p in paths if p.startswith(data_dir))
            patterns = {
                s: [data_dir + p for p in ps] for s, ps in _inferred(inside).items()
            }
        splits = _splits(paths, patterns) if patterns else ()
        if splits:
            found.append((name, _wants_default(config, len(configs)), splits))
    default = next((name for name, wants, _ in found if wants), None)
    return [ConfigFiles(name, name == default, splits) for name, _, splits in found]


def _wants_default(config: Mapping[str, Any], count: int) -> bool:
    return (
        count == 1
        or config.get("config_name") == "default"
        or config.get("default") is True
    )
