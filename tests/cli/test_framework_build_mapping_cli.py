"""``framework build`` of a new edition checks its mapping against the edition it supersedes
(docs/cli.md#framework, docs/framework-format.md "Mapping items to the edition superseded")."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.frameworks.workbook_write import write_framework_workbook
from tests.cli_helpers import run_cli
from tests.frameworks.edition_helpers import edition_data
from tests.frameworks.workbook_helpers import column, edit, exported, find_row

OLD_SHAPE = {"1.1.1": ["a", "b"], "1.1.2": ["a"]}
NEW_SHAPE = {"1.1.1": ["a", "b", "c"], "1.1.2": ["a"]}


def _files(tmp_path: Path, continues: dict[str, dict[str, Any]]) -> tuple[Path, Path, Path]:
    """The old edition's file (not shipped), the new edition's workbook, the file to write."""
    old = tmp_path / "old.json"
    old.write_text(json.dumps(edition_data(OLD_SHAPE, "1")), encoding="utf-8")
    book = tmp_path / "new.xlsx"
    write_framework_workbook(edition_data(NEW_SHAPE, "2", "1", continues), book)
    return old, book, tmp_path / "new.json"


def test_given_the_old_edition_the_mapping_is_checked_and_summed_up(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    old, book, out = _files(tmp_path, {"1.1.1.c": {"continues": "none"}})
    code, printed, err = run_cli(capsys, "framework", "build", str(book), "--out", str(out),
                                 "--previous", str(old))
    assert code == 0, err
    assert printed.splitlines()[1] == (
        "mapping checked against mapped edition 1: of the key questions and prompts, 5 carried "
        "over, 1 new in this edition, 0 removed (answers to those stay in the case history "
        "only)")
    assert json.loads(out.read_bytes())["domains"][0]["standards"][0]["key_questions"][0][
        "prompts"][2]["continues"] == "none"


def test_without_the_old_edition_the_output_says_the_mapping_was_not_checked(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    _old, book, out = _files(tmp_path, {"1.1.1.c": {"continues": "1.1.1.z"}})
    code, printed, err = run_cli(capsys, "framework", "build", str(book), "--out", str(out))
    assert code == 0, err
    assert printed.splitlines()[1] == (
        "mapping not checked: mapped edition 1, which this edition supersedes, is not at hand "
        "(give it with --previous FILE.json or ID)")
    assert out.exists()
    code, printed, err = run_cli(capsys, "framework", "build", str(book), "--out", str(out),
                                 "--json")
    assert code == 0, err
    assert json.loads(printed)["mapping"] == "not checked"


@pytest.mark.parametrize(("continues", "fault"), [
    ({"1.1.1.c": {"continues": "1.1.1.z"}},
     "Prompts sheet, row 4, column G (continues): prompt 1.1.1.c continues 1.1.1.z, which 1 "
     "does not have"),
    ({"1.1.1.c": {"continues": "1.1.1.b"}},
     "Prompts sheet, row 4, column H (continues shared): 1.1.1.b, 1.1.1.c all continue 1.1.1.b;"
     " mark each continues_shared if that is meant, or say which is new (continues \"none\")"),
])
def test_a_mapping_pointing_at_nothing_or_two_items_to_one_unsaid_is_one_line_and_nothing_written(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, continues: dict[str, Any],
        fault: str) -> None:
    old, book, out = _files(tmp_path, continues)
    code, printed, err = run_cli(capsys, "framework", "build", str(book), "--out", str(out),
                                 "--previous", str(old))
    assert code == 1
    assert err.splitlines() == [fault, "1 fault; nothing written"]
    assert printed == ""
    assert not out.exists()


def test_a_shipped_old_edition_is_found_without_previous(capsys: pytest.CaptureFixture[str],
                                                         tmp_path: Path) -> None:
    book = exported(tmp_path, "nps-2019-20")

    def new_edition(wb: Any) -> None:
        framework = wb["Framework"]  # the shipped edition's own lineage rows, made the next's
        for path, value in (("edition", "2020-21"), ("supersedes.id", "nps-2019-20"),
                            ("supersedes.edition", "2019-20")):
            framework.cell(find_row(framework, "path", path), column("Framework", "value"),
                           value)
        prompts = wb["Prompts"]
        prompts.cell(find_row(prompts, "id", "2.1.1.b"), column("Prompts", "continues"),
                     "2.1.1.a")

    edit(book, new_edition)
    out = tmp_path / "nps-2020.json"
    code, printed, err = run_cli(capsys, "framework", "build", str(book), "--out", str(out),
                                 "--json")
    assert code == 1
    assert err.splitlines()[0].endswith(
        "(continues shared): 2.1.1.a, 2.1.1.b all continue 2.1.1.a; mark each continues_shared "
        "if that is meant, or say which is new (continues \"none\")")
    assert not out.exists()

    edit(book, lambda wb: wb["Prompts"].cell(find_row(wb["Prompts"], "id", "2.1.1.b"),
                                            column("Prompts", "continues"), "none"))
    code, printed, err = run_cli(capsys, "framework", "build", str(book), "--out", str(out),
                                 "--json")
    assert code == 0, err
    assert json.loads(printed)["mapping"] == "checked"
    code, printed, err = run_cli(capsys, "framework", "build", str(book), "--out", str(out))
    assert code == 0, err
    assert printed.splitlines()[1].startswith(
        "mapping checked against nps-2019-20 edition 2019-20: of the key questions and prompts, "
        "179 carried over, 1 new in this edition, 1 removed")


def test_previous_that_is_not_the_superseded_edition_is_refused(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    _old, book, out = _files(tmp_path, {})
    code, _printed, err = run_cli(capsys, "framework", "build", str(book), "--out", str(out),
                                  "--previous", "dipp-2025")
    assert code == 1
    assert err.splitlines()[0].endswith(
        "mapped edition 2 does not supersede dipp-2025 edition 2025.1")
    assert not out.exists()


def test_previous_is_for_build_only(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run_cli(capsys, "framework", "diff", "nps-2019-20", "crc-2019-20",
                              "--previous", "nps-2019-20")
    assert code == 2
    assert err.strip() == "hmip-desktop framework: error: --previous is for build only"
