"""A long list's parts are stored as the JSON the ``json`` module writes, byte for byte.

The store writes the parts' text with the module's own string encoder and joins (faster than
encoding whole lists); these properties hold it to ``json.dumps`` with the same options, so a
part reads back, and reads the same, whichever way it was written.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from hmip_desktop.sampling import records

# Any text a cell can hold: quotes, backslashes, control characters, line and paragraph
# separators, astral characters (lone surrogates cannot come out of a UTF-8 file).
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@given(st.lists(TEXT, max_size=30), st.lists(st.integers(0, 10**6), max_size=30))
def test_lists_of_text_and_of_numbers_are_written_as_json_writes_them(
        texts: list[str], numbers: list[int]) -> None:
    assert records._strings(texts) == _dumps(texts)
    assert records._numbers(numbers) == _dumps(numbers)
    assert json.loads(records._strings(texts)) == texts


@settings(max_examples=200)
@given(st.data(), st.integers(0, 25))
def test_a_parts_draw_object_is_written_as_json_writes_it(data: st.DataObject,
                                                          size: int) -> None:
    kinds = data.draw(st.lists(st.fixed_dictionaries(
        {"rule": TEXT, "words": TEXT, "source": TEXT, "firm": st.booleans()}), max_size=4))
    shared = data.draw(st.lists(st.lists(st.integers(0, max(len(kinds) - 1, 0)), min_size=1,
                                         max_size=3), max_size=3)) if kinds else []
    flags = [data.draw(st.sampled_from([[], *shared])) for _ in range(size)]
    rows = data.draw(st.lists(st.integers(2, 10**5), min_size=size, max_size=size))
    strata = [_dumps(s) for s in data.draw(st.lists(st.lists(TEXT, max_size=3),
                                                    min_size=size, max_size=size))]
    pdus = data.draw(st.lists(TEXT, min_size=size, max_size=size))
    practitioners = data.draw(st.lists(TEXT, min_size=size, max_size=size))
    written = records._draw_text(rows, flags, _dumps(kinds), strata, pdus, practitioners)
    assert written == _dumps({"row": rows, "flags": flags, "flag_kinds": kinds,
                              "stratum": strata, "pdu": pdus, "practitioner": practitioners})


@given(st.integers(1, 6).flatmap(lambda width: st.lists(
    st.lists(TEXT, min_size=width, max_size=width), min_size=1, max_size=20)))
def test_a_parts_cells_are_one_json_list_per_case_per_line(cases: list[list[str]]) -> None:
    from json.encoder import encode_basestring  # noqa: PLC0415 - the encoder the store uses

    text = records._cells_text(cases, encode_basestring)
    assert text == "\n".join(_dumps(c) for c in cases)
    assert [json.loads(line) for line in text.split("\n")] == cases
