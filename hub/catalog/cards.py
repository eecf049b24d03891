"""Repo card (``README.md``) front matter: split it off, parse it, validate it.

Model and dataset cards share the loader and the common fields (license,
tags, language, ...); a dataset card's own fields are checked by
``card_dataset`` and no model-only rule applies to them.

The YAML is read by the safe loader of ``card_yaml`` (plain data only, with
caps on size, nesting depth and node count). Everything this module returns
is JSON-serialisable because ``raw`` is stored in a JSONField.
"""

from __future__ import annotations

import difflib
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from hub.catalog.card_dataset import dataset_card_check
from hub.catalog.card_yaml import card_invalid, card_yaml_load, value_kind
from hub.catalog.pipeline_tags import PIPELINE_TAGS
from hub.core.errors import ValidationError
from hub.licenses.selectors import license_validate_id

# Lengths of the denormalized columns on ModelRepo.
MAX_LICENSE_NAME_LENGTH = 200


MAX_LIBRARY_NAME_LENGTH = 64


_DELIMITER = "---"


@dataclass(frozen=True)
class CardMetadata:
    """The structured fields of a model card, plus the whole parsed mapping."""

    license: str = ""
    license_name: str = ""
    license_link: str = ""
    tags: list[str] = field(default_factory=list)
    pipeline_tag: str = ""
    library_name: str = ""
    base_model: list[str] = field(default_factory=list)
    datasets: list[str] = field(default_factory=list)
    language: list[str] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)


