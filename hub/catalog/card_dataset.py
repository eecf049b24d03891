"""The fields of a dataset card's front matter (issue 18), checked as the
Hugging Face Hub documents them (datasets-cards.md, the dataset card
metadata spec): ``task_categories``, ``size_categories``, ``configs`` (which
the ``datasets`` library follows to find a dataset's files and splits) and
``dataset_info`` (features and splits). Each error names the field and says
what is allowed. Pure functions of the parsed mapping.
"""

from __future__ import annotations

import difflib
from typing import Any

from hub.catalog.card_yaml import card_invalid, value_kind
from hub.catalog.pipeline_tags import PIPELINE_TAGS

# The Hub's size buckets (number of examples), smallest first.
SIZE_CATEGORIES: tuple[str, ...] = (
    "n<1K",
    "1K<n<10K",
    "10K<n<100K",
    "100K<n<1M",
    "1M<n<10M",
    "10M<n<100M",
    "100M<n<1B",
    "1B<n<10B",
    "10B<n<100B",
    "100B<n<1T",
    "n>1T",
)
# Dataset tasks are the Hub's tasks plus "other" (huggingface.js tasks).
TASK_CATEGORIES: tuple[str, ...] = (*PIPELINE_TAGS, "other")
MAX_CONFIGS = 100


def dataset_card_check(data: dict[str, Any]) -> None:
    """Raise ValidationError naming the first dataset field that is wrong."""
    _choices(data, "task_categories", TASK_CATEGORIES, "the Hub's task names")
    _choices(data, "size_categories", SIZE_CATEGORIES, "the Hub's size buckets")
    for name in ("task_ids", "pretty_name", "multilinguality"):
        _strings(data, name)
    if "configs" in data:
        _configs(data["configs"])
    if "dataset_info" in data:
        _dataset_info(data["dataset_info"])


def _strings(data: dict[str, Any], name: str) -> list[str]:
    value = data.get(name)
    if value is None:
        return []
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise card_invalid(
            f"`{name}` must be a string or a list of strings, not {value_kind(value)}.",
            field_name=name,
        )
    return items


def _choices(data: dict[str, Any], name: str, allowed: tuple[str, ...], what: str):
    for item in _strings(data, name):
        if item in allowed:
            continue
        close = difflib.get_close_matches(item, allowed, n=3)
        if close:
            hint = " Did you mean " + " or ".join(repr(c) for c in close) + "?"
        else:
            hint = ""
        if len(allowed) <= 12:
            listed = f" Use one of: {', '.join(allowed)}."
        else:
            listed = " The full list is in this error's details (allowed)."
        raise card_invalid(
            f"`{name}`: {item!r} is not one of {what}.{hint}{listed}",
            field_name=name,
            extra={"allowed": list(allowed)},
        )


def _configs(value: Any) -> None:
    where = "configs"
    if not isinstance(value, list) or not value:
        raise card_invalid(
            f"`{where}` must be a list of configs, each a mapping with "
            f"`config_name` and `data_files`; not {value_kind(value)}.",
            field_name=where,
        )
    if len(value) > MAX_CONFIGS:
        raise card_invalid(
            f"`{where}` lists {len(value)} configs; at most {MAX_CONFIGS}.",
            field_name=where,
        )
    names: set[str] = set()
    defaults = 0
    for position, config in enumerate(value, start=1):
        at = f"`{where}` item {position}"
        if not isinstance(config, dict):
            raise card_invalid(
                f"{at} must be a mapping with `config_name` and `data_files`, not "
                f"{value_kind(config)}.",
                field_name=where,
            )
        name = config.get("config_name")
        if not isinstance(name, str) or not name.strip():
            raise card_invalid(
                f"{at} needs a `config_name` (a non-empty string).",
                field_name=where,
            )
        if name in names:
            raise card_invalid(
                f"{at}: the config name {name!r} is used twice; names must differ.",
                field_name=where,
            )
        names.add(name)
        default = config.get("default", False)
        if not isinstance(default, bool):
            raise card_invalid(
                f"{at} ({name!r}): `default` must be true or false, not "
                f"{value_kind(default)}.",
                field_name=where,
            )
        defaults += default
        if "data_files" in config:
            _data_files(config["data_files"], f"{at} ({name!r})")
    if defaults > 1:
        raise card_invalid(
            f"`{where}`: {defaults} configs say `default: true`; at most one may.",
            field_name=where,
        )


