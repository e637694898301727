"""The rest of issue 18's Welsh: a framework file's refusals, the self-test's lines, dates in
schedules, and the words of ``cases`` and ``history``, in Welsh when Welsh is chosen.
"""

from __future__ import annotations

import copy
import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop import i18n
from hmip_desktop.cli.commands_selftest import run_self_test
from hmip_desktop.day_names import day_month_year, long_day, short_day
from hmip_desktop.frameworks.loader import FrameworkError, parse_framework
from hmip_desktop.i18n import N_
from hmip_desktop.shipped_files import resource
from hmip_desktop.store.demo import create_demo
from hmip_desktop.wording import AUDIT_ACTIONS

PASSPHRASE = "an invented passphrase for the Welsh listings"


def _framework() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resource("frameworks", "nps-2019-20.json").read_text(
        encoding="utf-8"))
    return data


def _refusal(data: Any, language: str) -> str:
    with i18n.speaking(language), pytest.raises(FrameworkError) as refused:
        parse_framework(data, "nps.json")
    return str(refused.value)


def test_a_framework_files_faults_are_refused_in_welsh() -> None:
    missing = _framework()
    del missing["domains"][0]["standards"][0]["key_questions"][0]["text"]
    wrong = _framework()
    wrong["rated"] = "yes"
    assert _refusal(missing, "en") == ("nps.json at domains[0].standards[0].key_questions[0]: "
                                       "missing key 'text'")
    assert _refusal(missing, "cy") == ("nps.json yn domains[0].standards[0].key_questions[0]: "
                                       "allwedd 'text' ar goll")
    assert _refusal(wrong, "cy") == "nps.json yn rated: disgwylid true neu false, cafwyd testun"
    unknown = copy.deepcopy(_framework())
    hurdle = copy.deepcopy(unknown["hurdles"][0])
    hurdle.update(id="invented", when={"ref": "no_such_fact", "in": ["x"]})
    unknown["hurdles"].append(hurdle)
    said = _refusal(unknown, "cy")
    assert "'no_such_fact'" in said and "nid yw" in said and "is not" not in said


def test_dates_are_named_from_the_catalogue_not_the_c_locale() -> None:
    monday = date(2026, 11, 23)
    assert (short_day(monday), long_day(monday)) == ("Mon 23 Nov", "Monday 23 November 2026")
    with i18n.speaking("cy"):
        assert short_day(monday) == "Llun 23 Tach"
        assert long_day(monday) == "Dydd Llun 23 Tachwedd 2026"
        assert day_month_year(date(2026, 2, 3), padded=False) == "3 Chwefror 2026"


def test_the_self_tests_lines_are_in_welsh() -> None:
    out = io.StringIO()
    steps = ((N_("assessor answers"), lambda _run: "3"), (N_("main window renders"), _fails))
    with i18n.speaking("cy"):
        assert run_self_test(out, steps) == 1
    text = out.getvalue()
    assert "hunan-brawf" in text and "yr aseswr yn ateb ... iawn (3)" in text
    assert "METHODD yr hunan-brawf ar gam 2: y brif ffenestr yn cael ei llunio" in text
    assert "assessor answers" not in text and "self-test" not in text.replace("hmip-desktop", "")


def _fails(_run: Any) -> str:
    from hmip_desktop.cli.commands_selftest import check  # noqa: PLC0415

    check(False, i18n._("the window rendered blank"))
    return ""


def _cli(folder: Path, *argv: str) -> str:
    probe = "import sys\nfrom hmip_desktop.cli.main import main\nsys.exit(main(sys.argv[1:]))"
    done = subprocess.run([sys.executable, "-c", probe, "--lang", "cy", *argv,
                           "--workspace", str(folder)], capture_output=True, text=True,
                          check=True, env={"HMIP_PASSPHRASE": PASSPHRASE, "PATH": ""})
    return done.stdout


def test_cases_and_history_show_statuses_and_actions_in_welsh_and_json_keeps_the_keys(
        tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    with create_demo(folder, PASSPHRASE) as ws:
        case = ws.list_cases()[0].case
        ws.save_item(case.id, "2.1.1.a", "yes")
    listing = _cli(folder, "cases")
    with i18n.speaking("cy"):
        in_progress, answered = i18n._("In progress"), AUDIT_ACTIONS["set"]
    assert in_progress in listing and "in_progress" not in listing
    history = _cli(folder, "history", case.case_ref)
    assert answered in history and f" {in_progress}" in history
    keys = json.loads(_cli(folder, "history", case.case_ref, "--json"))
    assert {"set", "status"} <= {e["action"] for e in keys}
