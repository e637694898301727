"""``hmip-desktop framework template|export|build`` (docs/cli.md#framework)."""

from __future__ import annotations

import gettext
import json
from pathlib import Path

import openpyxl
import pytest

from hmip_desktop import i18n
from hmip_desktop.frameworks import load_framework
from hmip_desktop.frameworks.workbook_layout import INSTRUCTIONS, SHEETS
from tests.cli_helpers import run_cli


def test_export_then_build_writes_the_same_framework(capsys: pytest.CaptureFixture[str],
                                                     tmp_path: Path) -> None:
    book, out = tmp_path / "youth.xlsx", tmp_path / "youth.json"
    code, _out, err = run_cli(capsys, "framework", "export", "youth-2019-20", "--out", str(book))
    assert code == 0, err
    code, printed, err = run_cli(capsys, "framework", "build", str(book), "--out", str(out))
    assert code == 0, err
    assert load_framework("youth-2019-20").hash in printed
    assert json.loads(out.read_bytes())["id"] == "youth-2019-20"


def test_the_template_has_instructions_and_empty_sheets(capsys: pytest.CaptureFixture[str],
                                                        tmp_path: Path) -> None:
    book = tmp_path / "template.xlsx"
    code, _out, err = run_cli(capsys, "framework", "template", "--out", str(book))
    assert code == 0, err
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == [INSTRUCTIONS, *SHEETS]
    assert all(wb[name].max_row == 1 for name in SHEETS)  # headings only


def test_building_the_empty_template_lists_its_faults_and_writes_nothing(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    book, out = tmp_path / "template.xlsx", tmp_path / "new.json"
    run_cli(capsys, "framework", "template", "--out", str(book))
    code, printed, err = run_cli(capsys, "framework", "build", str(book), "--out", str(out))
    assert code == 1
    assert printed == ""
    lines = err.splitlines()
    assert lines[0].startswith("Framework sheet, column A (path): no row gives ")
    assert lines[-1] == "1 fault; nothing written"
    assert not out.exists()


def test_an_unknown_framework_cannot_be_exported(capsys: pytest.CaptureFixture[str],
                                                 tmp_path: Path) -> None:
    code, _out, err = run_cli(capsys, "framework", "export", "nps-2030", "--out",
                              str(tmp_path / "x.xlsx"))
    assert code != 0
    assert "unknown framework 'nps-2030'" in err
    assert not (tmp_path / "x.xlsx").exists()


class _Marked(gettext.NullTranslations):
    """A catalogue that marks every message it is asked for, to show which went through it."""

    def gettext(self, message: str) -> str:
        return "[cy] " + message


def test_every_framework_message_goes_through_the_catalogue(
        capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "_translation", _Marked())
    book, out = tmp_path / "template.xlsx", tmp_path / "new.json"
    code, printed, _err = run_cli(capsys, "framework", "template", "--out", str(book))
    assert code == 0 and printed.startswith("[cy] wrote the empty framework template to ")
    code, printed, err = run_cli(capsys, "framework", "build", str(book), "--out", str(out))
    assert code == 1 and not out.exists()
    *faults, summary = err.splitlines()
    assert faults and summary.startswith("[cy] ") and summary.endswith("; nothing written")
    for line in faults:  # the place ("Framework sheet, column A …") and the problem, each
        assert line.startswith("[cy] [cy] "), line
        assert ": [cy] " in line, line
    code, printed, err = run_cli(capsys, "framework", "export", "--out", str(book))
    assert code != 0 and "[cy] export needs a framework id" in err
    code, printed, err = run_cli(capsys, "framework", "export", "youth-2019-20", "--out",
                                 str(book))
    assert code == 0 and printed.startswith("[cy] wrote "), err
