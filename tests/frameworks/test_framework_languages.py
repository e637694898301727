"""A framework's text in the interface's language: Welsh where given, the English marked
"(English only)" where not, and the other language beside it when asked (issue 18 point 2)."""

from __future__ import annotations

from hmip_desktop import i18n
from hmip_desktop.frameworks import load_framework
from hmip_desktop.frameworks.languages import has_welsh, shown
from hmip_desktop.frameworks.loader import parse_framework
from tests.frameworks.workbook_helpers import shipped_data, without_welsh


def test_welsh_is_shown_in_a_welsh_window_and_english_beside_it_when_asked() -> None:
    youth = load_framework("youth-2019-20")
    kq = youth.key_questions_by_id["2.1.1"]
    welsh = youth.in_welsh(kq.text)
    assert welsh and welsh != kq.text
    assert shown(youth, kq.text, language="cy").plain() == welsh
    assert shown(youth, kq.text, language="cy", beside=True).plain() == f"{welsh}\n{kq.text}"
    assert shown(youth, kq.text, language="en").plain() == kq.text
    assert shown(youth, kq.text, language="en", beside=True).plain() == f"{kq.text}\n{welsh}"


def test_a_text_with_no_welsh_is_the_english_marked_english_only() -> None:
    nps = parse_framework(without_welsh(shipped_data("nps-2019-20")), "nps-2019-20.json")
    assert not has_welsh(nps) and has_welsh(load_framework("nps-2019-20"))
    text = nps.key_questions_by_id["2.1.1"].text
    i18n.install("cy")
    try:
        said = shown(nps, text, beside=True)
        assert said.english_only and said.other is None
        assert said.plain() == f"{text} {i18n._('(English only)')}"
        assert i18n._("(English only)") != "(English only)"
    finally:
        i18n.install("en")
    assert shown(nps, text, beside=True).plain() == text  # English window: nothing to mark