def _data_files(value: Any, at: str) -> None:
    shape = (
        "a path pattern, a list of them, or a list of {split, path} mappings "
        "(path: a pattern or a list of them)"
    )
    if isinstance(value, str) and value:
        return
    if not isinstance(value, list) or not value:
        raise card_invalid(
            f"{at}: `data_files` must be {shape}; not {value_kind(value)}.",
            field_name="configs",
        )
    if all(isinstance(item, str) and item for item in value):
        return
    splits: set[str] = set()
    for item in value:
        if not isinstance(item, dict) or set(item) - {"split", "path"}:
            kind = "a mapping with other keys" if isinstance(item, dict) else None
            raise card_invalid(
                f"{at}: `data_files` must be {shape}; an item is "
                f"{kind or value_kind(item)}.",
                field_name="configs",
            )
        split, path = item.get("split"), item.get("path")
        if not isinstance(split, str) or not split:
            raise card_invalid(
                f"{at}: each `data_files` item needs a `split` name (a string).",
                field_name="configs",
            )
        if split in splits:
            raise card_invalid(
                f"{at}: the split {split!r} is listed twice in `data_files`.",
                field_name="configs",
            )
        splits.add(split)
        paths = path if isinstance(path, list) else [path]
        if not paths or not all(isinstance(p, str) and p for p in paths):
            raise card_invalid(
                f"{at}: the `path` of split {split!r} must be a path pattern or a "
                "list of them.",
                field_name="configs",
            )


def _dataset_info(value: Any) -> None:
    infos = value if isinstance(value, list) else [value]
    for position, info in enumerate(infos, start=1):
        at = "`dataset_info`" + (f" item {position}" if isinstance(value, list) else "")
        if not isinstance(info, dict):
            raise card_invalid(
                f"{at} must be a mapping (features, splits, config_name), not "
                f"{value_kind(info)}.",
                field_name="dataset_info",
            )
        if "features" in info:
            _features(info["features"], at)
        if "splits" in info:
            _splits(info["splits"], at)


def _features(value: Any, at: str) -> None:
    if not isinstance(value, list):
        raise card_invalid(
            f"{at}: `features` must be a list of {{name, dtype}} mappings, not "
            f"{value_kind(value)}.",
            field_name="dataset_info",
        )
    for position, feature in enumerate(value, start=1):
        name = feature.get("name") if isinstance(feature, dict) else None
        if not isinstance(name, str) or not name:
            raise card_invalid(
                f"{at}: feature {position} must be a mapping with a `name` (a "
                "string) and a type (`dtype`, `list`, `sequence`, `struct` or "
                "`class_label`).",
                field_name="dataset_info",
            )
        dtype = feature.get("dtype")
        if dtype is not None and not isinstance(dtype, str | dict | list):
            raise card_invalid(
                f"{at}: the `dtype` of feature {name!r} must be a type name such "
                f"as 'string' or 'int64', not {value_kind(dtype)}.",
                field_name="dataset_info",
            )


def _splits(value: Any, at: str) -> None:
    items = value if isinstance(value, list) else None
    for split in items or [None]:
        ok = isinstance(split, dict) and isinstance(split.get("name"), str)
        examples = split.get("num_examples", 0) if isinstance(split, dict) else None
        counts = (
            isinstance(examples, int)
            and not isinstance(examples, bool)
            and examples >= 0
        )
        if not (ok and counts):
            raise card_invalid(
                f"{at}: `splits` must be a list of {{name, num_bytes, "
                "num_examples}} mappings (name a string, counts whole numbers).",
                field_name="dataset_info",
            )
