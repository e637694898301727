"""Language at allocation: a case in Welsh goes only to a member who inspects in Welsh
(Dynamic inspection of public protection guidance manual §5.1), and the sample's language
column says which cases are."""

from __future__ import annotations

import pytest

from hmip_desktop.frameworks import load_framework
from hmip_desktop.setup.allocation import Case, Member, check_allocation, even_split
from hmip_desktop.setup.languages import LanguageError, parse_languages
from hmip_desktop.setup.sample_import import SampleError, read_sample_bytes
from tests.setup.test_sample_import import HEAD, csv_bytes, good

WELSH_SPEAKER = Member("m1", "Bryn Cymraeg", "assessor", languages=("en", "cy"))
ENGLISH_ONLY = Member("m2", "Ann English", "assessor")


def cases(welsh: int, english: int) -> list[Case]:
    return [Case(f"W{i}", language="cy") for i in range(welsh)] + \
        [Case(f"E{i}", language="en") for i in range(english)]


def test_welsh_cases_go_only_to_the_member_who_inspects_in_welsh() -> None:
    done = even_split(cases(3, 3), [WELSH_SPEAKER, ENGLISH_ONLY])
    assert {ref for ref, mid in done.assignments.items() if mid == "m1"} >= {"W0", "W1", "W2"}
    assert not [ref for ref, mid in done.assignments.items()
                if ref.startswith("W") and mid == "m2"]
    assert not done.unplaced and not done.conflicts  # a language is no conflict of interest
    assert done.loads() == {"m1": 3, "m2": 3}  # still even: the English cases went to Ann


def test_a_welsh_case_nobody_can_take_is_left_unplaced_saying_why() -> None:
    done = even_split(cases(1, 2), [ENGLISH_ONLY, Member("q1", "Quinn English", "qa")])
    [left] = done.unplaced
    assert left.case_ref == "W0"
    assert left.reason == ("nobody in the team inspects in Welsh, the language of its records "
                           "and interview: record a member who does")
    busy = Member("m1", "Bryn Cymraeg", "assessor", capacity=3, languages=("cy",))
    full = even_split(cases(4, 0), [busy, ENGLISH_ONLY])
    assert [u.case_ref for u in full.unplaced] == ["W3"]
    assert "everyone who could take it is full (Bryn Cymraeg has 3)" in full.unplaced[0].reason


def test_no_override_gives_a_welsh_case_to_a_member_without_welsh() -> None:
    done = even_split(cases(1, 0), [ENGLISH_ONLY], overrides=[("m2", "W0")])
    assert done.assignments == {} and [u.case_ref for u in done.unplaced] == ["W0"]


def test_a_hand_made_allocation_against_the_language_is_flagged() -> None:
    done = even_split(cases(1, 1), [WELSH_SPEAKER, ENGLISH_ONLY])
    moved = type(done)(done.cases, done.members, {"W0": "m2", "E0": "m1"})
    [hit] = check_allocation(moved)
    assert (hit.kind, hit.case_ref, hit.member_id) == ("language", "W0", "m2")
    assert hit.reason == ("Ann English does not inspect in Welsh, the language of the case's "
                          "records and interview")


def test_the_sample_language_column_takes_words_in_either_language() -> None:
    head = [*HEAD, "Interview language"]
    rows = read_sample_bytes(csv_bytes([head, [*good("A1"), "Welsh"], [*good("A2"), "Cymraeg"],
                                        [*good("A3"), "english"], [*good("A4"), ""]]),
                             load_framework("nps-2019-20"))
    assert [r.add_case_kwargs()["language"] for r in rows] == ["cy", "cy", "en", "en"]
    plain = read_sample_bytes(csv_bytes([HEAD, good("B1")]), load_framework("nps-2019-20"))
    assert plain[0].add_case_kwargs()["language"] == "en"  # no column: English
    with pytest.raises(SampleError) as refused:
        read_sample_bytes(csv_bytes([head, [*good("A1"), "French"]]),
                          load_framework("nps-2019-20"))
    assert refused.value.problems == [(2, "language 'French' is not English or Welsh")]


@pytest.mark.parametrize(("text", "codes"), [("English and Welsh", ("en", "cy")),
                                             ("cy", ("cy",)), ("cy, en", ("en", "cy"))])
def test_member_languages_are_read_from_words_or_codes(text: str, codes: tuple[str]) -> None:
    assert parse_languages(text) == codes


@pytest.mark.parametrize("text", ["", "French", "en,xx"])
def test_an_unknown_language_is_refused_in_one_line(text: str) -> None:
    with pytest.raises(LanguageError) as refused:
        parse_languages(text)
    assert "\n" not in str(refused.value) and str(refused.value)
