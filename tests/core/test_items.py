"""Item keys and values: only what the framework lets an assessor record per case is accepted."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hmip_desktop.assessment.items import (
    NOTE,
    RECORD_BY_KEY,
    ItemError,
    is_known,
    key_question_of,
    validate,
)
from hmip_desktop.frameworks import available_frameworks, load_framework

NPS = load_framework("nps-2019-20")
CRC = load_framework("crc-2019-20")


@pytest.mark.parametrize(("item", "value", "stored"), [
    ("2.1.1.a", "yes", "yes"), ("2.1.1", "no", "no"), ("2.3.1.f", "na", "na"),
    ("note:2.1.1", "Evidence.  ", "Evidence."), ("case:inspector_rosh", "high", "high"),
    ("record:interview_mode", "file_read", "file_read"), ("2.1.1.a", "", ""),
])
def test_valid_items_are_accepted(item: str, value: str, stored: str) -> None:
    assert validate(NPS, item, value) == stored


@pytest.mark.parametrize(("fw", "item", "value", "reason"), [
    (NPS, "1.1.1", "yes", "qualitatively"),
    (NPS, "1.1.1.a", "yes", "qualitatively"),
    (NPS, "note:1.1.1", "text", "qualitatively"),
    (CRC, "4.1.3.a", "yes", "qualitatively"),
    (NPS, "2.1.1.a", "na", "not one of yes, no"),
    (NPS, "2.1.1", "maybe", "not one of"),
    (NPS, "case:inspector_rosh", "extreme", "not one of"),
    (NPS, "record:interview_mode", "carrier pigeon", "not one of"),
    (NPS, "record:nonsense", "x", "not an item"),
    (NPS, "9.9.9", "yes", "not an item"),
    (NPS, "note:2.1.1", "x" * 20_001, "longer than"),
    (NPS, "note:2.1.1", "nul\x00", "NUL"),
    (NPS, "record:interview_notes", "caf\udce9", "not UTF-8"),  # undecodable argv bytes
])
def test_invalid_items_are_refused_with_the_reason(fw: object, item: str, value: str,
                                                   reason: str) -> None:
    with pytest.raises(ItemError, match=reason):
        validate(fw, item, value)  # type: ignore[arg-type]


def test_clearing_an_item_of_a_qualitative_question_is_refused_too() -> None:
    assert not is_known(NPS, "1.1.1.a")
    with pytest.raises(ItemError):
        validate(NPS, "1.1.1.a", "")


@given(st.text(max_size=30), st.text(max_size=30))
def test_validate_returns_or_refuses_never_crashes(item: str, value: str) -> None:
    with contextlib.suppress(ItemError):
        validate(NPS, item, value)


def test_every_item_finds_its_key_question() -> None:
    for fw in available_frameworks():
        for standard in fw.standards:
            for kq in standard.key_questions:
                assert key_question_of(fw, kq.id) == kq.id
                assert key_question_of(fw, NOTE + kq.id) == kq.id
                for p in kq.prompts:
                    assert key_question_of(fw, p.id) == kq.id
            assert key_question_of(fw, standard.id) is None
        for f in fw.fields_by_id:
            assert key_question_of(fw, "case:" + f) is None
        for key in RECORD_BY_KEY:
            assert key_question_of(fw, key) is None
