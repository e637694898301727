"""The one strict JSON decoder: what it refuses, in one line, and what it keeps intact."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hmip_desktop.strict_json import MAX_INT_DIGITS, JsonError, parse_json


@pytest.mark.parametrize(("raw", "why"), [
    (b'{"a": ' + b"1" * 4301 + b"}", "too long (4301 digits)"),
    (b"[-" + b"1" * 101 + b"]", "too long (101 digits)"),
    (b"[NaN]", "NaN is not a JSON number"),
    (b"[-Infinity]", "-Infinity is not a JSON number"),
    (b"[1e400]", "a number too large"),
    (b'{"cases": [], "cases": [1]}', 'the key "cases" appears twice'),
    (b'{"a": {"x": 1, "y": 2, "x": 3}}', 'the key "x" appears twice'),
    (b'["\\udc80"]', "not text"),
    (b'{"\\ud800": 1}', "not text"),
    (b'"\xff"', "not UTF-8"),
    (b'\xef\xbb\xbf{}', "not valid JSON at line 1, column 1"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    (b'{"cases": [', "not valid JSON at line 1, column 12"),
    (b"", "not valid JSON"),
])
def test_each_fault_is_refused_in_one_line(raw: bytes, why: str) -> None:
    with pytest.raises(JsonError) as e:
        parse_json(raw)
    assert why in str(e.value) and "\n" not in str(e.value)


def test_the_bounds_themselves_are_kept() -> None:
    longest = 10**MAX_INT_DIGITS - 1
    assert parse_json(f"[{longest}, {-longest}, 1.5e300, -0.0]".encode()) == [
        longest, -longest, 1.5e300, -0.0]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**MAX_INT_DIGITS) + 1, 10**MAX_INT_DIGITS - 1)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


@given(json_values)
def test_every_value_the_app_could_write_reads_back_unchanged(value: Any) -> None:
    for ensure_ascii in (True, False):
        assert parse_json(json.dumps(value, ensure_ascii=ensure_ascii).encode()) == value


@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_any_bytes_give_a_value_or_one_line_never_a_traceback(raw: bytes) -> None:
    try:
        parse_json(raw)
    except JsonError as e:
        assert "\n" not in str(e)
