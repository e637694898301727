"""Words for people: manuals cited by title and section, roles by name, sentences capitalised."""

from __future__ import annotations

import re

import pytest

from hmip_desktop.frameworks import load_framework
from hmip_desktop.wording import capitalised, cite_manuals, role_label

FRAMEWORKS = ("nps-2019-20", "crc-2019-20", "youth-2019-20", "dipp-2025")


def test_a_manual_is_cited_by_its_title_and_section() -> None:
    assert cite_manuals("Insufficient (000_ §2.3: the domain two hurdle).") == (
        "Insufficient (Probation inspections external guidance manual, section 2.3: the domain "
        "two hurdle).")
    assert cite_manuals("(001_ §7.1 sub-sample)") == (
        "(Youth offending service inspections external guidance manual, section 7.1 "
        "sub-sample)")
    assert cite_manuals("as in 003_ Annex F") == (
        "as in Consultation on standards and ratings for inspecting probation services, "
        "Annex F")
    assert cite_manuals("a note with no citation, 2.1.3") == "a note with no citation, 2.1.3"


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_no_guidance_or_notice_of_a_shipped_framework_cites_a_file_prefix(
        framework: str) -> None:
    fw = load_framework(framework)
    texts = [p.guidance for p in fw.prompts_by_id.values()]
    texts += [k.guidance for k in fw.key_questions_by_id.values()]
    texts += [f.guidance for f in fw.fields_by_id.values()]
    texts += [r.reason for r in fw.applicability] + [h.reason for h in fw.hurdles]
    cited = [t for t in texts if re.search(r"\b\d{3}_", t)]
    assert not cited
    assert any("guidance manual, section" in t for t in texts)


def test_roles_are_named_for_people() -> None:
    assert [role_label(r) for r in ("assessor", "qa", "lead")] == [
        "Assessor", "QA partner", "Lead inspector"]


def test_a_message_starts_with_a_capital() -> None:
    assert capitalised("already imported: nothing changed") == (
        "Already imported: nothing changed")
    assert capitalised("“quoted” words") == "“Quoted” words"
    assert capitalised("2 cases") == "2 cases"
    assert capitalised("robin-1.hmipb was not imported") == "robin-1.hmipb was not imported"
    assert capitalised("/media/usb: no such folder") == "/media/usb: no such folder"
    assert capitalised("") == ""
