"""The one rule for text from other members and from the keyboard, and terminal escaping."""

from __future__ import annotations

import csv
import io
import json
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hmip_desktop.assessment.items import ItemError, validate
from hmip_desktop.cli.jsonio import json_text
from hmip_desktop.frameworks.loader import load_framework
from hmip_desktop.qa.queries import QueryError, clean_text
from hmip_desktop.setup.sample_import import SampleError, read_sample_bytes
from hmip_desktop.strict_json import JsonError, parse_json
from hmip_desktop.text_rules import (
    BIDI_CONTROLS,
    check_text,
    plain_json,
    printable,
    printable_lines,
    text_fault,
)

NPS = load_framework("nps-2019-20")


def disguising(ch: str, *, multiline: bool) -> bool:
    """What the rule says it refuses, spelled out independently of the code."""
    if multiline and ch in "\n\t":
        return False
    return unicodedata.category(ch) == "Cc" or ch in BIDI_CONTROLS or ch in "\u2028\u2029"


@given(st.text(), st.booleans())
def test_the_rule_refuses_exactly_the_characters_it_names(text: str, multiline: bool) -> None:
    fault = text_fault(text, multiline=multiline)
    assert (fault is None) == (not any(disguising(ch, multiline=multiline) for ch in text))


@pytest.mark.parametrize(("text", "multiline", "fault"), [
    ("Robin\x1b[2J", False, "contains a control character (U+001B)"),
    ("Robin\nFake Lead", False, "contains a line break (U+000A), which this field cannot hold"),
    ("Robin\tQuill", False, "contains a control character (U+0009)"),
    ("Robin\u202eevil", True, "contains a character that reverses the direction of text "
                              "(U+202E)"),
    ("line\u2028break", True, "contains a line break (U+2028), which this field cannot hold"),
    ("carriage\rreturn", True, "contains a line break (U+000D), which this field cannot hold"),
    ("CSI \x9b2J", True, "contains a control character (U+009B)"),
    ("DEL \x7f", False, "contains a control character (U+007F)"),
    ("two\n\tparagraphs", True, None),
    ("Siân Ó Briain-Jones 👩‍⚕️", False, None),  # accents, and an emoji's zero-width joiner
])
def test_what_is_refused_and_what_is_not(text: str, multiline: bool, fault: str | None) -> None:
    assert text_fault(text, multiline=multiline) == fault


def test_a_refusal_names_the_field_in_one_line() -> None:
    with pytest.raises(QueryError) as e:
        check_text("x\x1b]0;owned\x07", "the reply", multiline=True, error=QueryError)
    assert str(e.value) == "the reply contains a control character (U+001B)"


@given(st.text())
def test_printable_leaves_nothing_a_terminal_would_act_on(text: str) -> None:
    shown = printable(text)
    assert all(ch.isprintable() for ch in shown)
    assert (shown == text) == text.isprintable()


@pytest.mark.parametrize(("text", "shown"), [
    ("\x1b[2J\nFake", "\\x1b[2J\\nFake"),
    ("a\tb\rc", "a\\tb\\rc"),
    ("Morgan\u202eevil", "Morgan\\u202eevil"),
    ("\U000e0041tag", "\\U000e0041tag"),
    ("Siân Ó Briain", "Siân Ó Briain"),
    (None, ""),
])
def test_printable_escapes_as_python_would_write_it(text: str | None, shown: str) -> None:
    assert printable(text) == shown


def test_printable_lines_keeps_the_lines_of_a_block() -> None:
    assert printable_lines("Title\x1b[31m\nrow 1\n") == "Title\\x1b[31m\nrow 1\n"


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(), inner, max_size=3), max_leaves=10))
def test_json_output_is_the_same_value_with_nothing_unprintable(value: object) -> None:
    text = json_text(value)
    assert json.loads(text) == value
    assert all(ch.isprintable() or ch in "\n " for ch in text)


def test_json_output_escapes_what_json_dumps_leaves_raw() -> None:
    text = json_text({"name": "Morgan\u202e\x9b\x7f"})
    assert "\\u202e\\u009b\\u007f" in text


# -- applied where text is typed or read -----------------------------------------------------


def test_an_evidence_note_typed_with_an_escape_is_refused() -> None:
    with pytest.raises(ItemError, match=r"^evidence note for 2\.1\.1 contains a control "):
        validate(NPS, "note:2.1.1", "Good work\x1b[2J")
    assert validate(NPS, "note:2.1.1", "Good work.\n\n\tAnd more.") == \
        "Good work.\n\n\tAnd more."


def test_a_query_typed_with_a_direction_override_is_refused() -> None:
    with pytest.raises(QueryError, match=r"^the query contains a character that reverses"):
        clean_text("Why no?\u202e", "the query")


def test_the_case_sample_refuses_a_direction_override_in_a_name() -> None:
    rows = [["case_ref", "person_name", "sample", "gender", "sentence_type", "rosh"],
            ["X1", "Alex\u202eelpmaxE", "supervision", "male", "community", "low"]]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    with pytest.raises(SampleError) as e:
        read_sample_bytes(out.getvalue().encode("utf-8"), NPS)
    assert e.value.problems == [(2, "person_name contains control characters")]


def test_plain_json_clears_a_document_only_when_no_text_in_it_can_break_the_rule() -> None:
    """Every character, in a string of a JSON document as bundles write them: ``plain_json``
    clears the document only if the single-line rule allows the character, and clears every
    printable ASCII character but the two JSON escapes."""
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue  # no character: UTF-8 cannot hold it
        ch = chr(code)
        raw = json.dumps({"note": f"a{ch}b"}, ensure_ascii=False).encode("utf-8")
        if plain_json(raw):
            assert text_fault(ch) is None, f"U+{code:04X}"
        elif 0x20 <= code < 0x7F:
            assert ch in '"\\', f"U+{code:04X}"
    assert plain_json(b'{"a":\n\t["b", "c"]\r}'), "white space between tokens is no text"
    # What the clearing relies on: a control character written as itself in a string (no
    # escape, so no backslash) is refused by the decoder before any text is looked at.
    with pytest.raises(JsonError):
        parse_json(b'{"a":"b\x1b[2J"}')


@given(st.text())
def test_a_plain_document_holds_only_texts_the_rule_allows(text: str) -> None:
    raw = json.dumps([text, {"k": text}], ensure_ascii=False).encode("utf-8")
    if plain_json(raw):
        assert text_fault(text) is None and text_fault(text, multiline=True) is None