def card_split(text: str) -> tuple[str | None, str]:
    """Split a README into (front matter YAML or None, markdown body)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    # newline="" splits on \n, \r\n and \r but hands lines back unchanged,
    # so the body is returned byte for byte.
    lines = io.StringIO(text, newline="").readlines()
    if not lines or not _is_delimiter(lines[0]):
        return None, text
    for index in range(1, len(lines)):
        if _is_delimiter(lines[index]):
            return "".join(lines[1:index]), "".join(lines[index + 1 :])
    return None, text


def card_strings(value: Any) -> list[str]:
    """A card field that lists strings, as a list: a list keeps its non-empty
    strings, one plain string is a list of itself, anything else is empty."""
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str) and item]
    return []


def card_parse(text: str, *, repo_type: str = "model") -> CardMetadata:
    """Parse a README's front matter, by the rules of ``repo_type``'s cards.

    Raises ValidationError saying what to fix.
    """
    with _card_errors(repo_type):
        yaml_text, _body = card_split(text)
        if yaml_text is None:
            first_line = io.StringIO(text.lstrip("\ufeff"), newline="").readline()
            if _is_delimiter(first_line):
                raise card_invalid(
                    "the README starts with '---' but the metadata block is never "
                    "closed. Add a line containing only '---' after the YAML."
                )
            return CardMetadata()
        # The YAML starts on the README's second line, after the opening '---'.
        return _metadata_from_yaml(yaml_text, line_offset=1, repo_type=repo_type)


def card_validate_yaml(yaml_text: str, *, repo_type: str = "model") -> CardMetadata:
    """Validate bare front matter YAML (no '---' lines). Raises ValidationError."""
    with _card_errors(repo_type):
        return _metadata_from_yaml(yaml_text, line_offset=0, repo_type=repo_type)


@contextmanager
def _card_errors(repo_type: str) -> Iterator[None]:
    """Errors name the card they are about ("Invalid dataset card metadata")."""
    try:
        yield
    except ValidationError as exc:
        if repo_type == "model":
            raise
        message = exc.message.replace(
            "Invalid model card metadata", f"Invalid {repo_type} card metadata", 1
        )
        raise ValidationError(message, details=exc.details) from None


def _is_delimiter(line: str) -> bool:
    return line.rstrip("\r\n").rstrip(" \t") == _DELIMITER


def card_from_raw(data: dict[str, Any], *, repo_type: str = "model") -> CardMetadata:
    """Rebuild CardMetadata from a stored ``raw`` mapping (already validated once)."""
    return _metadata_from_mapping(data, repo_type=repo_type) if data else CardMetadata()


def _metadata_from_yaml(
    yaml_text: str, *, line_offset: int, repo_type: str
) -> CardMetadata:
    data = card_yaml_load(yaml_text, line_offset=line_offset)
    if data is None:
        return CardMetadata()
    card = _metadata_from_mapping(data, repo_type=repo_type)
    if repo_type == "dataset":
        dataset_card_check(data)
    return card


def _metadata_from_mapping(data: Any, *, repo_type: str) -> CardMetadata:
    if not isinstance(data, dict):
        raise card_invalid(
            f"the metadata must be a mapping of fields such as 'license: mit', "
            f"not {value_kind(data)}."
        )

    license_id = _string_field(data, "license")
    license_name = license_link = ""
    if license_id:
        try:
            license_validate_id(license_id=license_id)
        except ValidationError as exc:
            raise ValidationError(
                f"Invalid model card metadata: `license`: {exc.message}",
                details={**exc.details, "field": "license"},
            ) from None
        if license_id == "other":
            license_name = _string_field(
                data, "license_name", max_length=MAX_LICENSE_NAME_LENGTH
            )
            license_link = _string_field(data, "license_link")

    # pipeline_tag, library_name and base_model describe models; other
    # cards may carry them for their own tools, unchecked and not indexed.
    is_model = repo_type == "model"
    pipeline_tag = _pipeline_tag(data) if is_model else ""
    return CardMetadata(
        license=license_id,
        license_name=license_name,
        license_link=license_link,
        tags=_string_list_field(data, "tags"),
        pipeline_tag=pipeline_tag,
        library_name=_string_field(
            data, "library_name", max_length=MAX_LIBRARY_NAME_LENGTH
        )
        if is_model
        else "",
        base_model=_string_list_field(data, "base_model") if is_model else [],
        datasets=_string_list_field(data, "datasets"),
        language=_string_list_field(data, "language"),
        raw=data,
    )


def _pipeline_tag(data: dict[str, Any]) -> str:
    pipeline_tag = _string_field(data, "pipeline_tag")
    if pipeline_tag and pipeline_tag not in PIPELINE_TAGS:
        close = difflib.get_close_matches(pipeline_tag, PIPELINE_TAGS, n=3)
        hint = (
            (" Did you mean " + " or ".join(repr(t) for t in close) + "?")
            if close
            else ""
        )
        raise card_invalid(
            f"`pipeline_tag` {pipeline_tag!r} is not a known task.{hint} Use one "
            "of the Hugging Face pipeline tags, listed in this error's details "
            "(valid_pipeline_tags).",
            field_name="pipeline_tag",
            extra={"valid_pipeline_tags": list(PIPELINE_TAGS)},
        )

    return pipeline_tag


def _string_field(
    data: dict[str, Any], name: str, *, max_length: int | None = None
) -> str:
    value = data.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise card_invalid(
            f"`{name}` must be a single string, not {value_kind(value)}."
            + _quote_hint(value),
            field_name=name,
        )
    if max_length is not None and len(value) > max_length:
        raise card_invalid(
            f"`{name}` is {len(value)} characters long; at most {max_length} are "
            "allowed. Shorten it.",
            field_name=name,
        )
    return value


def _string_list_field(data: dict[str, Any], name: str) -> list[str]:
    value = data.get(name)
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        raise card_invalid(
            f"`{name}` must be a string or a list of strings, not {value_kind(value)}.",
            field_name=name,
        )
    for position, item in enumerate(value, start=1):
        if not isinstance(item, str):
            raise card_invalid(
                f"item {position} of `{name}` must be a string, not "
                f"{value_kind(item)}.{_quote_hint(item)}",
                field_name=name,
            )
    return list(value)


def _quote_hint(value: Any) -> str:
    if isinstance(value, bool | int | float):
        text = str(value).lower() if isinstance(value, bool) else str(value)
        return f" Put it in quotes: '{text}'."
    return ""
