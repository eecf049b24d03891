"""The one JSON reader and the one integer-parameter reader (issue 13, hole
11): hostile input is a ValidationError naming what to fix, never a crash."""

from __future__ import annotations

import time

import pytest

from hub.core.errors import ValidationError
from hub.core.parsing import MAX_INT_PARAM, MAX_JSON_DEPTH, int_param, json_parse


def nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def test_json_nested_to_the_cap_parses():
    assert json_parse(nested(MAX_JSON_DEPTH)) is not None


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 1_000, 100_000])
def test_json_nested_deeper_than_the_cap_is_refused(depth):
    with pytest.raises(ValidationError, match="more than 64 levels deep"):
        json_parse(nested(depth))


def test_objects_nest_like_arrays():
    raw = b'{"a":' * 100_000 + b"1" + b"}" * 100_000
    with pytest.raises(ValidationError, match="levels deep"):
        json_parse(raw, what="The batch request")


def test_brackets_inside_strings_do_not_count():
    text = '{"s": "' + "[{" * 1000 + '\\"\\\\' + '", "n": [1]}'
    assert json_parse(text)["n"] == [1]


def test_message_names_what_was_parsed():
    with pytest.raises(ValidationError, match="^A line of the commit body is not JSON"):
        json_parse(b"{nope", what="A line of the commit body")


def test_json_larger_than_the_cap_is_refused():
    with pytest.raises(ValidationError, match="larger than 100 bytes"):
        json_parse(b'"' + b"a" * 200 + b'"', max_bytes=100)


@pytest.mark.parametrize(
    "raw", [b"NaN", b"[Infinity]", b"\xff\xfe{", b"[1" + b"0" * 5000 + b"]"]
)
def test_non_json_values_are_refused(raw):
    with pytest.raises(ValidationError, match="not JSON"):
        json_parse(raw)


def test_depth_check_stays_fast_on_a_megabyte_of_brackets():
    started = time.monotonic()
    with pytest.raises(ValidationError):
        json_parse(nested(500_000))
    assert time.monotonic() - started < 2


@pytest.mark.parametrize(
    ("value", "expected"), [(None, 7), ("", 7), ("0", 0), ("42", 42), (" 3 ", 3)]
)
def test_int_param_reads_whole_numbers(value, expected):
    assert int_param(value, name="p", default=7) == expected


@pytest.mark.parametrize(
    "value",
    ["1" * 24, str(MAX_INT_PARAM + 1), "-1", "1.5", "1e3", "²", "0x10", "9" * 5000],
)
def test_int_param_refuses_out_of_range_or_non_decimal_naming_the_field(value):
    with pytest.raises(ValidationError, match="^'cursor' must be a whole number"):
        int_param(value, name="cursor")


def test_int_param_bounds_are_the_callers():
    assert int_param("-5", name="offset", minimum=-10) == -5
    with pytest.raises(ValidationError, match="from 1 to 100"):
        int_param("101", name="limit", minimum=1, maximum=100)
