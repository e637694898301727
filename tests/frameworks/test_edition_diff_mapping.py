"""``framework diff`` where NEW supersedes OLD: key questions and prompts follow NEW's mapping."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hmip_desktop.frameworks.edition_diff import diff_editions, diff_json, diff_lines
from hmip_desktop.frameworks.edition_mapping import MappingError
from hmip_desktop.frameworks.loader import parse_framework
from tests.cli_helpers import run_cli
from tests.frameworks.edition_helpers import edition, edition_data

OLD_SHAPE = {"1.1.1": ["a", "b"], "1.1.2": ["a"]}
OLD = edition(OLD_SHAPE, "1")


def test_an_item_continuing_another_number_is_renumbered_and_reworded_not_removed_and_added(
        ) -> None:
    # 1.1.1.b becomes 1.1.1.c with other words; 1.1.1.b is then new.
    new = edition({"1.1.1": ["a", "b", "c"], "1.1.2": ["a"]}, "2", "1",
                  {"1.1.1.c": {"continues": "1.1.1.b"}, "1.1.1.b": {"continues": "none"}})
    diff = diff_editions(OLD, new)
    assert diff.mapped
    assert [(r.old_id, r.new_id) for r in diff.renumbered] == [("1.1.1.b", "1.1.1.c")]
    assert [(r.old_id, r.id, r.old_text, r.new_text) for r in diff.reworded] == [
        ("1.1.1.b", "1.1.1.c", "Was 1.1.1.b done?", "Was 1.1.1.c done?")]
    assert [i.id for i in diff.added] == ["1.1.1.b"]
    assert diff.added[0].mapped
    assert diff.removed == ()
    text = diff_lines(diff)
    assert "  Prompt 1.1.1.b is now 1.1.1.c: Was 1.1.1.c done?" in text
    assert "  Prompt 1.1.1.c (was 1.1.1.b): Was [-1.1.1.b-] {+1.1.1.c+} done?" in text
    at = text.index("  Prompt 1.1.1.b: Was 1.1.1.b done?")
    assert text[at + 1] == "    new in this edition: left blank on cases moved to it"


def test_an_old_item_no_new_item_continues_is_removed_with_its_answers_in_history() -> None:
    new = edition({"1.1.1": ["a"], "1.1.2": ["a"]}, "2", "1")
    diff = diff_editions(OLD, new)
    assert [(i.id, i.mapped) for i in diff.removed] == [("1.1.1.b", True)]
    text = diff_lines(diff)
    at = text.index("  Prompt 1.1.1.b: Was 1.1.1.b done?")
    assert text[at + 1] == "    its answers stay in the case history only"
    assert diff_json(diff)["removed"] == [{"kind": "prompt", "id": "1.1.1.b",
                                          "text": "Was 1.1.1.b done?",
                                          "answers_kept_in_history": True}]


def test_the_same_words_under_a_new_number_without_continues_is_new_and_says_so() -> None:
    data = edition_data({"1.1.1": ["a", "z"], "1.1.2": ["a"]}, "2", "1")
    data["domains"][0]["standards"][0]["key_questions"][0]["prompts"][1]["text"] = (
        "Was 1.1.1.b done?")
    diff = diff_editions(OLD, parse_framework(data, "new.json"))
    assert diff.renumbered == ()
    assert [(i.id, i.same_text_as) for i in diff.added] == [("1.1.1.z", "1.1.1.b")]
    assert [i.id for i in diff.removed] == ["1.1.1.b"]
    assert ("    the same words as prompt 1.1.1.b, removed: if it continues that item, the "
            "edition must say so") in diff_lines(diff)


def test_without_supersedes_the_text_guess_is_kept() -> None:
    other = edition({"1.1.1": ["a", "b"], "1.1.2": ["a"]}, "2")
    diff = diff_editions(OLD, other)
    assert not diff.mapped
    assert not any(i.mapped for i in (*diff.added, *diff.removed))
    assert diff_json(diff)["mapped"] is False


def test_a_mapping_that_does_not_fit_is_refused_in_one_line(capsys: pytest.CaptureFixture[str],
                                                           tmp_path: Path) -> None:
    new = edition_data(OLD_SHAPE, "2", "1", {"1.1.1.b": {"continues": "1.1.1.z"}})
    with pytest.raises(MappingError):
        diff_editions(OLD, parse_framework(new, "new.json"))
    old_file, new_file = tmp_path / "old.json", tmp_path / "new.json"
    old_file.write_text(json.dumps(edition_data(OLD_SHAPE, "1")), encoding="utf-8")
    new_file.write_text(json.dumps(new), encoding="utf-8")
    code, out, err = run_cli(capsys, "framework", "diff", str(old_file), str(new_file))
    assert code == 1
    assert out == ""
    assert err.splitlines() == [
        f"hmip-desktop: {new_file} cannot be compared with the edition it supersedes: its "
        "mapping does not fit: prompt 1.1.1.b continues 1.1.1.z, which 1 does not have"]
