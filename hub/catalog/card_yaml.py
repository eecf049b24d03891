"""The safe YAML loader of model card front matter.

Anyone who can push a README controls this YAML, so the loader accepts plain
data only: no anchors or aliases (the "billion laughs" expansion), no tags
other than the standard scalar and collection ones (``!!python/...``, custom
``!tags``), and caps on size, nesting depth and node count.

Booleans follow YAML 1.2 (only ``true``/``false``), as the Hugging Face Hub's
own parser (js-yaml) does: under YAML 1.1, ``language: [en, no]`` would turn
Norwegian into ``False``.
"""

from __future__ import annotations

import datetime
import math
import re
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from hub.core.errors import ValidationError

MAX_FRONT_MATTER_BYTES = 64 * 1024


MAX_DEPTH = 20


MAX_NODES = 10_000


_YAML_TAG = "tag:yaml.org,2002:"


_STANDARD_TAGS = frozenset(
    _YAML_TAG + name
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
)


_BOOL_TAG = _YAML_TAG + "bool"


_VALUE_TAG = _YAML_TAG + "value"


_MERGE_TAG = _YAML_TAG + "merge"


_BOOL_RE = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


def card_invalid(
    problem: str,
    *,
    field_name: str | None = None,
    line: int | None = None,
    extra: dict[str, Any] | None = None,
) -> ValidationError:
    where = f", line {line}" if line is not None else ""
    details: dict[str, Any] = dict(extra or {})
    if field_name is not None:
        details["field"] = field_name
    if line is not None:
        details["line"] = line
    return ValidationError(
        f"Invalid model card metadata{where}: {problem}", details=details
    )


def _safe_resolvers() -> dict[Any, list[tuple[str, re.Pattern[str]]]]:
    """SafeLoader's implicit resolvers with YAML 1.2 booleans and no '=' tag."""
    resolvers: dict[Any, list[tuple[str, re.Pattern[str]]]] = {}
    for first, entries in yaml.SafeLoader.yaml_implicit_resolvers.items():
        # The 'value' tag ('=') has no safe constructor: a bare '=' would fail
        # with a confusing error instead of being the string '='.
        kept = [(tag, rx) for tag, rx in entries if tag not in (_BOOL_TAG, _VALUE_TAG)]
        if kept:
            resolvers[first] = kept
    for first in "tTfF":
        resolvers.setdefault(first, []).insert(0, (_BOOL_TAG, _BOOL_RE))
    return resolvers


class _CardLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases, anchors, non-standard tags and bombs."""

    yaml_implicit_resolvers = _safe_resolvers()

    def __init__(self, stream: str, *, line_offset: int) -> None:
        super().__init__(stream)
        self.line_offset = line_offset
        self.depth = 0
        self.nodes = 0

    def line_of(self, mark: Any) -> int:
        return mark.line + 1 + self.line_offset

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        line = self.line_of(event.start_mark)
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise card_invalid(
                "YAML anchors and aliases (&name, *name) are not allowed. "
                "Write each value out in full.",
                line=line,
            )
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in _STANDARD_TAGS:
            shown = "!!" + tag[len(_YAML_TAG) :] if tag.startswith(_YAML_TAG) else tag
            raise card_invalid(
                f"the YAML tag {shown!r} is not allowed. Remove it: only plain "
                "strings, numbers, booleans, dates, lists and mappings are accepted.",
                line=line,
            )
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise card_invalid(
                f"the metadata has more than {MAX_NODES} values. Move bulky "
                "content (such as long evaluation tables) out of the front matter.",
                line=line,
            )
        is_collection = isinstance(
            event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)
        )
        if is_collection:
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise card_invalid(
                    f"lists and mappings are nested more than {MAX_DEPTH} levels "
                    "deep. Flatten the structure.",
                    line=line,
                )
        try:
            return super().compose_node(parent, index)
        finally:
            if is_collection:
                self.depth -= 1

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _value_node in node.value:
            line = self.line_of(key_node.start_mark)
            if not isinstance(key_node, yaml.ScalarNode):
                raise card_invalid(
                    "mapping keys must be plain strings, not lists or mappings.",
                    line=line,
                )
            if key_node.tag == _MERGE_TAG:
                continue
            if key_node.value in seen:
                # PyYAML would silently keep the last one; the HF Hub rejects it.
                raise card_invalid(
                    f"the key {key_node.value!r} appears twice in the same "
                    "mapping. Keep only one.",
                    line=line,
                )
            seen.add(key_node.value)
        mapping = super().construct_mapping(node, deep=deep)
        for key in mapping:
            if not isinstance(key, str):
                raise card_invalid(
                    f"mapping keys must be strings, but {key!r} is {value_kind(key)}. "
                    f"Put it in quotes: '{key}'.",
                    line=self.line_of(node.start_mark),
                )
        return mapping

    def construct_yaml_timestamp(self, node: Any) -> Any:
        try:
            value = SafeConstructor.construct_yaml_timestamp(self, node)
        except ValueError:
            # Looks like a date but is not one (2024-02-30): keep the text,
            # as the HF Hub's parser does, rather than fail the whole card.
            return node.value
        if isinstance(value, datetime.date):
            return value.isoformat()
        return value

    def construct_yaml_int(self, node: Any) -> Any:
        try:
            return SafeConstructor.construct_yaml_int(self, node)
        except ValueError:
            # Python refuses to parse integers of more than 4300 digits.
            raise card_invalid(
                "a number is too long. Put it in quotes if it is meant as text.",
                line=self.line_of(node.start_mark),
            ) from None

    def construct_yaml_float(self, node: Any) -> Any:
        value = SafeConstructor.construct_yaml_float(self, node)
        if not math.isfinite(value):
            # NaN and infinity are not JSON, and PostgreSQL's jsonb refuses them.
            raise card_invalid(
                f"{node.value!r} is not a finite number. Use a number or put it "
                "in quotes.",
                line=self.line_of(node.start_mark),
            )
        return value


_CardLoader.add_constructor(
    _YAML_TAG + "timestamp", _CardLoader.construct_yaml_timestamp
)


_CardLoader.add_constructor(_YAML_TAG + "int", _CardLoader.construct_yaml_int)


_CardLoader.add_constructor(_YAML_TAG + "float", _CardLoader.construct_yaml_float)


def card_yaml_load(yaml_text: str, *, line_offset: int) -> Any:
    size = len(yaml_text.encode("utf-8"))
    if size > MAX_FRONT_MATTER_BYTES:
        raise card_invalid(
            f"the metadata block is {size // 1024} KiB; at most "
            f"{MAX_FRONT_MATTER_BYTES // 1024} KiB is allowed. Move long content "
            "into the body of the README."
        )
    loader = _CardLoader(yaml_text, line_offset=line_offset)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = loader.line_of(mark) if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise card_invalid(
            f"the YAML cannot be parsed ({problem}). Check the indentation, the "
            "colons after keys and that quotes are closed.",
            line=line,
        ) from None
    except yaml.YAMLError as exc:
        raise card_invalid(f"the YAML cannot be read ({exc}).") from None
    finally:
        loader.dispose()


def value_kind(value: Any) -> str:
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__}"
